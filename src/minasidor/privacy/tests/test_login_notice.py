"""Requirement (issue 12.8, docs/security.md "QR relay"): a login from a browser the person has not used before
is told to them by notice at every contact point they have, once per login; the login never fails because the
notice cannot be sent."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client

from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import email_confirm, email_confirmation_issue
from backoffice.register.access import Caller
from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.session import current_identity
from minasidor.identity.tests.test_bankid_login import log_in_through_bankid
from minasidor.registers import registers
from minasidor.registers.in_process import InProcessRegisters
from minasidor.registers.types import ContactDetailsChange, RegistersUnavailableError
from simulators.bankid.server import SimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

TOLVAN = "191212121212"


def _request_with(client: Client) -> HttpRequest:
    request = HttpRequest()
    request.session = client.session
    return request


def _tolvan_reachable() -> None:
    """Tolvan with a confirmed e-mail address and a mobile number in the register."""

    tolvan = PersonalNumber(TOLVAN)
    change = ContactDetailsChange("tolvan@example.se", "+46 70 000 00 00", None, notice_choice="none")
    registers().contact_details_update(citizen_principal(f"se:{TOLVAN}"), tolvan, change)
    caller = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="test")
    email_confirm(
        caller=caller, personal_number=TOLVAN, token=email_confirmation_issue(caller=caller, personal_number=TOLVAN)
    )


@pytest.mark.usefixtures("demo_backoffice")
def test_a_login_from_a_browser_not_used_before_is_also_told_at_every_contact_point(
    client: Client, bankid: SimulatorThread
) -> None:
    """Issue 12.8: the person hears of it where they are, not only on a page they must think to open."""

    _tolvan_reachable()
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    client.post("/logga-ut/")
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    client.post("/logga-ut/")
    assert not Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN).exists(), "the first and a known browser"
    assert log_in_through_bankid(Client(), bankid, TOLVAN)["state"] == "complete"
    told = Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN, person__personal_number=TOLVAN)
    assert sorted(told.values_list("channel", flat=True)) == ["email", "sms"], "even with no notices chosen"


@pytest.mark.usefixtures("demo_backoffice")
def test_a_login_from_a_new_browser_succeeds_when_the_notice_cannot_be_sent(
    client: Client, bankid: SimulatorThread, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:

    def unreachable(*args: object, **kwargs: object) -> int:
        raise RegistersUnavailableError("the back office is down")

    monkeypatch.setattr(InProcessRegisters, "login_notice_send", unreachable)
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    client.post("/logga-ut/")
    relayed = Client()
    assert log_in_through_bankid(relayed, bankid, TOLVAN)["state"] == "complete"
    identity = current_identity(_request_with(relayed))
    assert identity is not None
    assert identity.subject_key == f"se:{TOLVAN}"
    assert AccessRecord.objects.filter(action="login.new_device").count() == 1, "the access log still tells"
    assert any("privacy.login_notice_not_sent" in record.getMessage() for record in caplog.records)
