"""Requirement (issue 15 item 2): the forecast counts every pension credit the register has decided (child
years, studies, military service) as the statement does, and the child-year credits still to come for a
parent of a young child; before, a parent of young children was forecast several per cent low.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.pension_data.forecast import (
    credits_until,
    default_choice,
    forecast_compute,
    youngest_child_birth_year,
)
from minasidor.pension_data.types import PensionForecast
from minasidor.registers.tests.factories import make_snapshot
from minasidor.registers.types import IncomeYear, PersonSnapshot

SARA = "199101012384"
TODAY = dt.date(2026, 10, 1)
LOW_INCOME = 150_000  # a parent working part time: the flat child-year credit (one income base amount) helps


def _credited(
    snapshot: PersonSnapshot,
    *,
    child_year_credit: dict[int, int] | None = None,
    study_credit: dict[int, int] | None = None,
    military_service_credit: dict[int, int] | None = None,
) -> PersonSnapshot:
    """``snapshot`` with pension credits of the given kinds in the given years."""

    def with_credit(row: IncomeYear) -> IncomeYear:
        return dataclasses.replace(
            row,
            child_year_credit=Decimal((child_year_credit or {}).get(row.year, 0)),
            study_credit=Decimal((study_credit or {}).get(row.year, 0)),
            military_service_credit=Decimal((military_service_credit or {}).get(row.year, 0)),
        )

    return dataclasses.replace(snapshot, incomes=tuple(with_credit(row) for row in snapshot.incomes))


def _total_at(result: PensionForecast, age: int) -> Decimal:
    row = next(row for row in result.ages if row.age == age)
    assert row.expected is not None
    return row.expected.total_before_tax


def test_decided_credits_of_every_kind_are_passed_by_year() -> None:
    snapshot = _credited(
        make_snapshot(SARA, yearly_income=LOW_INCOME),
        child_year_credit={2020: 40_000, 2021: 41_000},
        study_credit={2014: 12_000},
        military_service_credit={2013: 20_000},
    )
    assert credits_until(snapshot, 2026) == {2013: 20_000.0, 2014: 12_000.0, 2020: 40_000.0, 2021: 41_000.0}
    assert credits_until(snapshot, 2021) == {2013: 20_000.0, 2014: 12_000.0, 2020: 40_000.0}


def test_a_parents_forecast_counts_the_child_years() -> None:
    plain = make_snapshot(SARA, yearly_income=LOW_INCOME)
    parent = _credited(plain, child_year_credit={2019: 60_000, 2020: 60_000, 2021: 60_000, 2022: 60_000})
    choice = default_choice(plain, TODAY)
    without = _total_at(forecast_compute(plain, choice, today=TODAY), choice.withdrawal_age)
    with_credits = _total_at(forecast_compute(parent, choice, today=TODAY), choice.withdrawal_age)
    assert with_credits > without


def test_child_years_still_to_come_raise_the_forecast() -> None:
    plain = make_snapshot(SARA, yearly_income=LOW_INCOME)
    # A child born in 2024: credited for 2024 and 2025 so far, 2026 and 2027 still to come.
    young = _credited(plain, child_year_credit={2024: 60_000, 2025: 60_000})
    # The same credits, but as the last two years of a child born in 2022 (nothing more to come).
    older = _credited(plain, child_year_credit={2022: 60_000, 2023: 60_000, 2024: 60_000, 2025: 60_000})
    assert youngest_child_birth_year(young) == 2024
    assert youngest_child_birth_year(older) == 2022
    choice = default_choice(plain, TODAY)
    base = _total_at(forecast_compute(plain, choice, today=TODAY), choice.withdrawal_age)
    to_come = _total_at(forecast_compute(young, choice, today=TODAY), choice.withdrawal_age)
    assert to_come > base


def test_the_youngest_childs_birth_year_is_read_off_the_credits() -> None:
    plain = make_snapshot(SARA, yearly_income=LOW_INCOME)
    assert youngest_child_birth_year(plain) is None
    two_runs = _credited(plain, child_year_credit={2013: 1, 2014: 1, 2015: 1, 2016: 1, 2020: 1, 2021: 1})
    assert youngest_child_birth_year(two_runs) == 2020
    # Two children's years meeting (2019 and 2022): the later child's year is not known, the latest that
    # fits the run is taken (never adding a credit that is not owed).
    met = _credited(plain, child_year_credit=dict.fromkeys(range(2019, 2026), 1))
    assert youngest_child_birth_year(met) == 2022
