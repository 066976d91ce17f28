"""Pensionsrätt (pension rights) for inkomstpension and premiepension, and the transition cohorts.

Legal reference: SFB 61 kap. (pensionsrätt och pensionspoäng). The pension base (pensionsunderlag) is PGI
plus pension credits (pensionsgrundande belopp), capped at 7.5 income base amounts in total; rights are
18.5 % of it: 16 % income pension and 2.5 % premium pension (from 1999; 16.5/2 % 1995–1998 and 18.5 %
income pension only before 1995, model data). Born 1938–1953 earn (born − 1934)/20 of these rights in the
new system and the rest as tilläggspension (SFB 63 kap.); born 1937 or earlier only tilläggspension.
Rights are kept to the öre.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.parameters import ParameterSet, rules
from pension_engine.pensionable_income import pgi_ceiling
from pension_engine.rounding import to_ore
from pension_engine.yearly_rules import by_year, take_yearly


@dataclass(frozen=True)
class PensionRights:
    """Per person: the pension base and the rights credited to each account for one income year."""

    pension_base: FloatArray
    income_pension_right: FloatArray
    premium_pension_right: FloatArray


@functools.cache
def _rates_by_year() -> tuple[FloatArray, FloatArray]:
    """The income-pension and premium-pension rates of every year (index = year − 1960)."""
    periods = rules().pension_rights.periods
    return (
        by_year((period.start, period.income_pension_rate) for period in periods),
        by_year((period.start, period.premium_pension_rate) for period in periods),
    )


def new_system_share(birth_year: npt.ArrayLike) -> FloatArray:
    """Share of rights earned in the new system (IP/PP): 0 for ≤1937, (born − 1934)/20 for 1938–1953, else 1."""
    rule = rules().transition_cohorts
    born = as_int(birth_year)
    share = (born - rule.offset) / float(rule.denominator)
    share = np.where(born < rule.first_new_system_cohort, 0.0, share)
    return np.where(born >= rule.first_full_new_system_cohort, 1.0, share)


def supplementary_pension_share(birth_year: npt.ArrayLike) -> FloatArray:
    """Share of the tilläggspension (ATP) history: (1954 − born)/20 for 1938–1953, 1 for ≤1937, else 0."""
    return 1.0 - new_system_share(birth_year)


def pension_rights(
    pensionable_income: npt.ArrayLike,
    year: npt.ArrayLike,
    pension_credits: npt.ArrayLike = 0.0,
    *,
    birth_year: npt.ArrayLike | None = None,
    parameters: ParameterSet | None = None,
    cohort_share: FloatArray | None = None,
) -> PensionRights:
    """Rights of one income year: 18.5 % of min(PGI + credits, 7.5 IBB), split IP/PP by the year's rates.

    With ``birth_year`` the rights are scaled by the cohort's new-system share (transition cohorts);
    ``cohort_share`` passes that share precomputed (the forecast's hot loop).
    """
    years = as_int(year)
    base = np.minimum(as_float(pensionable_income) + as_float(pension_credits), pgi_ceiling(years, parameters))
    share: FloatArray | float = 1.0
    if cohort_share is not None:
        share = cohort_share
    elif birth_year is not None:
        share = new_system_share(birth_year)
    income_pension_rate, premium_pension_rate = _rates_by_year()
    ip_rate = take_yearly(income_pension_rate, years)
    pp_rate = take_yearly(premium_pension_rate, years)
    return PensionRights(
        pension_base=base,
        income_pension_right=to_ore(ip_rate * base * share),
        premium_pension_right=to_ore(pp_rate * base * share),
    )
