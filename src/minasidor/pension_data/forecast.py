"""The citizen's pension forecast: the engine's forecast for one person, from the register's snapshot.

The forecast follows the 2022 forecast standard the engine implements (docs/engine.md): monthly amounts in
today's money, the expected case with a pessimistic and an optimistic band. Income until the chosen age is
today's level from the register (the last decided year, raised to today's wage level), another income the
citizen gives, or none. The years between the register's latest statement and this year, whose income the
Tax Agency has not yet decided, count with the last decided income raised by the income index (not as
years without income). Amounts are in the money of this year, or of the last year whose base amounts the
engine has when a new year has begun before they were added (the page names the year). Min Pension's
occupational and private pensions are added per age where Min Pension gave a forecast for that age; those
already paid out are added at every age shown, for they are paid whenever the public pension starts.

The pension credits the register has decided (child years, studies, military service) count in the pension
base as income does, and so do the child-year credits still to come: the register keeps no children, so
the youngest child's birth year is read off the credits: the first year of the latest unbroken run of
child-year credits, since the credit is given from the birth year and the three after it (SFB 60 kap.).
Where a run is longer than four years, two children's years have met and the later child's birth year is
not known: the latest year that fits (the run's last year less three) is taken, which may leave out a
credit still to come but never adds one that is not. A child born after the latest decided year is not
known to the register until its first credit is decided, and so not in the forecast.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.minpension.income import IncomeStep, income_steps
from minasidor.minpension.types import PensionHoldings
from minasidor.pension_data.types import AgeForecast, AgeWindow, ForecastChoice, PartAmounts, PensionForecast
from minasidor.registers.types import PersonSnapshot
from pension_engine.annuity_divisor import divisor_age_range
from pension_engine.forecast import ForecastResult, forecast
from pension_engine.parameters import FIRST_YEAR, last_actual_year, load_parameters, rules
from pension_engine.population import Population
from pension_engine.retirement_ages import lowest_withdrawal_age, target_retirement_age

LAST_AGE_SHOWN = 75


class ForecastUnavailableError(Exception):
    """No forecast can be made for this person (too old for any age, or already drawing pension)."""


def cohort_ages(birth_year: int) -> tuple[int, int]:
    """The lowest age the cohort may start drawing the income-based pension, and its target age."""
    return int(lowest_withdrawal_age([birth_year])[0]), int(target_retirement_age([birth_year])[0])


def default_choice(snapshot: PersonSnapshot, today: dt.date) -> ForecastChoice:
    """The target age (or the next age still ahead), full withdrawal, working at today's level until then."""
    birth_year = snapshot.person.birth_date.year
    _lowest, target = cohort_ages(birth_year)
    return ForecastChoice(
        withdrawal_age=max(target, today.year - birth_year),
        withdrawal_share=100,
        keeps_working=True,
        yearly_income=None,
    )


def age_window(snapshot: PersonSnapshot | None, today: dt.date) -> AgeWindow | None:
    """The ages a forecast is made for: from the lowest allowed (or today's age) to 75.

    None when there is nothing to forecast: no snapshot, a person who already draws their pension, or one
    past every age shown.
    """
    if snapshot is None or snapshot.person.drawing_pension:
        return None
    birth_year = snapshot.person.birth_date.year
    lowest, target = cohort_ages(birth_year)
    first_divisor_age, last_divisor_age = divisor_age_range()
    first = max(lowest, today.year - birth_year, first_divisor_age)
    ages = range(first, min(LAST_AGE_SHOWN, last_divisor_age) + 1)
    return AgeWindow(lowest=lowest, target=target, ages=ages) if ages else None


def clamped_choice(choice: ForecastChoice, window: AgeWindow) -> ForecastChoice:
    """``choice`` with its age moved into the window (the first or last age shown)."""
    age = min(max(choice.withdrawal_age, window.first), window.last)
    return choice if age == choice.withdrawal_age else dataclasses.replace(choice, withdrawal_age=age)


def incomes_until(snapshot: PersonSnapshot, as_of_year: int) -> dict[int, float]:
    """Income per year before ``as_of_year``: the decided ones, then the last decided one raised by the income
    index for each year the register has not decided yet (after its latest statement)."""
    incomes = {row.year: float(row.income) for row in snapshot.incomes if row.year < as_of_year}
    statement = snapshot.latest_statement
    if statement is None or statement.year >= as_of_year - 1:
        return incomes
    decided = statement.year
    last = incomes.get(decided, 0.0)
    index = load_parameters().series("income_index")
    for year in range(decided + 1, as_of_year):
        incomes[year] = last * float(index[year - FIRST_YEAR] / index[decided - FIRST_YEAR])
    return incomes


def credits_until(snapshot: PersonSnapshot, as_of_year: int) -> dict[int, float]:
    """The decided pension credits (all kinds together) per income year before ``as_of_year``."""
    return {row.year: float(row.credits) for row in snapshot.incomes if row.year < as_of_year and row.credits > 0}


def youngest_child_birth_year(snapshot: PersonSnapshot) -> int | None:
    """The birth year of the youngest child the register has credited child years for: the first year of the
    latest unbroken run of child-year credits (None without any)."""
    credited = {row.year for row in snapshot.incomes if row.child_year_credit > 0}
    if not credited:
        return None
    last = first = max(credited)
    while first - 1 in credited:
        first -= 1
    return max(first, last - rules().pension_credits.child_years.count + 1)


def _population(snapshot: PersonSnapshot, choice: ForecastChoice, as_of_year: int, years_ahead: int) -> Population:
    person = snapshot.person
    tax = snapshot.customer_records.tax_settings
    future_income: list[float] | None = None
    if not choice.keeps_working:
        future_income = [0.0] * years_ahead
    elif choice.yearly_income is not None:
        future_income = [float(choice.yearly_income)] * years_ahead
    return Population.of_one(
        birth_year=person.birth_date.year,
        income_by_year=incomes_until(snapshot, as_of_year),
        residence_years=float(person.residence_years),
        married=person.married,
        withdrawal_share=choice.withdrawal_share / 100,
        municipal_tax_rate=None if tax is None else float(tax.municipal_tax_rate) / 100,
        future_income=future_income,
        credits_by_year=credits_until(snapshot, as_of_year) or None,
        youngest_child_birth_year=youngest_child_birth_year(snapshot),
    )


def _kronor(value: float) -> Decimal:
    return Decimal(round(value))


def other_pensions_at(holdings: PensionHoldings | None, age: int) -> tuple[tuple[IncomeStep, ...], bool]:
    """Min Pension's pensions as steps if the public pension starts at ``age``, and whether some are unknown
    there: at an age Min Pension gave no forecast for, only the pensions already paid out (the same at every
    age) — never nothing, for they are paid whatever the age."""
    if holdings is None or not holdings.withdrawal_ages:
        return (), False
    if age in holdings.withdrawal_ages:
        return income_steps(holdings, age), False
    paid = any(item.in_payment for item in holdings.items)
    missing = not all(item.in_payment for item in holdings.items)
    return (income_steps(holdings, age, in_payment=True) if paid else ()), missing


def forecast_compute(
    snapshot: PersonSnapshot,
    choice: ForecastChoice,
    *,
    today: dt.date,
    other_pensions: PensionHoldings | None = None,
    window: AgeWindow | None = None,
    chosen_only: bool = False,
) -> PensionForecast:
    """The forecast at every age of the :func:`age_window` for the citizen's choice (``window``, when the
    caller has it already), or with ``chosen_only`` at the chosen age only; raises ForecastUnavailableError
    when there is none."""
    engine = forecast_engine_run(snapshot, choice, today=today, window=window, chosen_only=chosen_only)
    return forecast_finish(engine, other_pensions)


@dataclasses.dataclass(frozen=True, slots=True)
class EngineForecast:
    """The engine's part of a forecast (the public pension), before Min Pension's pensions are added.

    ``band`` says whether the pessimistic and optimistic scenarios were computed: a forecast made for the
    chosen age only (the overview's) has none unless the window is that one age (decision 0246).
    """

    result: ForecastResult
    window: AgeWindow
    choice: ForecastChoice
    ages: range
    as_of_year: int
    birth_year: int
    band: bool


def forecast_engine_run(
    snapshot: PersonSnapshot,
    choice: ForecastChoice,
    *,
    today: dt.date,
    window: AgeWindow | None = None,
    chosen_only: bool = False,
) -> EngineForecast:
    """The engine's forecast for the citizen's choice, at every age of the window or at the chosen one; it needs
    only the register's snapshot, so a page can run it while Min Pension is asked."""
    if snapshot.person.drawing_pension:
        raise ForecastUnavailableError("already drawing pension")
    window = window or age_window(snapshot, today)
    if window is None:
        raise ForecastUnavailableError("no age left to forecast")
    choice = clamped_choice(choice, window)
    birth_year = snapshot.person.birth_date.year
    ages = range(choice.withdrawal_age, choice.withdrawal_age + 1) if chosen_only else window.ages
    band = len(ages) == len(window.ages)  # one age in a one-age window is the whole forecast: with its band
    as_of_year = min(today.year, last_actual_year())  # in a new year before its base amounts are in: last year's
    years_ahead = birth_year + ages[-1] - as_of_year + 1
    result = forecast(
        _population(snapshot, choice, as_of_year, years_ahead),
        as_of_year=as_of_year,
        withdrawal_ages=ages,
        with_band=band,
    )
    return EngineForecast(
        result=result,
        window=window,
        choice=choice,
        ages=ages,
        as_of_year=as_of_year,
        birth_year=birth_year,
        band=band,
    )


def forecast_finish(engine: EngineForecast, other_pensions: PensionHoldings | None) -> PensionForecast:
    """The forecast the pages show: the engine's amounts in kronor per age, with Min Pension's pensions added."""
    result = engine.result
    expected = result.expected
    rows = []
    for column, age in enumerate(engine.ages):
        allowed = bool(result.allowed[0, column])
        parts = None
        if allowed:
            parts = PartAmounts(
                income_pension=_kronor(expected.income_pension[0, column]),
                premium_pension=_kronor(expected.premium_pension[0, column]),
                guarantee_pension=_kronor(expected.guarantee_pension[0, column]),
                income_pension_supplement=_kronor(expected.income_pension_supplement[0, column]),
                supplementary_pension=_kronor(expected.supplementary_pension[0, column]),
                total_before_tax=_kronor(expected.total_before_tax[0, column]),
                total_after_tax=_kronor(expected.total_after_tax[0, column]),
            )
        banded = allowed and engine.band
        steps, missing = other_pensions_at(other_pensions, age)
        rows.append(
            AgeForecast(
                age=age,
                allowed=allowed,
                expected=parts,
                pessimistic_total=_kronor(result.pessimistic_total[0, column]) if banded else None,
                optimistic_total=_kronor(result.optimistic_total[0, column]) if banded else None,
                other_pensions=steps,
                other_pensions_missing=missing,
            )
        )
    return PensionForecast(
        price_level_year=engine.as_of_year,
        birth_year=engine.birth_year,
        lowest_age=engine.window.lowest,
        target_age=engine.window.target,
        choice=engine.choice,
        ages=tuple(rows),
        includes_other_pensions=other_pensions is not None and bool(other_pensions.withdrawal_ages),
    )
