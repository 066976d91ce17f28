"""Ages of the old-age pension: lowest withdrawal age, riktålder and guarantee-pension age.

Legal reference: SFB 2 kap. 10 a–d §§ (riktålder; prop. 2018/19:133) and the lowest-age rules of SFB 56 kap.
By calendar year the value in force that year; by cohort (birth year) the ages that apply over a person's
life (reference §5). Values after 2030 and for cohorts born 1967 or later are the Pensions Agency's forecast
(confidence: unconfirmed).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, IntArray, as_int
from pension_engine.parameters import rules
from pension_engine.parameters.rule_types import AgeRules, AgeTable
from pension_engine.yearly_rules import by_year, take_yearly

AGE_RULE_FIRST_KEY = 1900


@functools.cache
def _by_key(table: AgeTable) -> FloatArray:
    """An age table as an array by calendar year or birth year 1900–2140."""
    return by_year(((period.start, period.value) for period in table), first=AGE_RULE_FIRST_KEY)


def _age(table: AgeTable, key: npt.ArrayLike) -> IntArray:
    values = take_yearly(_by_key(table), as_int(key), first=AGE_RULE_FIRST_KEY)
    return np.asarray(values, dtype=np.int64)


def _ages() -> AgeRules:
    return rules().ages


def lowest_withdrawal_age_in_year(year: npt.ArrayLike) -> IntArray:
    """Lägsta uttagsålder in force in a calendar year (61 to 2019, 62, 63 from 2023, 64 from 2026)."""
    return _age(_ages().lowest_withdrawal_age_by_year, year)


def target_retirement_age_in_year(year: npt.ArrayLike) -> IntArray:
    """Riktålder in force in a calendar year (66 for 2023–2025, 67 for 2026–2030)."""
    return _age(_ages().target_retirement_age_by_year, year)


def guarantee_pension_age_in_year(year: npt.ArrayLike) -> IntArray:
    """Age from which guarantee pension can be paid in a calendar year (65, 66 from 2023, riktålder from 2026)."""
    return _age(_ages().guarantee_pension_age_by_year, year)


def lowest_withdrawal_age(birth_year: npt.ArrayLike) -> IntArray:
    """Lowest age at which a cohort may draw the income-based pension (born 1963–1969: 64)."""
    return _age(_ages().lowest_withdrawal_age_by_cohort, birth_year)


def target_retirement_age(birth_year: npt.ArrayLike) -> IntArray:
    """The cohort's riktålder (born 1960–1964: 67)."""
    return _age(_ages().target_retirement_age_by_cohort, birth_year)


def guarantee_pension_age(birth_year: npt.ArrayLike) -> IntArray:
    """Age from which the cohort can receive guarantee pension and income-pension supplement."""
    return _age(_ages().guarantee_pension_age_by_cohort, birth_year)


def earliest_withdrawal_age(birth_year: npt.ArrayLike) -> IntArray:
    """The first age at which a cohort may draw: at least its own lowest age and the lowest age in force in the
    year it reaches that age (SFB 56 kap.: both the cohort rule and the year's rule must allow it)."""
    born = as_int(birth_year)
    age = lowest_withdrawal_age(born)
    while True:
        in_force = lowest_withdrawal_age_in_year(born + age)
        if np.all(age >= in_force):
            return age
        age = np.maximum(age, in_force)
