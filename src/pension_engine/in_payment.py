"""Pensions in payment: what each pensioner is paid a month, year by year, and what was first decided.

Legal reference: SFB 62 kap. (inkomstpension and its indexation in payment), 63 kap. (tilläggspension),
64 kap. (premiepension), 67 kap. (garantipension), 74 a kap. (inkomstpensionstillägg); inkomstskattelagen
for the tax estimate. For persons who have begun to draw (``Withdrawal``), per calendar year:

- income and premium pension from the account histories with payouts (``income_pension_history``,
  ``premium_pension_history``): indexed each January, recalculated when a pensioner still earns rights;
- tilläggspension for the transition cohorts (born 1938–1953): the ATP rule on the points of the years
  before the start, in the increased price base amount of the start year, adjusted for the start age,
  times the share drawn, then indexed like the income pension (index change / 1.016);
- guarantee pension and income-pension supplement, only with full withdrawal and from the year one reaches
  the guarantee-pension age: the underlag U is the income-based pension as if taken in full at that age —
  the notional account of all 18.5 % of the rights up to then (the right of the year before included,
  docs/decisions/0010) over the divisor at that age, plus tilläggspension at that age — and it follows the
  income pension's indexation afterwards (docs/decisions/0076); rights earned from the guarantee-pension
  year on raise it each January like the recalculated income pension, so they lower the guarantee pension
  (SFB 67 kap., docs/decisions/0121). The supplement is scaled by the years with pensionable income from
  the year one turns 16 to the year before the guarantee-pension age, 40 for the full amount (SFB 74 a kap.);
- preliminary tax on the monthly total with the engine's tax rules of the year.

Each part is rounded to whole kronor a month; the total is the sum of the rounded parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.guarantee_pension import guarantee_pension
from pension_engine.income_pension_account import divisor_at, income_pension_history
from pension_engine.income_pension_supplement import income_pension_supplement
from pension_engine.indexation import account_revaluation, in_payment_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters, rules
from pension_engine.pension_rights import supplementary_pension_share
from pension_engine.pensionable_income import pensionable_income
from pension_engine.population import PopulationError
from pension_engine.premium_pension import premium_pension_history
from pension_engine.retirement_ages import guarantee_pension_age
from pension_engine.rounding import round_kronor
from pension_engine.supplementary_pension import (
    pension_points,
    supplementary_pension_at_normal_age,
    withdrawal_age_adjustment,
)
from pension_engine.tax import entitled_to_increased_deduction, income_tax
from pension_engine.withdrawal import MONTHS_IN_YEAR, NOT_DRAWING, Withdrawal

WORKING_AGE = 16


@dataclass(frozen=True)
class Pensioners:
    """Persons who draw (or will draw) pension, as parallel arrays.

    ``income`` (gross earned income, for the ATP points), ``income_pension_rights`` and
    ``premium_pension_rights`` (as decided, the transition share applied) are persons × income years from
    ``history_first_year``. ``municipal_tax_rate`` NaN means the national average. ``pensionable_income``
    (PGI as decided, persons × income years; optional) gives the years with pensionable income that scale
    the income-pension supplement; without it PGI is derived from ``income`` by the engine's rule.
    ``premium_pension_returns`` (optional, persons × statement years from ``history_first_year`` + 1) is the
    return of each person's own funds; NaN, or no matrix, means the default alternative by age.
    """

    birth_year: IntArray
    history_first_year: int
    income: FloatArray
    income_pension_rights: FloatArray
    premium_pension_rights: FloatArray
    withdrawal: Withdrawal
    married: BoolArray
    residence_years: FloatArray
    municipal_tax_rate: FloatArray
    pensionable_income: FloatArray | None = None
    premium_pension_returns: FloatArray | None = None

    def __post_init__(self) -> None:
        size = self.birth_year.shape[0]
        shape = self.income.shape
        if len(shape) != 2 or shape[0] != size:
            raise PopulationError("income must be persons × years")
        if self.income_pension_rights.shape != shape or self.premium_pension_rights.shape != shape:
            raise PopulationError("rights must have the shape of income (persons × years)")
        if self.pensionable_income is not None and self.pensionable_income.shape != shape:
            raise PopulationError("pensionable_income must have the shape of income (persons × years)")
        returns = self.premium_pension_returns
        if returns is not None and (returns.ndim != 2 or returns.shape[0] != size):
            raise PopulationError("premium_pension_returns must be persons × statement years")
        for name in ("married", "residence_years", "municipal_tax_rate"):
            if getattr(self, name).shape != (size,):
                raise PopulationError(f"{name} must have one value per person")
        if self.withdrawal.size != size:
            raise PopulationError("withdrawal must have one value per person")


@dataclass(frozen=True)
class MonthlyParts:
    """One year's monthly amounts per person in whole kronor (0 for a part not paid that year)."""

    income_pension: FloatArray
    premium_pension: FloatArray
    supplementary_pension: FloatArray
    guarantee_pension: FloatArray
    income_pension_supplement: FloatArray

    @property
    def total(self) -> FloatArray:
        """All parts together, before tax."""
        return np.asarray(sum(getattr(self, name) for name in BENEFITS))


BENEFITS = tuple(item.name for item in fields(MonthlyParts))


@dataclass(frozen=True)
class YearOfPayments:
    """The monthly parts of one year, their total before tax, the preliminary tax and what is paid out."""

    parts: MonthlyParts
    total_before_tax: FloatArray
    tax: FloatArray

    @property
    def total_after_tax(self) -> FloatArray:
        """What reaches the pensioner's account each month."""
        return np.asarray(self.total_before_tax - self.tax)


@dataclass(frozen=True)
class PaymentHistory:
    """The years asked for, and per part the first year with a payment and its monthly amount (the decision).

    ``first_year[part]`` is ``NOT_DRAWING`` for a part never paid.
    """

    by_year: dict[int, YearOfPayments]
    first_year: dict[str, IntArray]
    first_monthly: dict[str, FloatArray]


def _padded(matrix: FloatArray, columns: int, fill: float = 0.0) -> FloatArray:
    if matrix.shape[1] >= columns:
        return matrix[:, :columns]
    return np.hstack([matrix, np.full((matrix.shape[0], columns - matrix.shape[1]), fill)])


def _supplementary_in_base_amounts(pensioners: Pensioners, parameters: ParameterSet) -> FloatArray:
    """Tilläggspension at 65 in increased price base amounts, on the points of the years before withdrawal."""
    out = np.zeros(pensioners.birth_year.size)
    rows = np.flatnonzero(supplementary_pension_share(pensioners.birth_year) > 0)
    if rows.size and pensioners.income.shape[1]:
        years = np.arange(pensioners.history_first_year, pensioners.history_first_year + pensioners.income.shape[1])
        before_start = years[np.newaxis, :] < pensioners.withdrawal.start_year[rows, np.newaxis]
        points = pension_points(np.where(before_start, pensioners.income[rows], 0.0), years, parameters)
        out[rows] = supplementary_pension_at_normal_age(points, pensioners.birth_year[rows], 1.0)
    return out


@dataclass(frozen=True)
class _Underlag:
    """The guarantee-pension underlag of each year (persons × years from ``first_year``), in that year's money.

    0 before the guarantee-pension year. ``years_with_income`` counts the years with pensionable income that
    scale the income-pension supplement.
    """

    by_year: FloatArray
    first_year: int
    start_year: IntArray
    years_with_income: FloatArray

    def of(self, year: int) -> FloatArray:
        """Each pensioner's underlag in ``year``."""
        return np.asarray(self.by_year[:, year - self.first_year])


def years_with_pensionable_income(
    pensionable_income: FloatArray, history_first_year: int, birth_year: IntArray, until_year: IntArray
) -> FloatArray:
    """Years with pensionable income from the year one turns 16 to the year before ``until_year`` (SFB 74 a kap.)."""
    years = np.arange(history_first_year, history_first_year + pensionable_income.shape[1])[np.newaxis, :]
    counted = (years >= birth_year[:, np.newaxis] + WORKING_AGE) & (years < until_year[:, np.newaxis])
    return np.asarray(((pensionable_income > 0) & counted).sum(axis=1), dtype=np.float64)


def _pensionable_incomes(pensioners: Pensioners, parameters: ParameterSet) -> FloatArray:
    if pensioners.pensionable_income is not None:
        return pensioners.pensionable_income
    out = np.zeros_like(pensioners.income)
    for column in range(out.shape[1]):
        year = pensioners.history_first_year + column
        out[:, column] = pensionable_income(
            pensioners.income[:, column], year, parameters=parameters
        ).pensionable_income
    return out


def _guarantee_underlag(
    pensioners: Pensioners, rights: FloatArray, supplementary_units: FloatArray, parameters: ParameterSet, last: int
) -> _Underlag:
    """The underlag of every year up to ``last``: at the guarantee-pension year as if taken in full at that age,
    then each January indexed like a pension in payment and raised by the notional rights credited the year
    before that were earned from the guarantee-pension year on (over the divisor at the age reached)."""
    born = pensioners.birth_year
    age = guarantee_pension_age(born)
    start = born + age
    first = pensioners.history_first_year
    notional = income_pension_history(rights, first, born, parameters).statements
    rows = np.arange(born.size)
    closing = np.stack([notional[y].closing_value for y in sorted(notional)], axis=1)
    before = start - 1 - (first + 1)  # the statement column of the year before
    balance = np.where(before >= 0, closing[rows, np.clip(before, 0, closing.shape[1] - 1)], 0.0)

    def right_of(income_year: IntArray) -> FloatArray:
        column = income_year - first
        inside = (column >= 0) & (column < rights.shape[1])
        return np.where(inside, rights[rows, np.clip(column, 0, rights.shape[1] - 1)], 0.0)

    pending = right_of(start - 1)  # the right of the year before, credited after the start (0010)
    base_amount = parameters.take("increased_price_base_amount", start)
    supplementary = supplementary_units * base_amount * withdrawal_age_adjustment(age)
    at_start = (balance + pending) / divisor_at(born, age) + supplementary
    in_payment, revaluation = in_payment_factor(parameters), account_revaluation(parameters)
    cost = parameters.series("income_pension_cost_factor")
    years = range(first + 1, last + 1)
    by_year = np.zeros((born.size, len(years)))
    current = np.zeros(born.size)
    for column, year in enumerate(years):
        credited = year - 1  # a right credited in this year was earned two years before
        earned = right_of(np.full(born.size, year - 2)) * np.where(year - 2 >= start, 1.0, 0.0)
        grown = revaluation[credited - FIRST_YEAR] * cost[credited - FIRST_YEAR]  # drawn in full: no gains
        later = current * in_payment[year - FIRST_YEAR] + earned * grown / divisor_at(born, year - born)
        current = np.where(year == start, at_start, np.where(year > start, later, 0.0))
        by_year[:, column] = current
    years_with_income = years_with_pensionable_income(_pensionable_incomes(pensioners, parameters), first, born, start)
    return _Underlag(by_year=by_year, first_year=first + 1, start_year=start, years_with_income=years_with_income)


def pensions_in_payment(
    pensioners: Pensioners, years: Sequence[int], parameters: ParameterSet | None = None
) -> PaymentHistory:
    """Each pensioner's monthly parts and tax in ``years``, and the first payment of every part.

    Years run to the last of ``years``; rights after the history are taken as nil.
    """
    params = parameters or load_parameters()
    wanted = sorted(set(years))
    if not wanted:
        raise PopulationError("name at least one year")
    last = wanted[-1]
    first = pensioners.history_first_year
    columns = last - first  # income years up to last − 1: statements up to ``last``
    drawn, born = pensioners.withdrawal, pensioners.birth_year
    ip_rights = _padded(pensioners.income_pension_rights, columns)
    pp_rights = _padded(pensioners.premium_pension_rights, columns)
    income_pension = income_pension_history(ip_rights, first, born, params, withdrawal=drawn).monthly_pension
    own = None
    if pensioners.premium_pension_returns is not None:
        own = _padded(pensioners.premium_pension_returns, columns, fill=np.nan)
    premium_pension = premium_pension_history(
        pp_rights, first, born, params, withdrawal=drawn, fund_returns=own
    ).monthly_pension
    supplementary_units = _supplementary_in_base_amounts(pensioners, params)
    underlag = _guarantee_underlag(pensioners, ip_rights + pp_rights, supplementary_units, params, last)
    level: FloatArray = np.cumprod(in_payment_factor(params), dtype=np.float64)  # pensions in payment follow it
    start = np.minimum(drawn.start_year, last)
    supplementary_at_start = (
        supplementary_units
        * params.take("increased_price_base_amount", start)
        * withdrawal_age_adjustment(start - born)
        * drawn.share
    )
    size = born.size
    first_year = {name: np.full(size, NOT_DRAWING, dtype=np.int64) for name in BENEFITS}
    first_monthly = {name: np.zeros(size) for name in BENEFITS}
    by_year: dict[int, YearOfPayments] = {}
    for year in range(max(min(int(drawn.start_year.min()), last), first + 1), last + 1):
        drawing = drawn.drawing(year)
        if not drawing.any() and year not in wanted:
            continue
        at = year - FIRST_YEAR
        indexed = level[at] / level[np.clip(start, FIRST_YEAR, None) - FIRST_YEAR]
        supplementary = np.where(drawing, round_kronor(supplementary_at_start * indexed / MONTHS_IN_YEAR), 0.0)
        guarantee, supplement = _guarantee_parts(pensioners, underlag, year, params)
        parts = MonthlyParts(
            income_pension=income_pension[year],
            premium_pension=premium_pension[year],
            supplementary_pension=supplementary,
            guarantee_pension=guarantee,
            income_pension_supplement=supplement,
        )
        for name in BENEFITS:
            amount_now = getattr(parts, name)
            new = (amount_now > 0) & (first_year[name] == NOT_DRAWING)
            first_year[name][new] = year
            first_monthly[name][new] = amount_now[new]
        if year in wanted:
            by_year[year] = _with_tax(parts, pensioners, year, params)
    return PaymentHistory(by_year=by_year, first_year=first_year, first_monthly=first_monthly)


def _guarantee_parts(
    pensioners: Pensioners, underlag: _Underlag, year: int, parameters: ParameterSet
) -> tuple[FloatArray, FloatArray]:
    """Monthly guarantee pension and income-pension supplement in ``year`` (full withdrawal, from its age)."""
    size = pensioners.birth_year.size
    first_year = rules().guarantee_pension.first_year
    payable = pensioners.withdrawal.drawing(year) & (pensioners.withdrawal.share == 1.0) & (year >= underlag.start_year)
    if year < first_year or not payable.any():
        return np.zeros(size), np.zeros(size)
    amount = underlag.of(year)
    residence = pensioners.residence_years
    guarantee = guarantee_pension(amount, year, pensioners.married, residence, parameters) / MONTHS_IN_YEAR
    supplement = income_pension_supplement(amount, year, underlag.years_with_income, parameters) / MONTHS_IN_YEAR
    return np.where(payable, round_kronor(guarantee), 0.0), np.where(payable, round_kronor(supplement), 0.0)


def _with_tax(parts: MonthlyParts, pensioners: Pensioners, year: int, parameters: ParameterSet) -> YearOfPayments:
    total = parts.total
    increased = entitled_to_increased_deduction(pensioners.birth_year, year - pensioners.birth_year)
    yearly_tax = income_tax(MONTHS_IN_YEAR * total, year, increased, pensioners.municipal_tax_rate, parameters)
    return YearOfPayments(parts=parts, total_before_tax=total, tax=round_kronor(yearly_tax / MONTHS_IN_YEAR))
