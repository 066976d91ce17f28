"""A Gompertz mortality model for what the reference gives no table for (docs/decisions/0014).

Used for the premium-pension annuity divisor (SCB life-expectancy forecast, 1.65 % net discount) and for
inheritance gains (arvsvinster, SFB 62 kap. and 64 kap.): the factor ℓ(x)/ℓ(x+1) shares the balances of
savers who die among the survivors of the cohort. The force of mortality is μ(x) = α·exp(β·x) with β fixed
and α calibrated so that the remaining life expectancy at 65 matches the cohort's forecast: 22.92 years for
a 65-year-old born in the 1950s (PM report "Förskottsräntan i premiepensionen", reference §3), rising by
0.1 year per later cohort (assumption). β = 0.12 is chosen so that this life expectancy, discounted at
1.65 %, reproduces PM's worked premium-pension divisor 18.69.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float

GOMPERTZ_BETA = 0.12
REFERENCE_COHORT = 1955
REFERENCE_LIFE_EXPECTANCY_AT_65 = 22.92
LIFE_EXPECTANCY_GAIN_PER_COHORT = 0.1
MONTHS = np.arange(0, 12 * 60) / 12.0


def life_expectancy_at_65(birth_year: npt.ArrayLike) -> FloatArray:
    """Forecast remaining life expectancy at 65 for a cohort (years)."""
    cohorts = as_float(birth_year)
    return REFERENCE_LIFE_EXPECTANCY_AT_65 + LIFE_EXPECTANCY_GAIN_PER_COHORT * (cohorts - REFERENCE_COHORT)


def survival(hazard_at_65: FloatArray, age: FloatArray, horizon: FloatArray) -> FloatArray:
    """Probability of surviving from ``age`` to ``age + horizon`` under μ(x) = μ65 · exp(β(x − 65))."""
    integrated = hazard_at_65 * np.exp(GOMPERTZ_BETA * (age - 65.0)) * np.expm1(GOMPERTZ_BETA * horizon)
    return np.asarray(np.exp(-integrated / GOMPERTZ_BETA), dtype=np.float64)


def _life_expectancy(hazard_at_65: FloatArray) -> FloatArray:
    probabilities = survival(hazard_at_65[:, np.newaxis], np.array([65.0]), MONTHS[np.newaxis, :])
    return np.asarray(probabilities.sum(axis=1) / 12.0, dtype=np.float64)


@functools.cache
def _hazard_table(first_cohort: int, last_cohort: int) -> FloatArray:
    targets = life_expectancy_at_65(np.arange(first_cohort, last_cohort + 1))
    low, high = np.full(targets.size, 1e-5), np.full(targets.size, 0.5)
    for _ in range(60):
        middle = np.sqrt(low * high)
        too_long = _life_expectancy(middle) > targets
        low, high = np.where(too_long, middle, low), np.where(too_long, high, middle)
    return np.asarray(np.sqrt(low * high), dtype=np.float64)


FIRST_COHORT, LAST_COHORT = 1900, 2100


def hazard_at_65(birth_year: npt.ArrayLike) -> FloatArray:
    """Calibrated Gompertz force of mortality at 65 for each person's cohort."""
    cohorts = np.clip(as_float(birth_year).astype(np.int64), FIRST_COHORT, LAST_COHORT)
    return _hazard_table(FIRST_COHORT, LAST_COHORT)[cohorts - FIRST_COHORT]


def inheritance_gain_factor(birth_year: npt.ArrayLike, age: npt.ArrayLike) -> FloatArray:
    """Arvsvinstfaktor ℓ(x)/ℓ(x+1) for the year in which a saver is ``age`` (at least 1)."""
    probabilities = survival(hazard_at_65(birth_year), as_float(age), np.array([1.0]))
    return 1.0 / probabilities


def annuity_factor(birth_year: npt.ArrayLike, age: npt.ArrayLike, interest: float) -> FloatArray:
    """Present value of 1 kr a year paid monthly for life from ``age``, discounted at ``interest``."""
    hazard = hazard_at_65(birth_year)[:, np.newaxis]
    ages = as_float(age)[:, np.newaxis]
    months = MONTHS[np.newaxis, :]
    discounted = survival(hazard, ages, months) * (1.0 + interest) ** (-months)
    return np.asarray(discounted.sum(axis=1) / 12.0, dtype=np.float64)
