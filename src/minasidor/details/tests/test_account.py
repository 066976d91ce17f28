"""Requirement (issue 18.3): a change of payment account — a Swedish account checked by the banks' rules (the same
question as the application's), a summary with the old and the new account masked, signed through the signing
step, applied at once as a register write with the evidence kept, a receipt that names the month of the first
payment to the new account, and a notice to every contact point, the old e-mail address included.
"""

from __future__ import annotations

import re
import types
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from backoffice.notices.models import Notice
from backoffice.register.models import ContactDetails, PaymentAccount
from minasidor.audit.models import AccessRecord
from minasidor.details.account import ACCOUNT_CHANGED, account_document, new_account
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError
from minasidor.signing_step.flow import signature_keep
from minasidor.signing_step.tests.factories import stand_in_signature

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

AMIR = "195901022995"  # draws his pension: payments are planned
ACCOUNT = "/mina-sidor/uppgifter/konto/"
SUMMARY = "/mina-sidor/uppgifter/konto/granska/"
SIGNED = "/mina-sidor/uppgifter/konto/signerat/"


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _client() -> tuple[Client, Any]:
    client = Client()
    identity = make_identity(AMIR, given_name="Amir", family_name="Haddad")
    log_in(client, identity)
    return client, identity


def _sign(client: Client, identity: Any) -> None:
    """Stand in for the signing step: keep a completed signature of the document, as the step does."""
    session = client.session
    account = new_account(session)
    assert account is not None
    document = account_document(identity, account)
    signature = stand_in_signature(document, signer=AMIR)
    signature_keep(types.SimpleNamespace(session=session), signature)  # type: ignore[arg-type]
    session.save()


def test_a_signed_change_is_applied_with_a_receipt_naming_the_month_and_the_old_email_is_told() -> None:
    ContactDetails.objects.filter(person__personal_number=AMIR).update(email="amir@example.se", email_confirmed=True)
    old = PaymentAccount.objects.get(person__personal_number=AMIR)
    client, identity = _client()
    assert 'id="change-account"' in _text(client.get("/mina-sidor/uppgifter/"))
    bad = client.post("/en" + ACCOUNT, {"clearing_number": "0000", "account_number": "1234567"})
    assert bad.status_code == 200
    assert "No bank has this clearing number" in _text(bad)
    assert 'value="1234567"' in _text(bad), "nothing typed is lost"
    assert client.post(ACCOUNT, {"clearing_number": "6789", "account_number": "123456789"})["Location"] == SUMMARY
    summary = _text(client.get(SUMMARY))
    assert f"•••• {old.account_number[-4:]}" in summary
    assert "•••• 6789" in summary
    assert "123456789" not in summary, "the summary shows the accounts masked"
    started = client.post(SUMMARY)
    assert started["Location"] == "/sign/"
    _sign(client, identity)
    applied = client.get(SIGNED)
    assert applied["Location"] == "/mina-sidor/uppgifter/konto/klart/"
    receipt = _text(client.get(applied["Location"]))
    months = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    assert re.search(rf"från utbetalningen i ({months}) 20\d\d", receipt), receipt
    row = PaymentAccount.objects.get(person__personal_number=AMIR)
    assert (row.clearing_number, row.account_number) == ("6789", "123456789")
    told = Notice.objects.filter(person__personal_number=AMIR, kind="details_changed", channel="email")
    assert [n.address for n in told] == ["amir@example.se"]
    assert AccessRecord.objects.filter(action=ACCOUNT_CHANGED.name).count() == 1
    assert client.get(SIGNED)["Location"] == "/mina-sidor/uppgifter/", "taken once"


def test_without_a_signature_nothing_is_changed() -> None:
    old = PaymentAccount.objects.get(person__personal_number=AMIR)
    client, _identity = _client()
    client.post(ACCOUNT, {"clearing_number": "6789", "account_number": "123456789"})
    assert client.get(SIGNED)["Location"] == SUMMARY
    assert PaymentAccount.objects.get(person__personal_number=AMIR).account_number == old.account_number


def test_a_back_office_that_does_not_answer_keeps_the_signature_for_the_next_try() -> None:
    client, identity = _client()
    client.post(ACCOUNT, {"clearing_number": "6789", "account_number": "123456789"})
    _sign(client, identity)
    with mock.patch.object(type(registers()), "payment_account_change", side_effect=RegistersUnavailableError("down")):
        failed = client.get("/en" + SIGNED)
    assert failed.status_code == 503
    assert "signed but not yet sent" in _text(failed)
    assert client.get(SIGNED)["Location"] == "/mina-sidor/uppgifter/konto/klart/"
    assert PaymentAccount.objects.get(person__personal_number=AMIR).account_number == "123456789"
