"""Example values for the PDF documents, built from the dataclasses directly: a saver, a pensioner, forecasts.

The amounts are chosen so that each shows up once in a document (a test can find it by its text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.minpension.income import IncomeStep
from minasidor.pension_data.types import AgeForecast, ForecastChoice, PartAmounts, PensionForecast
from minasidor.registers.tests.factories import customer_records, person_record
from minasidor.registers.types import (
    AccountYear,
    FundHolding,
    Payment,
    PensionDecision,
    PersonRecord,
    PersonSnapshot,
    Statement,
)

TOLVAN = "191212121212"
STATEMENT_YEAR = 2025


def _person(*, drawing_pension: bool, given_name: str = "Tolvan") -> PersonRecord:
    """Tolvan; as a saver born in 1975 (the number keeps its 1912 date, which the documents show)."""
    person = person_record(
        TOLVAN,
        drawing_pension=drawing_pension,
        still_working=not drawing_pension,
        given_name=given_name,
        family_name="Tolvansson",
    )
    return person if drawing_pension else dataclasses.replace(person, birth_date=dt.date(1975, 12, 12))


def income_pension_year() -> AccountYear:
    """Opening + rights + inheritance gains + value change + fees = closing (fees are negative)."""
    return AccountYear(
        year=STATEMENT_YEAR,
        account="income_pension",
        opening_value=Decimal("1234567.40"),
        new_rights=Decimal("81234.00"),
        inheritance_gains=Decimal("3456.70"),
        value_change=Decimal("45678.20"),
        fees=Decimal("-1234.30"),
        closing_value=Decimal("1363702.00"),
    )


def premium_pension_year() -> AccountYear:
    return AccountYear(
        year=STATEMENT_YEAR,
        account="premium_pension",
        opening_value=Decimal("345678.00"),
        new_rights=Decimal("12693.00"),
        inheritance_gains=Decimal("987.00"),
        value_change=Decimal("-23456.00"),
        fees=Decimal("-567.00"),
        closing_value=Decimal("335335.00"),
    )


def _paid_out_year() -> AccountYear:
    """A pensioner's income-pension account: 171 852 kr paid out during the year."""
    return AccountYear(
        year=STATEMENT_YEAR,
        account="income_pension",
        opening_value=Decimal("2500000.00"),
        new_rights=Decimal(0),
        inheritance_gains=Decimal("1200.00"),
        value_change=Decimal("60000.00"),
        fees=Decimal("-1300.00"),
        paid_out=Decimal("-171852.00"),
        closing_value=Decimal("2388048.00"),
    )


def funds() -> tuple[FundHolding, ...]:
    valued_on = dt.date(STATEMENT_YEAR, 12, 31)
    return (
        FundHolding(
            fund_id="AP7-AKTIE",
            fund_name="AP7 Aktiefond",
            units=Decimal("812.3456"),
            unit_price=Decimal("350.25"),
            value=Decimal("284524.00"),
            fee_percent=Decimal("0.04"),
            valued_on=valued_on,
        ),
        FundHolding(
            fund_id="AP7-RANTA",
            fund_name="AP7 Räntefond",
            units=Decimal("422.5900"),
            unit_price=Decimal("120.40"),
            value=Decimal("50811.00"),
            fee_percent=Decimal("0.03"),
            valued_on=valued_on,
        ),
    )


def saver_snapshot(*, statement: bool = True, given_name: str = "Tolvan") -> PersonSnapshot:
    """A saver with both accounts of one statement year and two premium-pension funds."""
    latest = Statement(STATEMENT_YEAR, income_pension_year(), premium_pension_year()) if statement else None
    return PersonSnapshot(
        person=_person(drawing_pension=False, given_name=given_name),
        incomes=(),
        latest_statement=latest,
        accounts=(income_pension_year(), premium_pension_year()) if statement else (),
        fund_holdings=funds() if statement else (),
        decisions=(),
        payments=(),
        customer_records=customer_records(),
    )


def pensioner_snapshot(*, statement: bool = False) -> PersonSnapshot:
    """A pensioner with decided parts and payments, and (if asked) a statement with pension paid out.

    The parts were granted from February 2020 and recalculated for 2026, when the guarantee pension ended.
    """
    granted, recalculated = (dt.date(2020, 1, 10), dt.date(2020, 2, 1)), (dt.date(2025, 11, 17), dt.date(2026, 1, 1))
    decisions = (
        PensionDecision("premium_pension", *granted, 100, Decimal("2100.00")),
        PensionDecision("income_pension", *granted, 100, Decimal("12800.00")),
        PensionDecision("guarantee_pension", *granted, 100, Decimal("900.00")),
        PensionDecision("premium_pension", *recalculated, 100, Decimal("2345.00")),
        PensionDecision("income_pension", *recalculated, 100, Decimal("14321.00")),
        PensionDecision("guarantee_pension", *recalculated, 100, Decimal("0.00")),
    )
    payments = (
        Payment(dt.date(2026, 11, 19), Decimal("16666.00"), Decimal("3210.00"), Decimal("13456.00"), paid=True),
        Payment(dt.date(2026, 12, 18), Decimal("16666.00"), Decimal("3210.00"), Decimal("13456.00"), paid=False),
        Payment(dt.date(2026, 10, 19), Decimal("16555.00"), Decimal("3190.00"), Decimal("13365.00"), paid=True),
    )
    return PersonSnapshot(
        person=_person(drawing_pension=True),
        incomes=(),
        latest_statement=Statement(STATEMENT_YEAR, _paid_out_year(), None) if statement else None,
        accounts=(_paid_out_year(),) if statement else (),
        fund_holdings=(),
        decisions=decisions,
        payments=payments,
        customer_records=customer_records(),
    )


def _age(age: int, before_tax: int, *, other: tuple[IncomeStep, ...] = ()) -> AgeForecast:
    parts = PartAmounts(
        income_pension=Decimal(before_tax - 3000),
        premium_pension=Decimal(2000),
        guarantee_pension=Decimal(0),
        income_pension_supplement=Decimal(1000),
        supplementary_pension=Decimal(0),
        total_before_tax=Decimal(before_tax),
        total_after_tax=Decimal(before_tax * 3 // 4),
    )
    return AgeForecast(
        age=age,
        allowed=True,
        expected=parts,
        pessimistic_total=Decimal(before_tax - 2100),
        optimistic_total=Decimal(before_tax + 4300),
        other_pensions=other,
    )


def other_pension_steps(withdrawal_age: int) -> tuple[IncomeStep, ...]:
    """An occupational pension paid for five years, then a lifelong one, plus a private pension for life."""
    return (
        IncomeStep(
            from_age=withdrawal_age,
            until_age=withdrawal_age + 5,
            occupational=Decimal(7650),
            private=Decimal(870),
            ending=("Alecta",),
        ),
        IncomeStep(from_age=withdrawal_age + 5, until_age=None, occupational=Decimal(4320), private=Decimal(870)),
    )


def forecast_example(
    *, withdrawal_age: int = 67, other_pensions: bool = False, keeps_working: bool = True
) -> PensionForecast:
    """A forecast for ages 63 to 70 of a person born 1963 (lowest age 64: 63 is not allowed)."""
    ages = [AgeForecast(age=63, allowed=False, expected=None, pessimistic_total=None, optimistic_total=None)]
    for age in range(64, 71):
        steps = other_pension_steps(age) if other_pensions else ()
        ages.append(_age(age, 20000 + 1500 * (age - 64) + 11, other=steps))
    return PensionForecast(
        price_level_year=2026,
        birth_year=1963,
        lowest_age=64,
        target_age=67,
        choice=ForecastChoice(
            withdrawal_age=withdrawal_age,
            withdrawal_share=100,
            keeps_working=keeps_working,
            yearly_income=Decimal(456000) if keeps_working else None,
        ),
        ages=tuple(ages),
        includes_other_pensions=other_pensions,
    )
