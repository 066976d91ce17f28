"""Requirement (issue 16.6, brief of 2026-12-05): a decided application for old-age pension has a decision letter —
a tagged PDF sealed by the authority, in the person's language for letters (Swedish unless they chose English),
that says what was decided per part, the amounts a month as written into the register, from which month, how to
ask for a review within two months, and the handler's reference; downloadable from the case page by its person
only, recorded in their access log.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.cases.letter import NoDecisionLetterError, decision_letter_of
from minasidor.cases.selectors import DECISION_LETTER_VIEWED
from minasidor.cases.tests.factories import question_open
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.tests.casework import application_decided
from minasidor.registers.types import ContactDetailsChange
from minasidor.signing import configured
from minasidor.signing.seal import SealError, pdf_seal_check
from minasidor.ui.formatting import money

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "seal"),
]

KARIN = "196201082697"
JOHAN = "198501139995"


def _karin() -> Identity:
    return make_identity(KARIN, given_name="Karin", family_name="Lindqvist")


def _client(identity: Identity) -> Client:
    client = Client()
    log_in(client, identity)
    return client


def _letter_url(case_id: object, lang: str = "") -> str:
    return f"{lang}/mina-sidor/arenden/{case_id}/beslut.pdf"


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_a_granted_application_has_a_sealed_letter_with_the_registers_amounts_in_swedish() -> None:
    karin = _karin()
    case = application_decided(karin)
    client = _client(karin)
    response = client.get(_letter_url(case.case_id, "/en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf_seal_check(pdf, trust_roots=configured.configured_trust_roots()).level == "B-B"
    changed = bytearray(pdf)
    changed[len(pdf) // 3] ^= 0x01
    with pytest.raises(SealError):
        pdf_seal_check(bytes(changed), trust_roots=configured.configured_trust_roots())
    text = _text(pdf)
    assert "Beslut om din ansökan om allmän ålderspension" in text, "Swedish is the letters' language by default"
    assert "19620108-2697" in text
    assert str(case.case_id)[:8].upper() in text
    assert re.search(r"Handläggare H-[0-9A-F]{6}", text), text
    assert "staff" not in text, "the handler's login name is not in the letter"
    snapshot = registers().person_snapshot(karin.principal, PersonalNumber(KARIN))
    income = next(d for d in snapshot.decisions if d.benefit == "income_pension")
    premium = next(d for d in snapshot.decisions if d.benefit == "premium_pension")
    assert income.payable_from == dt.date(2027, 1, 1)
    assert premium.payable_from == dt.date(2027, 3, 1)
    with translation.override("sv"):
        assert re.sub(r"\s+", " ", money(income.monthly_amount)) in text
        assert re.sub(r"\s+", " ", money(premium.monthly_amount)) in text
    assert "januari 2027" in text
    assert "mars 2027" in text
    assert "omprövning" in text
    assert "2 månader" in text
    assert "efterlevandeskydd" in text
    assert AccessRecord.objects.filter(action=DECISION_LETTER_VIEWED.name, subject_ref=karin.pseudonym).count() == 1


def test_the_letter_is_in_english_for_a_person_who_chose_english_letters() -> None:
    karin = _karin()
    number = PersonalNumber(KARIN)
    contact = registers().person_snapshot(karin.principal, number).customer_records.contact_details
    registers().contact_details_update(
        karin.principal,
        number,
        ContactDetailsChange(
            email=contact.email,
            phone=contact.phone,
            special_postal_address=contact.special_postal_address,
            language="en",
        ),
    )
    case = application_decided(karin)
    text = _text(_client(karin).get(_letter_url(case.case_id)).content)
    assert "Decision on your application for old-age pension" in text
    assert "Income pension" in text
    assert "January 2027" in text
    assert "within 2 months" in text


def test_a_rejection_gives_its_reasons_and_no_amounts() -> None:
    karin = _karin()
    case = application_decided(karin, outcome="rejected", text="Du har inte nått den lägsta åldern.")
    text = _text(_client(karin).get(_letter_url(case.case_id)).content)
    assert "Vi avslår din ansökan" in text
    assert "Du har inte nått den lägsta åldern." in text
    assert "Inkomstpension" not in text


def test_the_case_page_links_the_letter_and_the_receipt_once_decided() -> None:
    karin = _karin()
    case = application_decided(karin)
    page = _client(karin).get(f"/en/mina-sidor/arenden/{case.case_id}/").content.decode()
    assert f'href="/en/mina-sidor/arenden/{case.case_id}/beslut.pdf"' in page
    assert 'id="receipt-link"' in page


def test_no_letter_for_an_open_case_a_question_or_another_persons_case() -> None:
    karin = _karin()
    client = _client(karin)
    question = question_open(karin)
    assert client.get(_letter_url(question.case_id)).status_code == 404
    question_page = client.get(f"/mina-sidor/arenden/{question.case_id}/").content.decode()
    assert 'id="decision-letter-link"' not in question_page
    assert 'id="receipt-link"' not in question_page, "a question has no receipt"
    case = application_decided(karin)
    intruder = _client(make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    assert intruder.get(_letter_url(case.case_id)).status_code == 404
    assert not AccessRecord.objects.filter(action=DECISION_LETTER_VIEWED.name).exists()


def test_a_case_without_a_decision_has_no_letter() -> None:
    karin = _karin()
    question = question_open(karin)
    detail = registers().case(karin.principal, PersonalNumber(KARIN), question.case_id)
    with pytest.raises(NoDecisionLetterError):
        decision_letter_of(detail)


def test_a_letter_costs_a_few_queries_on_each_database() -> None:
    karin = _karin()
    case = application_decided(karin)
    client = _client(karin)
    client.get("/mina-sidor/")  # the first page after login fetches the session's pension data
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as backoffice,
    ):
        assert client.get(_letter_url(case.case_id)).status_code == 200
    assert len(portal) <= 9, [query["sql"] for query in portal.captured_queries]
    assert len(backoffice) <= 20, [query["sql"] for query in backoffice.captured_queries]
