"""Requirement (issue 18.3): My details shows the address as the population register has it (read-only, with
where to change it), the special postal address, phone, e-mail, the language of letters, the payment account
(masked) and the tax withholding, in both languages, read anew from the register with an access record; a back
office that does not answer is said, never shown as empty details.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from backoffice.register.models import PaymentAccount, Person
from minasidor.audit.models import AccessRecord
from minasidor.details.selectors import DETAILS_VIEWED
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

BENGT = "195801082743"  # a pensioner with a special postal address in Spain
JOHAN = "198501139995"  # 41, no pension paid yet
OVERVIEW = "/mina-sidor/uppgifter/"


def _client(number: str) -> Client:
    client = Client()
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_pensioner_sees_address_contact_details_masked_account_and_tax_in_both_languages() -> None:
    client = _client(BENGT)
    account = PaymentAccount.objects.get(person__personal_number=BENGT)
    swedish = _text(client.get(OVERVIEW))
    assert "Mina uppgifter" in swedish
    assert "Calle del Sol 12" in swedish
    assert "skatteverket.se" in swedish
    assert f"•••• {account.account_number[-4:]}" in swedish
    assert account.account_number not in swedish, "the whole account number is never shown"
    assert "Skattetabell" in swedish
    english = _text(client.get("/en" + OVERVIEW))
    assert "My details" in english
    assert "Your address" in english
    assert "tell Skatteverket of your move" in english
    assert "Tax table" in english or "tax table" in english
    assert AccessRecord.objects.filter(action=DETAILS_VIEWED.name).count() == 2


def test_a_saver_without_pension_paid_is_told_no_tax_is_withheld() -> None:
    page = _text(_client(JOHAN).get("/en" + OVERVIEW))
    assert "no tax is withheld" in page
    assert 'id="registered-address"' in page


def test_a_protected_address_is_not_shown() -> None:
    Person.objects.filter(personal_number=JOHAN).update(protected_identity=True)
    page = _text(_client(JOHAN).get("/en" + OVERVIEW))
    assert "Your address is protected" in page
    assert 'id="registered-address"' not in page


def test_a_back_office_that_does_not_answer_is_said_never_shown_as_empty_details() -> None:
    client = _client(BENGT)
    with mock.patch.object(type(registers()), "customer_records", side_effect=RegistersUnavailableError("down")):
        response = client.get("/en" + OVERVIEW)
    assert response.status_code == 503
    page = _text(response)
    assert "could not be fetched right now" in page
    assert "We have no payment account" not in page
    assert not AccessRecord.objects.filter(action=DETAILS_VIEWED.name).exists()


def test_a_person_without_a_swedish_number_is_told_how_instead() -> None:
    client = Client()
    log_in(client, make_foreign_identity())
    assert 'id="no-swedish-number"' in _text(client.get(OVERVIEW))


def test_the_page_is_in_the_menu_and_needs_a_login() -> None:
    assert Client().get(OVERVIEW).status_code == 302
    home = _text(_client(BENGT).get("/mina-sidor/"))
    assert f'href="{OVERVIEW}"' in home
