"""Requirement (left from issue 16): a decided change of pension withdrawal and a decided application for housing
supplement have a decision letter as an application for old-age pension does — a tagged PDF sealed by the
authority, in the person's language for letters — saying what was decided with the amounts the back office fixed
when the handler decided (a changed part's share and amount a month, a pause; housing supplement a month and
from when), and how to ask for a review; the case page links it.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from kernel.personal_number import PersonalNumber
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.tests.casework import housing_supplement_decided, withdrawal_change_decided
from minasidor.registers.types import CaseEventKind, ContactDetailsChange, WithdrawalChangeKind
from minasidor.signing import configured
from minasidor.signing.seal import pdf_seal_check
from minasidor.ui.formatting import money

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "seal"),
]

BENGT = "195801082743"  # draws income and premium pension
AMIR = "195901022995"  # guarantee pension


def _person(number: str) -> tuple[Identity, Client]:
    identity = make_identity(number, given_name="Test", family_name="Person")
    client = Client()
    log_in(client, identity)
    return identity, client


def _letter(client: Client, case_id: object) -> tuple[bytes, str]:
    page = client.get(f"/mina-sidor/arenden/{case_id}/").content.decode()
    link = re.search(r'href="([^"]+)" id="decision-letter-link"', page)
    assert link is not None, "the case page links the letter"
    pdf = client.get(link.group(1)).content
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.root_object, "a tagged PDF"
    assert pdf_seal_check(pdf, trust_roots=configured.configured_trust_roots()).level == "B-B"
    text = " ".join(page.extract_text() for page in reader.pages)
    return pdf, re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _sv_money(amount: object) -> str:
    with translation.override("sv"):
        return re.sub(r"\s+", " ", money(amount)).replace("\u00a0", " ")  # type: ignore[arg-type]


def test_a_granted_change_of_withdrawal_says_the_new_share_and_the_registers_amount() -> None:
    bengt, client = _person(BENGT)
    case = withdrawal_change_decided(bengt)
    _pdf, text = _letter(client, case.case_id)
    assert "Beslut om din ändring av uttaget av pension" in text, "Swedish is the letters' language by default"
    assert "Vi beviljar din ändring av uttaget av pension." in text
    snapshot = registers().person_snapshot(bengt.principal, PersonalNumber(BENGT))
    (written,) = [
        d for d in snapshot.decisions if d.benefit == "income_pension" and d.payable_from == dt.date(2027, 1, 1)
    ]
    assert written.withdrawal_share == 50
    assert f"Inkomstpension 50 % januari 2027 {_sv_money(written.monthly_amount)}" in text
    assert "omprövning" in text
    assert "ålderspension" not in text.replace("uttaget av pension", ""), "not an old-age pension application's text"


def test_a_pause_is_said_to_be_a_pause_until_the_person_applies_again() -> None:
    bengt, client = _person(BENGT)
    case = withdrawal_change_decided(bengt, change=WithdrawalChangeKind.PAUSE)
    _pdf, text = _letter(client, case.case_id)
    assert "Inkomstpension: pausad från januari 2027" in text
    assert "beviljad från" not in text


def test_a_granted_housing_supplement_says_the_amount_a_month_the_decision_fixed() -> None:
    amir, client = _person(AMIR)
    case = housing_supplement_decided(amir)
    detail = registers().case(amir.principal, PersonalNumber(AMIR), case.case_id)
    (decision,) = [event for event in detail.history if event.kind == CaseEventKind.DECISION]
    _pdf, text = _letter(client, case.case_id)
    assert "Beslut om din ansökan om bostadstillägg" in text
    assert "Vi beviljar din ansökan om bostadstillägg." in text
    assert f"Bostadstillägg {_sv_money(decision.payload['housing_supplement_per_month'])}" in text
    assert "boendekostnad" in text, "it says which amounts were counted, and to tell us when they change"


def test_a_rejection_in_english_for_a_person_who_chose_english_letters() -> None:
    amir, client = _person(AMIR)
    number = PersonalNumber(AMIR)
    contact = registers().person_snapshot(amir.principal, number).customer_records.contact_details
    change = ContactDetailsChange(contact.email, contact.phone, contact.special_postal_address, language="en")
    registers().contact_details_update(amir.principal, number, change)
    case = housing_supplement_decided(amir, outcome="rejected", text="Your housing cost is not yours to pay.")
    _pdf, text = _letter(client, case.case_id)
    assert "Decision on your application for housing supplement" in text
    assert "We reject your application for housing supplement." in text
    assert "Your housing cost is not yours to pay." in text
    assert "kr" not in text.replace("Your housing cost", "")
