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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pension_engine.accumulation import (
    AccountState,
    Cohorts,
    FundReturnsInYear,
    RightsInYear,
    YearRights,
    accumulate,
)
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
    rules,
)
from pension_engine.pension_credits import child_year_credit
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
    income: FloatArray,
    year: int,
    cohorts: Cohorts,
    parameters: ParameterSet,
    *,
    credits: FloatArray | None = None,
    count_all: bool = False,
) -> YearRights:
    """Rights of one income year from gross income and pension credits (pensionsgrundande belopp).

    Income before the year one turns 16 does not count (unless ``count_all``); the pension base is PGI plus
    credits, capped at 7.5 income base amounts (SFB 61 kap.).
    """
    working = (year - cohorts.birth_year) >= WORKING_AGE
    earned = income if count_all or bool(working.all()) else np.where(working, income, 0.0)
    pgi = pensionable_income(earned, year, parameters=parameters).pensionable_income
    credit: FloatArray | float = 0.0 if credits is None else credits
    rights = pension_rights(pgi, year, credit, parameters=parameters, cohort_share=cohorts.new_system_share)
    return YearRights(rights.income_pension_right, rights.premium_pension_right, pgi > 0)


def _history_rights(population: Population, cohorts: Cohorts, parameters: ParameterSet) -> RightsInYear:
    credit_history = population.credit_history

    def rights(year: int) -> YearRights:
        column = year - population.history_first_year
        if 0 <= column < population.income_history.shape[1]:
            credits = None if credit_history is None else credit_history[:, column]
            return _rights_of_income(population.income_history[:, column], year, cohorts, parameters, credits=credits)
        zeros = np.zeros(population.size)
        return YearRights(zeros, zeros, zeros > 0)

    return rights


def _own_fund_returns(population: Population) -> FundReturnsInYear:
    returns = population.premium_pension_returns

    def in_year(year: int) -> FloatArray | None:
        column = year - population.history_first_year
        if returns is None or not 0 <= column < returns.shape[1]:
            return None
        return np.asarray(returns[:, column])

    return in_year


def _pgi_before_birth(population: Population, as_of_year: int, parameters: ParameterSet) -> FloatArray:
    """PGI of the year before the youngest child's birth, in today's wage level (0 where unknown)."""
    born = population.youngest_child_birth_year
    out = np.zeros(population.size)
    if born is None:
        return out
    column = born - 1 - population.history_first_year
    known = (born > 0) & (column >= 0) & (column < population.income_history.shape[1])
    for year in np.unique(born[known] - 1).tolist():
        rows = np.flatnonzero(known & (born - 1 == year))
        income = population.income_history[rows, year - population.history_first_year]
        pgi = pensionable_income(income, year, parameters=parameters).pensionable_income
        out[rows] = pgi * parameters.at("income_index", as_of_year) / parameters.at("income_index", year)
    return out


def _with_child_years(
    rights: RightsInYear,
    population: Population,
    as_of_year: int,
    cohorts: Cohorts,
    parameters: ParameterSet,
    *,
    income_in: Callable[[int], FloatArray],
) -> RightsInYear:
    """Add the child-year credits (barnår) of the years still to come: the youngest child's birth year and the
    three after it, by the most favourable of the three methods (SFB 60 kap.; docs/decisions/0122)."""
    born = population.youngest_child_birth_year
    if born is None or not np.any(born > 0):
        return rights
    count = rules().pension_credits.child_years.count
    before_birth = _pgi_before_birth(population, as_of_year, parameters)

    def with_credits(year: int) -> YearRights:
        plain = rights(year)
        rows = np.flatnonzero((born > 0) & (born <= year) & (year < born + count))
        if rows.size == 0:
            return plain
        income = income_in(year)[rows]
        pgi = pensionable_income(income, year, parameters=parameters).pensionable_income
        credit = child_year_credit(pgi, before_birth[rows], year, parameters)
        share = cohorts.new_system_share[rows]
        credited = pension_rights(pgi, year, credit, parameters=parameters, cohort_share=share)
        income_pension, premium_pension = plain.income_pension.copy(), plain.premium_pension.copy()
        income_pension[rows], premium_pension[rows] = credited.income_pension_right, credited.premium_pension_right
        return YearRights(income_pension, premium_pension, plain.pensionable)

    return with_credits


def _future_rights(
    population: Population, as_of_year: int, cohorts: Cohorts, parameters: ParameterSet, growth: float
) -> RightsInYear:
    """Rights of future income years: today's income (or the given future income) with wage growth, and the
    child-year credits still to come.

    Without a given future income, the rights of the forecast year are computed once and grown with the
    wage level (base amounts grow with it, so only the rounding of the ceilings is ignored when growth ≠ 0;
    docs/decisions/0018); below 16 nobody earns rights.
    """
    todays_income = _todays_income(population, as_of_year)
    future = population.future_income

    def income_in(year: int) -> FloatArray:
        column = year - as_of_year
        level = todays_income
        if future is not None and column < future.shape[1]:
            level = np.where(np.isnan(future[:, column]), todays_income, future[:, column])
        working = (year - cohorts.birth_year) >= WORKING_AGE
        return np.asarray(np.where(working, level * (1.0 + growth) ** column, 0.0))

    if future is not None:

        def given_rights(year: int) -> YearRights:
            return _rights_of_income(income_in(year), year, cohorts, parameters)

        return _with_child_years(given_rights, population, as_of_year, cohorts, parameters, income_in=income_in)
    always_working = bool(((as_of_year - cohorts.birth_year) >= WORKING_AGE).all())
    today = _rights_of_income(todays_income, as_of_year, cohorts, parameters, count_all=True)

    def grown_rights(year: int) -> YearRights:
        scale = (1.0 + growth) ** (year - as_of_year)
        if always_working:
            if scale == 1.0:
                return today
            return YearRights(today.income_pension * scale, today.premium_pension * scale, today.pensionable)
        working = (year - cohorts.birth_year) >= WORKING_AGE
        return YearRights(
            np.where(working, today.income_pension * scale, 0.0),
            np.where(working, today.premium_pension * scale, 0.0),
            today.pensionable & working,
        )

    return _with_child_years(grown_rights, population, as_of_year, cohorts, parameters, income_in=income_in)


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
        own_fund_returns=_own_fund_returns(population),
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
        state = history_state if name == names[-1] else history_state.branch()
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
