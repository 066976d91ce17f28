"""Requirement (issue 16.7): a change of withdrawal is a signed case a handler decides; a grant writes the
parts it changes into the register with the engine's amounts (decision 0150) and plans the next payment anew,
from the month asked for but never from a month already paid (decision 0151)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from backoffice.casework import services
from backoffice.casework.applications import WithdrawalChange, document_read
from backoffice.casework.grant import change_start, drawn_on, income_history
from backoffice.casework.tests.factories import AMIR, HANDLER_REF, KARIN, canonical, signed_submission
from backoffice.register.access import Caller
from backoffice.register.models import PensionDecision, PensionPayment, Person
from backoffice.register.services import InvalidChangeError
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from pension_engine.applied import withdrawal_amounts

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

BENGT = "195801082743"  # draws income and premium pension since 2023
CHANGE = "withdrawal_change"
CITIZEN = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym")
HANDLER = Caller(service="portal", channel="in_process", principal_kind="handler", principal_ref=HANDLER_REF)
DECEMBER = dt.date(2026, 12, 1)  # the clock stands at 28 November 2026: November's payment is made


@pytest.fixture(autouse=True)
def register(frozen_clock: clock.FrozenClock) -> None:
    demo_persons_create()


def _document(applicant: str = BENGT, **changes: Any) -> dict[str, Any]:
    return {
        "applicant": applicant,
        "parts": ["income_pension"],
        "change": "share",
        "share": 50,
        "from_month": "2026-12",
    } | changes


def _decide(document: dict[str, Any]) -> dict[str, Any]:
    case = services.case_open(
        caller=CITIZEN, personal_number=document["applicant"], submission=signed_submission(document, case_type=CHANGE)
    )
    decided = services.application_decide(caller=HANDLER, case_id=case["case_id"], change={"outcome": "granted"})
    payload: dict[str, Any] = decided["history"][-1]["payload"]
    return payload


def _engine(number: str, shares: dict[str, int], year: int) -> dict[str, float]:
    person = Person.objects.get(personal_number=number)
    drawn = {b: c.__class__(b, c.start, shares.get(b, c.share)) for b, c in drawn_on(person, DECEMBER).items()}
    amounts = withdrawal_amounts(
        income_history(person),
        drawn,
        guarantee=PensionDecision.objects.filter(person=person, benefit="guarantee_pension").exists(),
        years=[year],
        married=person.married,
        residence_years=float(person.residence_years),
        municipal_tax_rate=float(person.tax_settings.municipal_tax_rate) / 100,
    )
    return {benefit: by_year[year] for benefit, by_year in amounts.items()}


def _in_force(number: str, day: dt.date) -> dict[str, Decimal]:
    latest: dict[str, Decimal] = {}
    for row in PensionDecision.objects.filter(person__personal_number=number, payable_from__lte=day).order_by(
        "payable_from"
    ):
        latest[row.benefit] = row.monthly_amount
    return latest


def test_the_document_is_read_as_a_change() -> None:
    change = document_read(CHANGE, canonical(_document(), CHANGE))
    assert isinstance(change, WithdrawalChange)
    assert (change.parts, change.change, change.share, change.from_month) == (
        ("income_pension",),
        "share",
        50,
        DECEMBER,
    )


def test_half_the_income_pension_is_the_engines_amount_and_the_next_payment_follows() -> None:
    before = _in_force(BENGT, DECEMBER)
    payload = _decide(_document())
    after = _in_force(BENGT, DECEMBER)
    expected = _engine(BENGT, {"income_pension": 50}, 2026)
    assert after["income_pension"] == Decimal(f"{expected['income_pension']:.2f}") > 0
    assert after["income_pension"] < before["income_pension"]
    assert after["premium_pension"] == before["premium_pension"], "a part not changed keeps its amount"
    row = PensionDecision.objects.get(person__personal_number=BENGT, benefit="income_pension", payable_from=DECEMBER)
    assert row.withdrawal_share == 50
    payment = PensionPayment.objects.get(person__personal_number=BENGT, payment_date=dt.date(2026, 12, 18))
    assert payment.gross == sum(after.values())
    assert payment.gross - payment.tax == payment.net
    assert payload["parts"][0]["benefit"] == "income_pension"
    assert payload["payments"][0]["payment_date"] == "2026-12-18"


def test_a_pause_pays_nothing_and_keeps_the_share() -> None:
    _decide(_document(parts=["premium_pension"], change="pause", share=None))
    row = PensionDecision.objects.get(person__personal_number=BENGT, benefit="premium_pension", payable_from=DECEMBER)
    assert row.monthly_amount == 0
    assert row.withdrawal_share in (25, 50, 75, 100)
    assert "premium_pension" in _in_force(BENGT, DECEMBER)


def test_less_than_the_whole_stops_guarantee_pension() -> None:
    assert _in_force(AMIR, DECEMBER).get("guarantee_pension", Decimal(0)) > 0
    _decide(_document(AMIR, share=75))
    after = _in_force(AMIR, DECEMBER)
    assert after["guarantee_pension"] == 0
    expected = _engine(AMIR, {"income_pension": 75}, 2026)
    assert after["income_pension"] == Decimal(f"{expected['income_pension']:.2f}")


def test_a_month_already_paid_is_moved_to_the_first_month_not_paid() -> None:
    change = document_read(CHANGE, canonical(_document(from_month="2026-11"), CHANGE))
    assert isinstance(change, WithdrawalChange)
    assert change_start(change, decided=clock.today()) == DECEMBER
    assert change_start(change, decided=dt.date(2026, 12, 18)) == dt.date(2027, 1, 1)


def test_a_change_for_someone_without_a_pension_is_refused() -> None:
    with pytest.raises(InvalidChangeError):
        _decide(_document(KARIN))


def test_a_change_that_changes_nothing_is_refused() -> None:
    share = drawn_on(Person.objects.get(personal_number=BENGT), DECEMBER)["income_pension"].share
    with pytest.raises(InvalidChangeError):
        _decide(_document(share=share))
