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
from pension_engine.parameters import FIRST_YEAR, LAST_YEAR, ParameterSet, load_parameters, rules
from pension_engine.yearly_rules import take_yearly

LEVELS = ("full", "threshold", "rest")


@functools.cache
def level_in_price_base_amounts(civil_status: str, level: str) -> FloatArray:
    """Yearly level (full, threshold or rest) in price base amounts for ``single`` or ``married``.

    A period starting in a month of year Y counts for the whole of Y (the level in force in December).
    """
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    out = np.full(years.size, np.nan)
    for period in rules()["guarantee_pension"]["periods"]:
        start_year = int(str(period["from"])[:4])
        out[years >= start_year] = float(period[civil_status][level])
    out.flags.writeable = False
    return out


def residence_scale(residence_years: npt.ArrayLike) -> FloatArray:
    """Residence factor years/40, capped at 1, and 0 below the minimum of 3 years."""
    rule = rules()["guarantee_pension"]
    years = np.floor(as_float(residence_years))
    scale = np.minimum(years / float(rule["full_residence_years"]), 1.0)
    return np.where(years < float(rule["minimum_residence_years"]), 0.0, scale)


def scaled_levels(
    year: npt.ArrayLike, married: npt.ArrayLike, residence_years: npt.ArrayLike, parameters: ParameterSet | None
) -> dict[str, FloatArray]:
    """Full level, threshold and rest in kronor per year, each scaled by residence years/40."""
    params = parameters or load_parameters()
    years = as_int(year)
    is_married = np.asarray(married, dtype=np.bool_)
    scale = residence_scale(residence_years) * params.take("price_base_amount", years)
    levels = {}
    for level in LEVELS:
        single = take_yearly(level_in_price_base_amounts("single", level), years)
        couple = take_yearly(level_in_price_base_amounts("married", level), years)
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
    reduction = float(rules()["guarantee_pension"]["reduction_rate"])
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
    reduction = float(rules()["guarantee_pension"]["reduction_rate"])
    return levels["threshold"] + levels["rest"] / reduction
