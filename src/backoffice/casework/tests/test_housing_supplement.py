"""Requirement (issue 15 item 7): the application for housing supplement is a signed case like the others —
read field by field from its canonical document, decided by a handler within the 15 weeks the authority states,
and a grant pays the engine's amounts on the register's pension in payment and the household's signed amounts,
from the month applied for but at most three months before the application arrived, and only to a pensioner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from backoffice.casework import services
from backoffice.casework.applications import DocumentError, HousingSupplementApplication, document_read
from backoffice.casework.grant import housing_supplement_grant
from backoffice.casework.models import Case, CaseType
from backoffice.casework.rules import HOUSING_SUPPLEMENT_HANDLING, expected_decision_on
from backoffice.casework.tests.factories import (
    AMIR,
    HANDLER_REF,
    KARIN,
    canonical,
    housing_supplement_document,
    signed_submission,
)
from backoffice.register.access import Caller
from backoffice.register.models import PensionDecision, Person, TaxSettings
from backoffice.register.services import InvalidChangeError
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from pension_engine.housing_supplement import HousingApplicants, housing_supplement

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

CITIZEN = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym-amir")
HANDLER = Caller(service="portal", channel="in_process", principal_kind="handler", principal_ref=HANDLER_REF)
HOUSING = "housing_supplement"


@pytest.fixture(autouse=True)
def register(frozen_clock: clock.FrozenClock) -> None:
    demo_persons_create()


def _open(document: dict[str, Any], number: str = AMIR) -> dict[str, Any]:
    submission = signed_submission(document, case_type=HOUSING)
    return services.case_open(caller=CITIZEN, personal_number=number, submission=submission)


def test_the_document_is_read_field_by_field() -> None:
    application = document_read(HOUSING, canonical(housing_supplement_document(), HOUSING))
    assert isinstance(application, HousingSupplementApplication)
    assert application.from_month == dt.date(2026, 12, 1)
    assert application.housing_cost_per_month == 6500
    assert not application.married
    with pytest.raises(DocumentError) as refused:
        document_read(
            HOUSING,
            canonical(housing_supplement_document(housing_cost_per_month=-1, housing_kind="castle"), HOUSING),
        )
    assert set(refused.value.errors) == {"housing_cost_per_month", "housing_kind"}
    with pytest.raises(DocumentError) as floats:
        document_read(HOUSING, canonical(housing_supplement_document(assets="100"), HOUSING))
    assert "assets" in floats.value.errors


def test_the_decision_is_expected_within_fifteen_weeks() -> None:
    case = _open(housing_supplement_document())
    opened = Case.objects.get(public_id=case["case_id"])
    arrived = opened.opened_at.astimezone(clock.SWEDISH_TIME).date()
    assert opened.case_type == CaseType.HOUSING_SUPPLEMENT
    assert opened.expected_decision_on == arrived + HOUSING_SUPPLEMENT_HANDLING
    assert expected_decision_on(CaseType.HOUSING_SUPPLEMENT, arrived, None) == arrived + dt.timedelta(weeks=15)


def test_a_grant_pays_the_engines_amounts_on_the_registers_pension() -> None:
    case = _open(housing_supplement_document())
    decided = services.application_decide(caller=HANDLER, case_id=case["case_id"], change={"outcome": "granted"})
    payload = decided["history"][-1]["payload"]
    assert payload["outcome"] == "granted"
    amir = Person.objects.get(personal_number=AMIR)
    start = dt.date(2026, 12, 1)
    in_force: dict[str, float] = {}
    for decision in PensionDecision.objects.filter(person=amir, payable_from__lte=start).order_by("payable_from"):
        in_force[decision.benefit] = float(decision.monthly_amount)
    rate = TaxSettings.objects.get(person=amir).municipal_tax_rate
    expected = housing_supplement(
        HousingApplicants.of_one(
            married=False,
            housing_cost_per_month=6500,
            guarantee_pension=12 * in_force.get("guarantee_pension", 0.0),
            income_based_public_pension=12 * sum(v for k, v in in_force.items() if k != "guarantee_pension"),
            municipal_tax_rate=float(rate) / 100,
        ),
        2026,
        month=12,
    )
    assert Decimal(payload["housing_supplement_per_month"]) == Decimal(int(expected.housing_supplement_per_month[0]))
    assert Decimal(payload["housing_supplement_per_month"]) > 0, "Amir's low pension and rent give a supplement"
    assert payload["payable_from"] == "2026-12-01"


def test_it_reaches_back_at_most_three_months() -> None:
    amir = Person.objects.get(personal_number=AMIR)
    application = document_read(HOUSING, canonical(housing_supplement_document(from_month="2026-01"), HOUSING))
    assert isinstance(application, HousingSupplementApplication)
    granted = housing_supplement_grant(amir, application, arrived=dt.date(2026, 11, 20))
    assert granted.payable_from == dt.date(2026, 8, 1)


def test_only_a_pensioner_is_granted_housing_supplement() -> None:
    case = _open(housing_supplement_document(KARIN), number=KARIN)
    with pytest.raises(InvalidChangeError) as refused:
        services.application_decide(caller=HANDLER, case_id=case["case_id"], change={"outcome": "granted"})
    assert "draws old-age pension" in str(refused.value.errors)
