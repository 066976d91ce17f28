"""Requirement: a forecast made early in a year, before the Tax Agency has decided last year's income, counts
that year with the last decided income (raised by the income index), not as a year without income.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from minasidor.pension_data.forecast import default_choice, forecast_compute, incomes_until
from minasidor.pension_data.types import PensionForecast
from minasidor.registers.tests.factories import make_snapshot
from minasidor.registers.types import IncomeYear, PersonSnapshot
from pension_engine.parameters import FIRST_YEAR, load_parameters

LENA = "198001139297"
INCOME = 400_000
NEXT_SPRING = dt.date(2027, 3, 1)  # the 2026 income is decided in late autumn 2027


@pytest.fixture
def base_amounts_of_2027_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a deployment whose parameters have been given 2027's base amounts (the engine's own data ends
    in 2026, so the portal and the engine are told that 2027 is known)."""
    monkeypatch.setattr("minasidor.pension_data.forecast.last_actual_year", lambda: 2027)
    monkeypatch.setattr("pension_engine.forecast.last_actual_year", lambda: 2027)


def _totals(result: PensionForecast) -> dict[int, Decimal]:
    return {row.age: row.expected.total_before_tax for row in result.ages if row.expected is not None}


def _with_income_of_2026(snapshot: PersonSnapshot, income: float) -> PersonSnapshot:
    """The same person once the register has decided 2026 (and made the statement for it)."""
    row = dataclasses.replace(snapshot.incomes[-1], year=2026, income=Decimal(str(income)))
    assert snapshot.latest_statement is not None
    statement = dataclasses.replace(snapshot.latest_statement, year=2026)
    return dataclasses.replace(snapshot, incomes=(*snapshot.incomes, row), latest_statement=statement)


@pytest.mark.usefixtures("base_amounts_of_2027_in")
def test_the_undecided_year_counts_with_the_last_income_raised_by_the_income_index() -> None:
    snapshot = make_snapshot(LENA, yearly_income=INCOME)
    index = load_parameters().series("income_index")
    raised = INCOME * float(index[2026 - FIRST_YEAR] / index[2025 - FIRST_YEAR])
    assert incomes_until(snapshot, 2027)[2026] == raised
    assert incomes_until(snapshot, 2026) == {row.year: float(row.income) for row in snapshot.incomes}

    choice = default_choice(snapshot, NEXT_SPRING)
    early = forecast_compute(snapshot, choice, today=NEXT_SPRING)
    decided = forecast_compute(_with_income_of_2026(snapshot, raised), choice, today=NEXT_SPRING)
    assert _totals(early) == _totals(decided)


@pytest.mark.usefixtures("base_amounts_of_2027_in")
def test_a_forecast_next_spring_is_close_to_this_autumns() -> None:
    snapshot = make_snapshot(LENA, yearly_income=INCOME)
    choice = default_choice(snapshot, dt.date(2026, 11, 28))
    autumn = _totals(forecast_compute(snapshot, choice, today=dt.date(2026, 11, 28)))
    spring = _totals(forecast_compute(snapshot, choice, today=NEXT_SPRING))
    as_if_nothing_earned = _totals(forecast_compute(_with_income_of_2026(snapshot, 0.0), choice, today=NEXT_SPRING))
    age = choice.withdrawal_age
    assert abs(spring[age] - autumn[age]) < Decimal("0.03") * autumn[age]
    assert as_if_nothing_earned[age] < Decimal("0.9") * spring[age]


def test_no_statement_means_nothing_is_made_up() -> None:
    snapshot = dataclasses.replace(make_snapshot(LENA), latest_statement=None)
    assert max(incomes_until(snapshot, 2028)) == 2025
    assert isinstance(snapshot.incomes[0], IncomeYear)


def test_a_new_year_before_its_base_amounts_are_in_forecasts_in_last_years_money() -> None:
    snapshot = make_snapshot(LENA, yearly_income=INCOME)
    choice = default_choice(snapshot, NEXT_SPRING)
    result = forecast_compute(snapshot, choice, today=NEXT_SPRING)
    assert result.price_level_year == 2026
    assert _totals(result)[choice.withdrawal_age] > 0
