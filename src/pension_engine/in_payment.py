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
  income pension's indexation afterwards (docs/decisions/0076);
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
from pension_engine.indexation import in_payment_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters, rules
from pension_engine.pension_rights import supplementary_pension_share
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


@dataclass(frozen=True)
class Pensioners:
    """Persons who draw (or will draw) pension, as parallel arrays.

    ``income`` (gross earned income, for the ATP points), ``income_pension_rights`` and
    ``premium_pension_rights`` (as decided, the transition share applied) are persons × income years from
    ``history_first_year``. ``municipal_tax_rate`` NaN means the national average.
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

    def __post_init__(self) -> None:
        size = self.birth_year.shape[0]
        shape = self.income.shape
        if len(shape) != 2 or shape[0] != size:
            raise PopulationError("income must be persons × years")
        if self.income_pension_rights.shape != shape or self.premium_pension_rights.shape != shape:
            raise PopulationError("rights must have the shape of income (persons × years)")
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


def _padded(matrix: FloatArray, columns: int) -> FloatArray:
    if matrix.shape[1] >= columns:
        return matrix[:, :columns]
    return np.hstack([matrix, np.zeros((matrix.shape[0], columns - matrix.shape[1]))])


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
    """The guarantee-pension underlag in the money of the guarantee-pension year, and that year."""

    amount: FloatArray
    year: IntArray


def _guarantee_underlag(
    pensioners: Pensioners, rights: FloatArray, supplementary_units: FloatArray, parameters: ParameterSet
) -> _Underlag:
    born = pensioners.birth_year
    age = guarantee_pension_age(born)
    year = born + age
    first = pensioners.history_first_year
    notional = income_pension_history(rights, first, born, parameters).statements
    rows = np.arange(born.size)
    closing = np.stack([notional[y].closing_value for y in sorted(notional)], axis=1)
    before = year - 1 - (first + 1)  # the statement column of the year before
    balance = np.where(before >= 0, closing[rows, np.clip(before, 0, closing.shape[1] - 1)], 0.0)
    pending_column = year - 1 - first  # the right of the year before, credited after the start (0010)
    pending = np.where(
        (pending_column >= 0) & (pending_column < rights.shape[1]),
        rights[rows, np.clip(pending_column, 0, rights.shape[1] - 1)],
        0.0,
    )
    base_amount = parameters.take("increased_price_base_amount", year)
    supplementary = supplementary_units * base_amount * withdrawal_age_adjustment(age)
    return _Underlag(amount=np.asarray((balance + pending) / divisor_at(born, age) + supplementary), year=year)


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
    premium_pension = premium_pension_history(pp_rights, first, born, params, withdrawal=drawn).monthly_pension
    supplementary_units = _supplementary_in_base_amounts(pensioners, params)
    underlag = _guarantee_underlag(pensioners, ip_rights + pp_rights, supplementary_units, params)
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
        guarantee, supplement = _guarantee_parts(pensioners, underlag, year, level, params)
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
    pensioners: Pensioners, underlag: _Underlag, year: int, level: FloatArray, parameters: ParameterSet
) -> tuple[FloatArray, FloatArray]:
    """Monthly guarantee pension and income-pension supplement in ``year`` (full withdrawal, from its age)."""
    size = pensioners.birth_year.size
    first_year = rules().guarantee_pension.first_year
    payable = pensioners.withdrawal.drawing(year) & (pensioners.withdrawal.share == 1.0) & (year >= underlag.year)
    if year < first_year or not payable.any():
        return np.zeros(size), np.zeros(size)
    amount = underlag.amount * level[year - FIRST_YEAR] / level[underlag.year - FIRST_YEAR]
    residence = pensioners.residence_years
    guarantee = guarantee_pension(amount, year, pensioners.married, residence, parameters) / MONTHS_IN_YEAR
    supplement = income_pension_supplement(amount, year, residence, parameters) / MONTHS_IN_YEAR
    return np.where(payable, round_kronor(guarantee), 0.0), np.where(payable, round_kronor(supplement), 0.0)


def _with_tax(parts: MonthlyParts, pensioners: Pensioners, year: int, parameters: ParameterSet) -> YearOfPayments:
    total = parts.total
    increased = entitled_to_increased_deduction(pensioners.birth_year, year - pensioners.birth_year)
    yearly_tax = income_tax(MONTHS_IN_YEAR * total, year, increased, pensioners.municipal_tax_rate, parameters)
    return YearOfPayments(parts=parts, total_before_tax=total, tax=round_kronor(yearly_tax / MONTHS_IN_YEAR))
