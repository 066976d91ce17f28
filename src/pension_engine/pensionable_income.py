"""Pensionsgrundande inkomst (PGI) and the allmän pensionsavgift (general pension fee).

Legal reference: SFB 59 kap. (pensionsgrundande inkomst); lag (1994:1744) om allmän pensionsavgift.
Rounding (reference §1.1, docs/decisions/0011): income rounded down to whole 100 kr; the 7 % fee on income
up to 8.07 income base amounts rounded to the nearest 100 kr with an exact …50 going down; PGI = income −
fee rounded down to 100 kr (50 kr before 1999) and capped at 7.5 income base amounts. Income below the
floor (42.3 % of the price base amount, rounded up to whole kronor) gives no PGI. Historic regimes from
1960 follow the Typfallsmodellen (model data, rules.yaml).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import BoolArray, FloatArray, as_float, as_int
from pension_engine.parameters import ParameterSet, load_parameters, rules
from pension_engine.rounding import round_down, round_nearest_half_down, round_up
from pension_engine.yearly_rules import by_year, take_yearly

FEE_ROUNDING = 100.0
INCOME_ROUNDING = 100.0


@dataclass(frozen=True)
class _RulesByYear:
    """The periods of rules.yaml's pensionable_income as yearly arrays (index = year − 1960)."""

    fee_rate: FloatArray
    income_ceiling_factor: FloatArray
    floor_factor: FloatArray
    floor_uses_increased_amount: BoolArray  # the floor is a share of the increased price base amount (1995–1998)
    pgi_rounding: FloatArray


@functools.cache
def _rules_by_year() -> _RulesByYear:
    periods = rules().pensionable_income.periods
    uses_fpb = by_year((p.start, float(p.floor_base == "increased_price_base_amount")) for p in periods) == 1.0
    uses_fpb.flags.writeable = False
    return _RulesByYear(
        fee_rate=by_year((p.start, p.fee_rate) for p in periods),
        income_ceiling_factor=by_year((p.start, p.income_ceiling_factor) for p in periods),
        floor_factor=by_year((p.start, p.floor_factor) for p in periods),
        floor_uses_increased_amount=uses_fpb,
        pgi_rounding=by_year((p.start, p.pgi_rounding) for p in periods),
    )


@dataclass(frozen=True)
class PensionableIncome:
    """Per person: the general pension fee and the pensionable income (PGI) of one income year."""

    general_pension_fee: FloatArray
    pensionable_income: FloatArray


def pgi_floor(year: npt.ArrayLike, parameters: ParameterSet | None = None) -> FloatArray:
    """Lowest income that gives PGI: 42.3 % of the price base amount, rounded up (SFB 59 kap.)."""
    years = as_int(year)
    params = parameters or load_parameters()
    factor = take_yearly(_rules_by_year().floor_factor, years)
    uses_fpb = take_yearly(_rules_by_year().floor_uses_increased_amount, years)
    base = np.where(
        uses_fpb,
        params.take("increased_price_base_amount", years),
        params.take("price_base_amount", years),
    )
    return round_up(factor * base, 1.0)


def fee_ceiling(year: npt.ArrayLike, parameters: ParameterSet | None = None) -> FloatArray:
    """Income up to which the general pension fee is charged: 8.07 income base amounts (from 2001)."""
    years = as_int(year)
    params = parameters or load_parameters()
    factor = take_yearly(_rules_by_year().income_ceiling_factor, years)
    return factor * params.take("income_base_amount", years)


def pgi_ceiling(year: npt.ArrayLike, parameters: ParameterSet | None = None) -> FloatArray:
    """Highest PGI: 7.5 income base amounts (SFB 59 kap.)."""
    params = parameters or load_parameters()
    factor = rules().pensionable_income.pgi_ceiling_factor.value
    return factor * params.take("income_base_amount", as_int(year))


def general_pension_fee(
    income: npt.ArrayLike, year: npt.ArrayLike, parameters: ParameterSet | None = None
) -> FloatArray:
    """Allmän pensionsavgift: 7 % of income up to the ceiling, to the nearest 100 kr (…50 down)."""
    years = as_int(year)
    rounded_income = round_down(as_float(income), INCOME_ROUNDING)
    rate = take_yearly(_rules_by_year().fee_rate, years)
    charged = np.minimum(rounded_income, fee_ceiling(years, parameters))
    return round_nearest_half_down(rate * charged, FEE_ROUNDING)


def pensionable_income(
    income: npt.ArrayLike,
    year: npt.ArrayLike,
    sickness_compensation: npt.ArrayLike = 0.0,
    parameters: ParameterSet | None = None,
) -> PensionableIncome:
    """PGI of one income year for each person (vectorised; a single person is a population of one).

    ``income`` is gross earned income (employment, business and taxable benefits); sickness and activity
    compensation (sjuk-/aktivitetsersättning) is given separately because the state pays its fee: it enters
    PGI in full, without the 7 % deduction (reference §1.1, model data).
    """
    years = as_int(year)
    gross = np.maximum(as_float(income), 0.0)
    gross_benefit = np.maximum(as_float(sickness_compensation), 0.0)
    earned = round_down(gross, INCOME_ROUNDING)
    benefit = round_down(gross_benefit, INCOME_ROUNDING)
    fee = general_pension_fee(earned, years, parameters)
    rounding = take_yearly(_rules_by_year().pgi_rounding, years)
    pgi = round_down(earned - fee + benefit, rounding)
    pgi = np.minimum(pgi, pgi_ceiling(years, parameters))
    below_floor = gross + gross_benefit < pgi_floor(years, parameters)
    return PensionableIncome(
        general_pension_fee=np.where(below_floor, 0.0, fee),
        pensionable_income=np.where(below_floor, 0.0, pgi),
    )
