"""Pension forecast for a population, following the Swedish forecast standard of 2022 (prognosstandard).

Fixed prices at the price level of ``as_of_year`` (inflation 0), no real wage growth, income staying at
today's level unless given, 1.9 % real return on premium-pension capital before fees, balance ratio 1
(docs/decisions/0012, 0015). For each withdrawal age the result holds monthly amounts in today's money, in
whole kronor, per part (inkomstpension, premiepension, garantipension, inkomstpensionstillägg,
tilläggspension) and in total before and after tax, plus the total before tax under a pessimistic and an
optimistic scenario (docs/decisions/0018). Guarantee pension and the supplement are paid from the
guarantee-pension age and only with full withdrawal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pension_engine.accumulation import AccountState, Cohorts, RightsInYear, accumulate
from pension_engine.annuity_divisor import divisor_age_range
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.parameters import (
    FIRST_YEAR,
    Assumptions,
    ParameterError,
    ParameterSet,
    forecast_standard,
    last_actual_year,
    load_parameters,
)
from pension_engine.pension_parts import PART_NAMES, PensionParts, pension_parts
from pension_engine.pension_rights import new_system_share, pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.population import Population
from pension_engine.retirement_ages import guarantee_pension_age, lowest_withdrawal_age

FIRST_NEW_SYSTEM_COHORT = 1938
WORKING_AGE = 16


class ForecastError(ParameterError):
    """A forecast the engine cannot make for this input (it answers with a message, never a number)."""


@dataclass(frozen=True)
class Scenario:
    """Economic assumptions of one forecast scenario (projected years only)."""

    name: str
    real_wage_growth: float
    premium_pension_real_return: float

    def assumptions(self) -> Assumptions:
        """The parameter-projection assumptions of this scenario (the standard's fixed prices and fund fee)."""
        return Assumptions(
            real_wage_growth=self.real_wage_growth,
            premium_pension_real_return=self.premium_pension_real_return,
        )


def band_scenarios() -> dict[str, Scenario]:
    """The pessimistic, expected (the forecast standard) and optimistic scenarios of rules.yaml."""
    band = forecast_standard().band
    return {
        name: Scenario(name, rates.real_wage_growth, rates.premium_pension_real_return)
        for name, rates in (
            ("pessimistic", band.pessimistic),
            ("expected", band.expected),
            ("optimistic", band.optimistic),
        )
    }


@dataclass(frozen=True)
class ForecastResult:
    """Monthly amounts (persons × withdrawal ages); NaN where the age is not allowed for the person."""

    as_of_year: int
    withdrawal_ages: IntArray
    allowed: BoolArray
    expected: PensionParts
    pessimistic_total: FloatArray
    optimistic_total: FloatArray


def _validate(population: Population, as_of_year: int, ages: IntArray) -> None:
    last = last_actual_year()
    if not 2003 <= as_of_year <= last:
        raise ForecastError(f"as_of_year {as_of_year} is outside the data (2003–{last})")
    if np.any(population.birth_year < FIRST_NEW_SYSTEM_COHORT):
        raise ForecastError("forecasts cover people born 1938 or later (born earlier: ATP/tilläggspension only)")
    if population.income_history.shape[1] and population.history_first_year < FIRST_YEAR:
        raise ForecastError(f"income history starts before {FIRST_YEAR}")
    if population.history_first_year + population.income_history.shape[1] > as_of_year:
        raise ForecastError("income_history must end before as_of_year (later income goes in future_income)")
    if ages.size == 0 or np.any(np.diff(ages) != 1):
        raise ForecastError("withdrawal ages must be consecutive whole years")
    first_age, last_age = divisor_age_range()
    if ages[0] < first_age or ages[-1] > last_age:
        raise ForecastError(f"withdrawal ages must lie between {first_age} and {last_age}")


def _todays_income(population: Population, as_of_year: int) -> FloatArray:
    """Income of the last history year, raised to today's wage level by the income index."""
    last_column = as_of_year - 1 - population.history_first_year
    if not 0 <= last_column < population.income_history.shape[1]:
        return np.zeros(population.size)
    params = load_parameters()
    wage_step = params.at("income_index", as_of_year) / params.at("income_index", as_of_year - 1)
    return np.asarray(population.income_history[:, last_column] * wage_step)


def _rights_of_income(
    income: FloatArray, year: int, cohorts: Cohorts, parameters: ParameterSet, *, count_all: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Rights of one income year; income before the year one turns 16 does not count (unless ``count_all``)."""
    working = (year - cohorts.birth_year) >= WORKING_AGE
    earned = income if count_all or bool(working.all()) else np.where(working, income, 0.0)
    pgi = pensionable_income(earned, year, parameters=parameters).pensionable_income
    rights = pension_rights(pgi, year, parameters=parameters, cohort_share=cohorts.new_system_share)
    return rights.income_pension_right, rights.premium_pension_right


def _history_rights(population: Population, cohorts: Cohorts, parameters: ParameterSet) -> RightsInYear:
    def rights(year: int) -> tuple[FloatArray, FloatArray]:
        column = year - population.history_first_year
        if 0 <= column < population.income_history.shape[1]:
            return _rights_of_income(population.income_history[:, column], year, cohorts, parameters)
        zeros = np.zeros(population.size)
        return zeros, zeros

    return rights


def _future_rights(
    population: Population, as_of_year: int, cohorts: Cohorts, parameters: ParameterSet, growth: float
) -> RightsInYear:
    """Rights of future income years: today's income (or the given future income) with wage growth.

    Without a given future income, the rights of the forecast year are computed once and grown with the
    wage level (base amounts grow with it, so only the rounding of the ceilings is ignored when growth ≠ 0;
    docs/decisions/0018); below 16 nobody earns rights.
    """
    todays_income = _todays_income(population, as_of_year)
    future = population.future_income
    if future is not None:

        def given_rights(year: int) -> tuple[FloatArray, FloatArray]:
            column = year - as_of_year
            level = todays_income
            if column < future.shape[1]:
                level = np.where(np.isnan(future[:, column]), todays_income, future[:, column])
            return _rights_of_income(level * (1.0 + growth) ** column, year, cohorts, parameters)

        return given_rights
    always_working = bool(((as_of_year - cohorts.birth_year) >= WORKING_AGE).all())
    income_today, premium_today = _rights_of_income(todays_income, as_of_year, cohorts, parameters, count_all=True)

    def grown_rights(year: int) -> tuple[FloatArray, FloatArray]:
        scale = (1.0 + growth) ** (year - as_of_year)
        if always_working:
            return (income_today * scale, premium_today * scale) if scale != 1.0 else (income_today, premium_today)
        working = (year - cohorts.birth_year) >= WORKING_AGE
        return np.where(working, income_today * scale, 0.0), np.where(working, premium_today * scale, 0.0)

    return grown_rights


def forecast(
    population: Population, *, as_of_year: int, withdrawal_ages: Sequence[int], with_band: bool = True
) -> ForecastResult:
    """Forecast every person's pension at each of ``withdrawal_ages`` (consecutive, same for all).

    Internally the persons are sorted by birth year (each cohort a contiguous slice); results come back
    in the caller's order. A population already ordered by birth year (as a register extract ordered by
    personal identity number is) skips both permutations.
    """
    ages = np.asarray(withdrawal_ages, dtype=np.int64)
    _validate(population, as_of_year, ages)
    already_sorted = bool(np.all(np.diff(population.birth_year) >= 0))
    order = np.arange(population.size) if already_sorted else np.argsort(population.birth_year, kind="stable")
    ordered = population if already_sorted else population.take(order)
    allowed = (ages[:, np.newaxis] >= lowest_withdrawal_age(ordered.birth_year)[np.newaxis, :]) & (
        ages[:, np.newaxis] >= (as_of_year - ordered.birth_year)[np.newaxis, :]
    )
    results = _forecast_sorted(ordered, as_of_year, ages, allowed, with_band)
    restore = np.empty_like(order)
    restore[order] = np.arange(order.size)

    def unsorted(rows: FloatArray) -> FloatArray:
        return np.asarray((rows if already_sorted else np.take(rows, restore, axis=1)).T)

    expected = results["expected"]
    pessimistic = results.get("pessimistic", expected)["total_before_tax"]
    optimistic = results.get("optimistic", expected)["total_before_tax"]
    return ForecastResult(
        as_of_year=as_of_year,
        withdrawal_ages=ages,
        allowed=np.asarray((allowed if already_sorted else np.take(allowed, restore, axis=1)).T),
        expected=PensionParts(**{name: unsorted(expected[name]) for name in PART_NAMES}),
        pessimistic_total=unsorted(pessimistic),
        optimistic_total=unsorted(optimistic),
    )


def _forecast_sorted(
    population: Population, as_of_year: int, ages: IntArray, allowed: BoolArray, with_band: bool
) -> dict[str, dict[str, FloatArray]]:
    """The forecast of a population sorted by birth year: part → ages × persons, per scenario."""
    cohorts = Cohorts(
        birth_year=population.birth_year,
        new_system_share=new_system_share(population.birth_year),
        guarantee_pension_age=guarantee_pension_age(population.birth_year),
        first_withdrawal_age=int(ages[0]),
        age_count=int(ages.size),
    )
    scenarios = band_scenarios()
    expected_params = load_parameters(as_of_year + 1, scenarios["expected"].assumptions())
    history_state = AccountState.empty(population.size, ages.size)
    first_year = max(FIRST_YEAR, int(population.birth_year.min()) + WORKING_AGE)
    accumulate(
        history_state,
        cohorts,
        range(min(first_year, as_of_year), as_of_year),
        expected_params,
        rights_in_year=_history_rights(population, cohorts, expected_params),
        # A balance closed at the end of ``year`` stands at the index level of ``year`` + 1 (0120).
        uprating=lambda year: (
            expected_params.at("applicable_index", as_of_year) / expected_params.at("applicable_index", year + 1)
        ),
    )
    last_year = int(population.birth_year.max()) + int(ages[-1]) - 1
    names = ("expected", "pessimistic", "optimistic") if with_band else ("expected",)
    results: dict[str, dict[str, FloatArray]] = {}
    for name in names:
        scenario = scenarios[name]
        scenario_params = load_parameters(as_of_year + 1, scenario.assumptions())
        state = history_state if name == names[-1] else history_state.copy()
        accumulate(
            state,
            cohorts,
            range(as_of_year, last_year + 1),
            scenario_params,
            rights_in_year=_future_rights(population, as_of_year, cohorts, scenario_params, scenario.real_wage_growth),
            uprating=lambda _year: 1.0,
        )
        results[name] = pension_parts(
            population,
            cohorts,
            state,
            ages=ages,
            allowed=allowed,
            as_of_year=as_of_year,
            parameters=expected_params,
            with_tax=name == "expected",
        )
    return results
