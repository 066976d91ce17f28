"""Inkomstpensionstillägg (income-pension supplement), paid from September 2021.

Legal reference: SFB 74 a kap. (inkomstpensionstillägg; the chapter is named in SFS 2022:878). A
trapezoid on the yearly income-based pension U (reference §4.3, model data): 0 below 108 000; 30 % of
(U − 108 000) up to the maximum 7 200 a year; flat to 168 000; then reduced by 20 % of (U − 168 000); the
kronor brackets are in 2021 money and revalued by (I(t)/I(2021)) / 1.016^(t−2021); the maximum stays 7 200
(600 kr a month, confirmed for 2025). The full supplement needs 40 years with pensionable income in Sweden
and is scaled by years/40 ("antal år i Sverige som du har tjänat in pensionsgrundande inkomst", the Pensions
Agency; docs/decisions/0121) — not by residence years.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float
from pension_engine.parameters import ParameterSet, load_parameters, rules


def bracket_revaluation(year: int, parameters: ParameterSet | None = None) -> float:
    """Factor turning the 2021 brackets into year-``year`` money: (I(t)/I(2021)) / 1.016^(t−2021)."""
    params = parameters or load_parameters()
    base_year = rules().income_pension_supplement.base_year
    norm = rules().indexation.norm.value
    index_ratio = params.at("income_index", year) / params.at("income_index", base_year)
    return float(index_ratio / norm ** (year - base_year))


def years_scale(years_with_pensionable_income: npt.ArrayLike) -> FloatArray:
    """The share of the full supplement: whole years with pensionable income / 40, at most 1."""
    full = float(rules().income_pension_supplement.full_years_with_income)
    return np.asarray(np.minimum(np.floor(as_float(years_with_pensionable_income)) / full, 1.0))


def income_pension_supplement(
    income_based_pension: npt.ArrayLike,
    year: int,
    years_with_pensionable_income: npt.ArrayLike,
    parameters: ParameterSet | None = None,
) -> FloatArray:
    """Yearly income-pension supplement for a yearly income-based pension U (0 before 2021)."""
    rule = rules().income_pension_supplement
    underlag = as_float(income_based_pension)
    if year < rule.from_year:
        return np.zeros(underlag.shape)
    revaluation = bracket_revaluation(year, parameters)
    lower = rule.lower * revaluation
    plateau_end = rule.plateau_end * revaluation
    maximum = rule.maximum
    rising = rule.ramp_rate * (underlag - lower)
    falling = maximum - rule.taper_rate * (underlag - plateau_end)
    amount = np.clip(np.minimum(np.minimum(rising, maximum), falling), 0.0, None)
    return np.asarray(amount * years_scale(years_with_pensionable_income))
