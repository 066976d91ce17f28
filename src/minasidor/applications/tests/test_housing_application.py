"""Requirement (issue 15 item 7): the application for housing supplement as a signed case — the questions
(prefilled from the calculator), a summary with the engine's estimate, signing through the signing step, and
exactly one case in the back office of the housing-supplement type; offered only to a person who draws their
pension, and a bad answer is refused politely without losing the others.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kernel import clock
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pension_data.housing import HousingAnswers, housing_estimate, housing_prefill
from minasidor.registers import registers
from minasidor.registers.types import CaseType
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.tests.factories import signing_stood_in

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension"),
]

AMIR = "195901022995"  # single, draws guarantee pension
KARIN = "196201082697"  # does not draw her pension yet
BASE = "/mina-sidor/ansok/bostadstillagg/"
ANSWERS = {
    "from_month": "",
    "civil_status": "single",
    "housing_kind": "rented",
    "housing_cost_per_month": "6500",
    "occupational_pension_per_month": "",
    "earned_income_per_month": "",
    "capital_income_per_year": "",
    "assets": "20000",
}


def _amir(client: Client) -> Client:
    log_in(client, make_identity(AMIR, given_name="Amir", family_name="Haddad"))
    return client


def _answers(**changes: Any) -> dict[str, str]:
    return {**ANSWERS, "from_month": f"{clock.today():%Y-%m}", **changes}


def _sign(client: Client) -> SignableDocument:
    """Press "Sign", and stand in for the signing step: the signature waits in the session for the caller."""
    response = client.post(BASE + "skriv-under/")
    assert response.status_code == 302
    assert response["Location"] == "/sign/"
    return signing_stood_in(client, signer=AMIR)


def test_a_person_who_does_not_draw_pension_is_told_so(client: Client) -> None:
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    html = client.get(BASE).content.decode()
    assert 'id="unavailable-not-drawing"' in html
    assert 'name="housing_cost_per_month"' not in html


def test_the_calculators_answers_start_the_application(client: Client) -> None:
    _amir(client)
    posted = {"fran_kalkylen": "1", "civil_status": "single", "housing_cost_per_month": "7100", "assets": "0"}
    html = client.post(BASE, posted).content.decode()
    assert re.search(r'name="housing_cost_per_month"[^>]*value="7100"', html)
    assert "govuk-error-summary" not in html, "the calculator's answers are a start, not a submission"


def test_a_bad_answer_is_refused_and_the_others_are_kept(client: Client) -> None:
    _amir(client)
    html = client.post(BASE, _answers(housing_cost_per_month="sex tusen", from_month="1999-01")).content.decode()
    assert "govuk-error-summary" in html
    assert re.search(r'name="assets"[^>]*value="20000"', html)


def test_the_summary_shows_the_engines_estimate_and_signing_opens_one_case(client: Client) -> None:
    _amir(client)
    response = client.post(BASE, _answers())
    assert response["Location"] == BASE + "sammanfattning/"
    html = client.get(BASE + "sammanfattning/").content.decode()
    identity = make_identity(AMIR)
    assert identity.personal_number is not None
    snapshot = registers().person_snapshot(identity.principal, identity.personal_number)
    prefill = housing_prefill(snapshot, clock.today())
    expected = housing_estimate(
        HousingAnswers(
            married=False,
            housing_cost_per_month=6500,
            guarantee_pension_per_month=prefill.guarantee_pension_per_month,
            income_based_pension_per_month=prefill.income_based_pension_per_month,
            assets=20000,
            municipal_tax_rate=prefill.municipal_tax_rate,
        ),
        clock.today(),
    )
    shown = re.search(r'data-part="housing_supplement">([^<]*)<', html)
    assert shown is not None
    assert int(re.sub(r"\D", "", shown.group(1))) == int(expected.housing_supplement) > 0

    document = _sign(client)
    assert b'"kind":"housing-supplement-application"' in document.canonical
    first = client.get(BASE + "underskriven/")
    again = client.get(BASE + "underskriven/")  # a reload
    assert first["Location"] == again["Location"]
    (row,) = SignedApplication.objects.all()
    assert (row.case_type, row.status) == (CaseType.HOUSING_SUPPLEMENT, SubmissionStatus.SENT)
    cases = registers().cases(identity.principal, identity.personal_number)
    assert [case.case_type for case in cases] == [CaseType.HOUSING_SUPPLEMENT]
