"""Requirement: per withdrawal age, monthly occupational + private amounts as steps that drop when a payout ends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from minasidor.minpension.income import income_by_withdrawal_age, income_paid_now, income_steps
from minasidor.minpension.types import (
    BenefitKind,
    Category,
    ForecastPoint,
    Payout,
    PensionHoldings,
    PensionItem,
)


def _item(
    provider: str, category: Category, points: list[tuple[int, str, int, int | None]], *, in_payment: bool = False
) -> PensionItem:
    return PensionItem(
        item_id=provider,
        category=category,
        agreement="ITP1" if category is Category.OCCUPATIONAL else None,
        product_type="traditional_insurance",
        provider=provider,
        benefit_kind=BenefitKind.DEFINED_CONTRIBUTION,
        capital_value=Decimal(100000),
        earned_monthly_amount=None,
        value_date=dt.date(2026, 10, 31),
        in_payment=in_payment,
        estimated=False,
        payout=Payout(years=points[0][3] and points[0][3] - points[0][2], from_age=65),
        forecast=tuple(
            ForecastPoint(withdrawal_age=age, monthly_amount=Decimal(amount), start_age=start, end_age=end)
            for age, amount, start, end in points
        ),
    )


HOLDINGS = PensionHoldings(
    as_of=dt.date(2026, 11, 28),
    items=(
        _item("Alecta", Category.OCCUPATIONAL, [(65, "3000", 65, None), (66, "3200", 66, None)]),
        _item("Skandia", Category.OCCUPATIONAL, [(65, "2000", 65, 70), (66, "2100", 66, 71)]),
        _item("Swedbank", Category.PRIVATE, [(65, "1000", 65, 75), (66, "1050", 66, 76)]),
    ),
)


def test_a_fixed_term_payout_ending_makes_a_drop() -> None:
    steps = income_steps(HOLDINGS, 65)
    assert [(s.from_age, s.until_age, s.occupational, s.private) for s in steps] == [
        (65, 70, Decimal(5000), Decimal(1000)),
        (70, 75, Decimal(3000), Decimal(1000)),
        (75, None, Decimal(3000), Decimal(0)),
    ]
    assert steps[0].ending == ("Skandia",)
    assert steps[0].total == Decimal(6000)


def test_every_withdrawal_age_gets_its_own_steps() -> None:
    by_age = income_by_withdrawal_age(HOLDINGS)
    assert sorted(by_age) == [65, 66]
    assert by_age[66][0].total == Decimal(3200 + 2100 + 1050)
    assert by_age[66][1].from_age == 71


def test_a_pension_already_paid_counts_at_every_age_until_it_ends() -> None:
    paid = PensionHoldings(
        as_of=dt.date(2026, 11, 28),
        items=(_item("Kåpan", Category.OCCUPATIONAL, [(68, "4010", 65, 70)], in_payment=True),),
    )
    steps = income_steps(paid, 69)
    assert [(s.from_age, s.until_age, s.total) for s in steps] == [(69, 70, Decimal(4010)), (70, None, Decimal(0))]


WORKING_PENSIONER = PensionHoldings(
    as_of=dt.date(2026, 11, 28),
    items=(
        _item("SPV", Category.OCCUPATIONAL, [(68, "6850", 65, None)], in_payment=True),
        _item("Kåpan", Category.OCCUPATIONAL, [(68, "4010", 65, 70)], in_payment=True),
        _item("Nordnet", Category.PRIVATE, [(age, "1200", age, age + 10) for age in (68, 69, 70)]),
    ),
)


def test_what_is_paid_now_is_not_mixed_into_the_starting_ages() -> None:
    by_age = income_by_withdrawal_age(WORKING_PENSIONER)
    assert sorted(by_age) == [68, 69, 70]
    assert [step.total for step in by_age[68]] == [Decimal(1200), Decimal(0)]
    assert [(step.occupational, step.private) for step in by_age[70]] == [(Decimal(0), Decimal(1200)), (0, 0)]


def test_what_is_paid_now_is_shown_apart_and_does_not_drop_out_at_70() -> None:
    steps = income_paid_now(WORKING_PENSIONER)
    assert [(s.from_age, s.until_age, s.total) for s in steps] == [(68, 70, Decimal(10860)), (70, None, Decimal(6850))]
    assert steps[0].ending == ("Kåpan",)


def test_without_pensions_paid_now_there_is_nothing_apart_and_with_only_those_no_table() -> None:
    assert income_paid_now(HOLDINGS) == ()
    only_paid = PensionHoldings(as_of=dt.date(2026, 11, 28), items=WORKING_PENSIONER.items[:2])
    assert income_by_withdrawal_age(only_paid) == {}
    assert income_paid_now(only_paid)[0].total == Decimal(10860)
