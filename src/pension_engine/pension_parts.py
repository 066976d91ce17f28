"""From balances at the start of withdrawal to monthly amounts per part, before and after tax.

Legal reference: SFB 62 kap. (inkomstpension), 64 kap. (premiepension), 63 kap. (tilläggspension),
67 kap. (garantipension), SFB 74 a kap. (inkomstpensionstillägg); inkomstskattelagen for the tax. The
guarantee-pension underlag U is the income-based pension as if taken in full at the guarantee-pension age,
with the premium-pension rights counted as income-pension rights (the notional account), plus tilläggspension;
for a later withdrawal age it has followed the pension in payment and grown with the rights earned since
(docs/decisions/0121). The supplement is scaled by the years with pensionable income. Each part is rounded
to whole kronor a month; the total is the sum of the rounded parts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pension_engine.accumulation import AccountState, Cohorts
from pension_engine.annuity_divisor import income_pension_divisor, premium_pension_divisor
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.guarantee_pension import guarantee_pension
from pension_engine.income_pension_supplement import income_pension_supplement
from pension_engine.parameters import ParameterSet
from pension_engine.population import Population
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


def guarantee_underlag(
    cohorts: Cohorts, state: AccountState, supplementary_at_65: FloatArray, slot: int, rows: slice
) -> FloatArray:
    """Yearly income-based pension U for the guarantee-pension test at one withdrawal age (0 before its age)."""
    supplementary = supplementary_at_65[rows] * withdrawal_age_adjustment(cohorts.guarantee_pension_age[rows])
    level = state.guarantee_level_at_age[slot, rows]
    return np.asarray(state.guarantee_underlag_at_age[slot, rows] + supplementary * level)


@dataclass(frozen=True)
class _Slot:
    """One withdrawal age of the forecast: its row in the captured arrays, the age, and the price-level year."""

    index: int
    age: int
    as_of_year: int
    parameters: ParameterSet


def _guarantee_parts(
    population: Population, cohorts: Cohorts, state: AccountState, supplementary_at_65: FloatArray, slot: _Slot
) -> tuple[FloatArray, FloatArray]:
    """Monthly guarantee pension and supplement at one withdrawal age in whole kronor (0 where not payable).

    Payable only from the guarantee-pension age and with full withdrawal. That age grows with the birth year,
    so those old enough are the first rows of the sorted population: only they are computed.
    """
    guarantee, supplement = np.zeros(population.size), np.zeros(population.size)
    old_enough = np.flatnonzero(cohorts.cohort_guarantee_pension_age <= slot.age)
    if old_enough.size == 0:
        return guarantee, supplement
    rows = slice(0, int(cohorts.bounds[old_enough[-1] + 1]))
    payable = (cohorts.guarantee_pension_age[rows] <= slot.age) & (population.withdrawal_share[rows] == 1.0)
    underlag = guarantee_underlag(cohorts, state, supplementary_at_65, slot.index, rows)
    married, residence, year = population.married[rows], population.residence_years[rows], slot.as_of_year
    yearly = guarantee_pension(underlag, year, married, residence, slot.parameters)
    guarantee[rows] = np.where(payable, round_kronor(yearly / 12), 0.0)
    years = state.years_with_income[rows]
    yearly = income_pension_supplement(underlag, year, years, slot.parameters)
    supplement[rows] = np.where(payable, round_kronor(yearly / 12), 0.0)
    return guarantee, supplement


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
    names = PART_NAMES if with_tax else ("total_before_tax",)
    rows = {name: np.empty((ages.size, population.size)) for name in names}
    for slot, age in enumerate(ages.tolist()):
        guarantee, supplement = _guarantee_parts(
            population, cohorts, state, supplementary_at_65, _Slot(slot, age, as_of_year, parameters)
        )
        income_divisor = cohorts.spread(income_pension_divisor(cohorts.birth_years, age))
        premium_divisor = cohorts.spread(premium_pension_divisor(cohorts.birth_years, age))
        parts = {
            "income_pension": round_kronor(share * state.income_pension_at_age[slot] / (12 * income_divisor)),
            "premium_pension": round_kronor(share * state.premium_pension_at_age[slot] / (12 * premium_divisor)),
            "supplementary_pension": round_kronor(share * supplementary_at_65 * (withdrawal_age_adjustment(age) / 12)),
            "guarantee_pension": guarantee,
            "income_pension_supplement": supplement,
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
