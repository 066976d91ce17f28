"""Garantipension (guarantee pension) for people born 1938 or later.

Legal reference: SFB 67 kap. Levels in price base amounts by period (reference §4.1; rules.yaml): with U the
yearly income-based pension (beräkningsunderlag), t the threshold, full the full level and rest the level at
the threshold, GP = full − U when U ≤ t, else rest − 0.48 · (U − t), never below 0. Residence: full guarantee
pension needs 40 years of residence (försäkringstid) between 16 and 64; with fewer years the Pensions Agency
scales all three amounts (full, threshold, rest) by years/40 — not the result — and at least 3 years are
needed. A calendar year uses the levels in force in December (the August 2022 rise counts for 2022).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.parameters import ParameterSet, load_parameters, rules
from pension_engine.parameters.rule_types import GuaranteeLevels, GuaranteePensionPeriod
from pension_engine.yearly_rules import by_year, take_yearly

LEVELS = ("full", "threshold", "rest")


def _levels_of(period: GuaranteePensionPeriod, married: bool) -> GuaranteeLevels:
    return period.married if married else period.single


@functools.cache
def levels_in_price_base_amounts(married: bool) -> dict[str, FloatArray]:
    """Yearly levels (full, threshold and rest) in price base amounts for married or single people.

    A period starting in a month of year Y counts for the whole of Y (the level in force in December).
    """
    periods = rules().guarantee_pension.periods
    return {
        "full": by_year((period.start, _levels_of(period, married).full) for period in periods),
        "threshold": by_year((period.start, _levels_of(period, married).threshold) for period in periods),
        "rest": by_year((period.start, _levels_of(period, married).rest) for period in periods),
    }


def residence_scale(residence_years: npt.ArrayLike) -> FloatArray:
    """Residence factor years/40, capped at 1, and 0 below the minimum of 3 years."""
    rule = rules().guarantee_pension
    years = np.floor(as_float(residence_years))
    scale = np.minimum(years / float(rule.full_residence_years), 1.0)
    return np.where(years < float(rule.minimum_residence_years), 0.0, scale)


def scaled_levels(
    year: npt.ArrayLike, married: npt.ArrayLike, residence_years: npt.ArrayLike, parameters: ParameterSet | None
) -> dict[str, FloatArray]:
    """Full level, threshold and rest in kronor per year, each scaled by residence years/40."""
    params = parameters or load_parameters()
    years = as_int(year)
    is_married = np.asarray(married, dtype=np.bool_)
    scale = residence_scale(residence_years) * params.take("price_base_amount", years)
    single_levels, married_levels = levels_in_price_base_amounts(False), levels_in_price_base_amounts(True)
    levels = {}
    for level in LEVELS:
        single = take_yearly(single_levels[level], years)
        couple = take_yearly(married_levels[level], years)
        levels[level] = np.where(is_married, couple, single) * scale
    return levels


def guarantee_pension(
    income_based_pension: npt.ArrayLike,
    year: npt.ArrayLike,
    married: npt.ArrayLike,
    residence_years: npt.ArrayLike,
    parameters: ParameterSet | None = None,
) -> FloatArray:
    """Yearly guarantee pension (unrounded) for a yearly income-based pension U, per person."""
    levels = scaled_levels(year, married, residence_years, parameters)
    underlag = np.maximum(as_float(income_based_pension), 0.0)
    reduction = rules().guarantee_pension.reduction_rate
    below = levels["full"] - underlag
    above = levels["rest"] - reduction * (underlag - levels["threshold"])
    return np.maximum(np.where(underlag <= levels["threshold"], below, above), 0.0)


def upper_limit(
    year: npt.ArrayLike,
    married: npt.ArrayLike,
    residence_years: npt.ArrayLike = 40.0,
    parameters: ParameterSet | None = None,
) -> FloatArray:
    """Yearly income-based pension at and above which guarantee pension is zero: t + rest/0.48."""
    levels = scaled_levels(year, married, residence_years, parameters)
    reduction = rules().guarantee_pension.reduction_rate
    return levels["threshold"] + levels["rest"] / reduction
