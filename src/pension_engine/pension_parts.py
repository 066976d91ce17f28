"""From balances at the start of withdrawal to monthly amounts per part, before and after tax.

Legal reference: SFB 62 kap. (inkomstpension), 64 kap. (premiepension), 63 kap. (tilläggspension),
67 kap. (garantipension), SFB 74 a kap. (inkomstpensionstillägg); inkomstskattelagen for the tax. The
guarantee-pension underlag U is the income-based pension as if taken in full at the guarantee-pension age,
with the premium-pension rights counted as income-pension rights (the notional account), plus tilläggspension.
Each part is rounded to whole kronor a month; the total is the sum of the rounded parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from pension_engine.accumulation import AccountState, Cohorts
from pension_engine.annuity_divisor import income_pension_divisor, premium_pension_divisor
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.guarantee_pension import guarantee_pension
from pension_engine.income_pension_supplement import income_pension_supplement
from pension_engine.parameters import ParameterSet
from pension_engine.population import Population
from pension_engine.retirement_ages import guarantee_pension_age
from pension_engine.rounding import round_kronor
from pension_engine.supplementary_pension import (
    pension_points,
    supplementary_pension_at_normal_age,
    withdrawal_age_adjustment,
)
from pension_engine.tax import entitled_to_increased_deduction, income_tax

LAST_SUPPLEMENTARY_COHORT = 1953


@dataclass(frozen=True)
class PensionParts:
    """Monthly amounts in whole kronor, persons × withdrawal ages (NaN where the age is not allowed)."""

    income_pension: FloatArray
    premium_pension: FloatArray
    guarantee_pension: FloatArray
    income_pension_supplement: FloatArray
    supplementary_pension: FloatArray
    total_before_tax: FloatArray
    total_after_tax: FloatArray


PART_NAMES = tuple(item.name for item in fields(PensionParts))


def supplementary_pension_at_65(population: Population, as_of_year: int, parameters: ParameterSet) -> FloatArray:
    """Yearly tilläggspension at 65 in today's money for the transition cohorts, from the income history."""
    out = np.zeros(population.size)
    rows = np.flatnonzero(population.birth_year <= LAST_SUPPLEMENTARY_COHORT)
    if rows.size and population.income_history.shape[1]:
        points = pension_points(population.income_history[rows], population.history_years, parameters)
        base = parameters.at("increased_price_base_amount", as_of_year)
        out[rows] = supplementary_pension_at_normal_age(points, population.birth_year[rows], base)
    return out


def guarantee_underlag(cohorts: Cohorts, state: AccountState, supplementary_at_65: FloatArray) -> FloatArray:
    """Yearly income-based pension U for the guarantee-pension test (as if taken in full at its age)."""
    age = cohorts.guarantee_pension_age
    divisor = _by_cohort(cohorts, lambda born: income_pension_divisor(born, guarantee_pension_age(born)))
    income_pension = state.guarantee_notional_at_gp_age / divisor
    return np.asarray(income_pension + supplementary_at_65 * withdrawal_age_adjustment(age))


def _by_cohort(cohorts: Cohorts, rule: Callable[[IntArray], FloatArray]) -> FloatArray:
    """Evaluate a rule that depends only on the birth year once per cohort, then give each person theirs."""
    return cohorts.spread(rule(cohorts.birth_years))


def pension_parts(
    population: Population,
    cohorts: Cohorts,
    state: AccountState,
    *,
    ages: IntArray,
    allowed: BoolArray,
    as_of_year: int,
    parameters: ParameterSet,
    with_tax: bool = True,
) -> dict[str, FloatArray]:
    """Monthly amounts per part, withdrawal ages × persons, at the price level of ``as_of_year``.

    ``population`` is sorted by birth year like ``cohorts``; ``allowed`` (ages × persons) masks ages a
    person may not choose with NaN. Without ``with_tax`` only the total before tax is computed (the band).
    """
    share = population.withdrawal_share
    supplementary_at_65 = supplementary_pension_at_65(population, as_of_year, parameters)
    underlag = guarantee_underlag(cohorts, state, supplementary_at_65)
    residence = population.residence_years
    guarantee = round_kronor(guarantee_pension(underlag, as_of_year, population.married, residence, parameters) / 12)
    supplement = round_kronor(income_pension_supplement(underlag, as_of_year, residence, parameters) / 12)
    names = PART_NAMES if with_tax else ("total_before_tax",)
    rows = {name: np.empty((ages.size, population.size)) for name in names}
    for slot, age in enumerate(ages.tolist()):
        payable = (age >= cohorts.guarantee_pension_age) & (share == 1.0)
        income_divisor = cohorts.spread(income_pension_divisor(cohorts.birth_years, age))
        premium_divisor = cohorts.spread(premium_pension_divisor(cohorts.birth_years, age))
        parts = {
            "income_pension": round_kronor(share * state.income_pension_at_age[slot] / (12 * income_divisor)),
            "premium_pension": round_kronor(share * state.premium_pension_at_age[slot] / (12 * premium_divisor)),
            "supplementary_pension": round_kronor(share * supplementary_at_65 * (withdrawal_age_adjustment(age) / 12)),
            "guarantee_pension": np.where(payable, guarantee, 0.0),
            "income_pension_supplement": np.where(payable, supplement, 0.0),
        }
        total = np.asarray(sum(parts.values()))
        parts["total_before_tax"] = total
        if with_tax:
            parts["total_after_tax"] = _after_tax(population, age, total, as_of_year, parameters)
        for name in names:
            np.copyto(rows[name][slot], np.where(allowed[slot], parts[name], np.nan))
    return rows


def _after_tax(
    population: Population, age: int, total: FloatArray, as_of_year: int, parameters: ParameterSet
) -> FloatArray:
    increased = entitled_to_increased_deduction(population.birth_year, age)
    tax = income_tax(12 * total, as_of_year, increased, population.municipal_tax_rate, parameters)
    return np.asarray(total - round_kronor(tax / 12))
