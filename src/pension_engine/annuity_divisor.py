"""Delningstal (annuity divisors) for inkomstpension and premiepension.

Legal reference: SFB 62 kap. (inkomstpension: balance / delningstal; the 1.6 % norm) and 64 kap.
(premiepension: 1.75 % förskottsränta − 0.10 % cost = 1.65 % net). Income-pension divisors come from the
published table (annuity_divisors.yaml, cohorts 1938–2000, ages 61–82); cohorts up to 1957 are fixed,
published values, later ones the workbook's forecast, and cohorts after 2000 are extrapolated by the
1990–2000 trend (docs/decisions/0013). A start between birthdays interpolates linearly by months.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, IntArray, as_float, as_int
from pension_engine.mortality import annuity_factor
from pension_engine.parameters import ParameterError, annuity_divisor_table

PREMIUM_PENSION_NET_INTEREST = 0.0165
EXTRAPOLATION_BASE_YEARS = 10
DIVISOR_DECIMALS = 2


LAST_COHORT = 2100
PREMIUM_PENSION_AGES = (55, 90)


@functools.cache
def _published() -> tuple[int, int, int, int, FloatArray]:
    table = annuity_divisor_table()
    values = table.values
    first_cohort, last_cohort = min(values), max(values)
    matrix = np.array([values[cohort] for cohort in range(first_cohort, last_cohort + 1)], dtype=np.float64)
    return first_cohort, last_cohort, table.first_age, table.last_age, matrix


@functools.cache
def income_pension_table() -> FloatArray:
    """Divisors for cohorts from the first published one to 2100 × ages 61–82 (later cohorts extrapolated)."""
    _, last_cohort, _, _, matrix = _published()
    trend = (matrix[-1] - matrix[-1 - EXTRAPOLATION_BASE_YEARS]) / EXTRAPOLATION_BASE_YEARS
    steps = np.arange(1, LAST_COHORT - last_cohort + 1, dtype=np.float64)[:, np.newaxis]
    extrapolated = np.round(matrix[-1] + steps * trend, DIVISOR_DECIMALS)
    table = np.vstack([matrix, extrapolated])
    table.flags.writeable = False
    return table


def divisor_age_range() -> tuple[int, int]:
    """Youngest and oldest whole age with a published income-pension divisor."""
    _, _, first_age, last_age, _ = _published()
    return first_age, last_age


def _interpolate(table: FloatArray, rows: IntArray, ages: IntArray, months: FloatArray, last: int) -> FloatArray:
    at_age = table[rows, ages]
    at_next = table[rows, np.minimum(ages + 1, last)]
    return np.asarray(at_age + months / 12.0 * (at_next - at_age))


def income_pension_divisor(birth_year: npt.ArrayLike, age: npt.ArrayLike, months: npt.ArrayLike = 0) -> FloatArray:
    """Income-pension divisor for each person's cohort and start age (whole years plus months)."""
    first_cohort, _, first_age, last_age, _ = _published()
    cohorts = as_int(birth_year)
    ages = as_int(age)
    extra_months = as_float(months)
    if np.any(cohorts < first_cohort) or np.any(cohorts > LAST_COHORT):
        raise ParameterError(f"income-pension divisors exist for cohorts born {first_cohort}–{LAST_COHORT}")
    if np.any(ages < first_age) or np.any(ages + (extra_months > 0) > last_age):
        raise ParameterError(f"income-pension divisors exist for ages {first_age}–{last_age}")
    ages, cohorts = np.broadcast_arrays(ages, cohorts)
    return _interpolate(
        income_pension_table(), cohorts - first_cohort, ages - first_age, extra_months, last_age - first_age
    )


def divisor_source(birth_year: int) -> str:
    """Where the divisor of a cohort comes from: published, forecast or extrapolated."""
    first_cohort, last_cohort, _, _, _ = _published()
    published_through = annuity_divisor_table().published_through
    source = annuity_divisor_table().source
    if birth_year < first_cohort:
        raise ParameterError(f"no income-pension divisor for cohorts born before {first_cohort}")
    if birth_year <= published_through:
        return f"published (fixed for the cohort); {source}"
    if birth_year <= last_cohort:
        return f"forecast (Typfallsmodellen mortality forecast); {source}"
    return f"forecast (extrapolated from the cohorts {last_cohort - EXTRAPOLATION_BASE_YEARS}–{last_cohort})"


@functools.cache
def premium_pension_table() -> FloatArray:
    """Premium-pension divisors for cohorts 1900–2100 × ages 55–90 (life annuity at 1.65 % net)."""
    first_age, last_age = PREMIUM_PENSION_AGES
    cohorts = np.repeat(np.arange(1900, LAST_COHORT + 1), last_age - first_age + 1)
    ages = np.tile(np.arange(first_age, last_age + 1), LAST_COHORT - 1900 + 1)
    factors = annuity_factor(cohorts, ages, PREMIUM_PENSION_NET_INTEREST)
    table = np.round(factors, DIVISOR_DECIMALS).reshape(-1, last_age - first_age + 1)
    table.flags.writeable = False
    return table


def premium_pension_divisor(birth_year: npt.ArrayLike, age: npt.ArrayLike, months: npt.ArrayLike = 0) -> FloatArray:
    """Premium-pension divisor: forecast life annuity at 1.65 % net, paid monthly (docs/decisions/0014)."""
    first_age, last_age = PREMIUM_PENSION_AGES
    cohorts = np.clip(as_int(birth_year), 1900, LAST_COHORT)
    ages = as_int(age)
    if np.any(ages < first_age) or np.any(ages > last_age):
        raise ParameterError(f"premium-pension divisors exist for ages {first_age}–{last_age}")
    ages, cohorts = np.broadcast_arrays(ages, cohorts)
    return _interpolate(
        premium_pension_table(), cohorts - 1900, ages - first_age, as_float(months), last_age - first_age
    )
