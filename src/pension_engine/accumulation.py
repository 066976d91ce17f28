"""The yearly accumulation loop of a forecast: income-pension, premium-pension and notional accounts.

One pass over calendar years, vectorised over persons. Each year: roll every account forward with the
rights credited that year (income year t−1, docs/decisions/0010), then take the rights of this income year,
then capture — for each cohort reaching a withdrawal age next January — the balances available at the
start of withdrawal (closing value plus the right still to be credited). The notional account for the
guarantee-pension test holds all 18.5 % as income-pension rights (SFB 67 kap.; reference §1.2).
Persons are grouped by birth year once, so captures touch only the cohort concerned.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from pension_engine.arrays import FloatArray, IntArray
from pension_engine.indexation import account_revaluation
from pension_engine.mortality import inheritance_gain_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet

MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT, OLDEST_AGE = 1900, 2100, 120
RightsInYear = Callable[[int], tuple[FloatArray, FloatArray]]


@functools.cache
def inheritance_table() -> FloatArray:
    """Arvsvinstfaktor by cohort (1900–2100) × age (0–120)."""
    cohorts = np.repeat(np.arange(MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT + 1), OLDEST_AGE + 1)
    ages = np.tile(np.arange(OLDEST_AGE + 1), MORTALITY_LAST_COHORT - MORTALITY_FIRST_COHORT + 1)
    table = inheritance_gain_factor(cohorts, ages).reshape(-1, OLDEST_AGE + 1)
    table.flags.writeable = False
    return table


@dataclass
class AccountState:
    """Balances carried from year to year and the balances captured at each withdrawal age.

    Captured balances are withdrawal ages × persons (one contiguous row per age).
    """

    income_pension: FloatArray
    premium_pension: FloatArray
    guarantee_notional: FloatArray
    pending_income_pension: FloatArray
    pending_premium_pension: FloatArray
    income_pension_at_age: FloatArray
    premium_pension_at_age: FloatArray
    guarantee_notional_at_gp_age: FloatArray

    @classmethod
    def empty(cls, size: int, age_count: int) -> AccountState:
        """Zero balances for ``size`` persons and ``age_count`` withdrawal ages."""
        zeros = np.zeros(size)
        return cls(
            zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(),
            np.zeros((age_count, size)), np.zeros((age_count, size)), zeros.copy(),
        )  # fmt: skip

    def copy(self) -> AccountState:
        """An independent copy (to branch scenarios from a shared history)."""
        return replace(self, **{name: value.copy() for name, value in vars(self).items()})


@dataclass(frozen=True)
class Cohorts:
    """Per-person constants of the loop for a population sorted by birth year (each cohort a slice)."""

    birth_year: IntArray
    new_system_share: FloatArray
    guarantee_pension_age: IntArray
    first_withdrawal_age: int
    age_count: int
    first_cohort: int = field(init=False)
    bounds: IntArray = field(init=False)

    def __post_init__(self) -> None:
        if np.any(np.diff(self.birth_year) < 0):
            raise ValueError("Cohorts needs persons sorted by birth year")
        first, last = int(self.birth_year[0]), int(self.birth_year[-1])
        object.__setattr__(self, "first_cohort", first)
        object.__setattr__(self, "bounds", np.searchsorted(self.birth_year, np.arange(first, last + 2)))

    @property
    def birth_years(self) -> IntArray:
        """Every birth year from the oldest to the youngest person."""
        return np.arange(self.first_cohort, self.first_cohort + self.bounds.size - 1)

    def members(self, birth_year: int) -> slice:
        """The persons born in ``birth_year`` (a slice: the population is sorted)."""
        index = birth_year - self.first_cohort
        if not 0 <= index < self.bounds.size - 1:
            return slice(0, 0)
        return slice(int(self.bounds[index]), int(self.bounds[index + 1]))

    def spread(self, by_cohort: FloatArray) -> FloatArray:
        """Give each person the value of their cohort (``by_cohort`` ordered like ``birth_years``)."""
        return np.repeat(by_cohort, np.diff(self.bounds))

    def inheritance_factors(self, year: int) -> FloatArray:
        """Each person's arvsvinstfaktor in ``year`` (one lookup per cohort)."""
        cohorts = self.birth_years
        rows = np.clip(cohorts, MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT) - MORTALITY_FIRST_COHORT
        return self.spread(inheritance_table()[rows, np.clip(year - cohorts, 0, OLDEST_AGE)])


def accumulate(
    state: AccountState,
    cohorts: Cohorts,
    years: range,
    parameters: ParameterSet,
    *,
    rights_in_year: RightsInYear,
    uprating: Callable[[int], float],
) -> None:
    """Run the calendar ``years`` in order, updating ``state`` in place."""
    revaluation = account_revaluation(parameters)
    cost = parameters.series("income_pension_cost_factor")
    fund_return = parameters.series("premium_pension_return")
    fund_fee = parameters.series("premium_pension_fee")
    for year in years:
        at = year - FIRST_YEAR
        gains = cohorts.inheritance_factors(year)
        notional_factor = gains * (revaluation[at] * cost[at])
        pending_income, pending_premium = state.pending_income_pension, state.pending_premium_pension
        state.guarantee_notional += pending_income
        state.guarantee_notional += pending_premium
        state.guarantee_notional *= notional_factor
        state.income_pension += pending_income
        state.income_pension *= notional_factor
        state.premium_pension += pending_premium
        state.premium_pension *= gains * ((1.0 + fund_return[at]) * (1.0 - fund_fee[at]))
        state.pending_income_pension, state.pending_premium_pension = rights_in_year(year)
        _capture(state, cohorts, year, uprating(year))


def _capture(state: AccountState, cohorts: Cohorts, year: int, uprating: float) -> None:
    for slot in range(cohorts.age_count):
        rows = cohorts.members(year + 1 - cohorts.first_withdrawal_age - slot)
        if rows.stop > rows.start:
            income_pension = state.income_pension[rows] + state.pending_income_pension[rows]
            premium_pension = state.premium_pension[rows] + state.pending_premium_pension[rows]
            state.income_pension_at_age[slot, rows] = income_pension * uprating
            state.premium_pension_at_age[slot, rows] = premium_pension * uprating
    for birth_year in cohorts.birth_years.tolist():
        rows = cohorts.members(birth_year)
        if rows.stop > rows.start and year + 1 - birth_year == cohorts.guarantee_pension_age[rows.start]:
            notional = (
                state.guarantee_notional[rows]
                + state.pending_income_pension[rows]
                + state.pending_premium_pension[rows]
            )
            state.guarantee_notional_at_gp_age[rows] = notional * uprating
