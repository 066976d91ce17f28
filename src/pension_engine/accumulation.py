"""The yearly accumulation loop of a forecast: income-pension, premium-pension and notional accounts.

One pass over calendar years, vectorised over persons. Each year: roll every account forward with the
rights credited that year (income year t−1, docs/decisions/0010), then take the rights of this income year,
then capture — for each cohort reaching a withdrawal age next January — the balances available at the
start of withdrawal (closing value plus the right still to be credited). The notional account for the
guarantee-pension test holds all 18.5 % as income-pension rights (SFB 67 kap.; reference §1.2).

The guarantee-pension underlag (docs/decisions/0121) is set when a cohort reaches the guarantee-pension age —
the notional balance over the divisor at that age, as if taken in full — and afterwards follows the
income pension in payment: each January the index change / 1.016, plus the rights earned since, over the
divisor at the age reached. It is captured per withdrawal age with the running in-payment level (for the
tilläggspension part) and the years with pensionable income up to the guarantee-pension age (for the
supplement). Persons are grouped by birth year once, so captures touch only the cohort concerned.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from pension_engine.annuity_divisor import divisor_age_range, income_pension_divisor
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.default_fund import default_fund_return
from pension_engine.indexation import account_revaluation, in_payment_factor, right_credit_factor
from pension_engine.mortality import inheritance_gain_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet
from pension_engine.retirement_ages import guarantee_pension_age

WORKING_AGE = 16

MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT, OLDEST_AGE = 1900, 2100, 120


@dataclass(frozen=True)
class YearRights:
    """The rights of one income year per person, and who had pensionable income that year."""

    income_pension: FloatArray
    premium_pension: FloatArray
    pensionable: BoolArray


RightsInYear = Callable[[int], YearRights]
# Each person's own fund return in a year (NaN: the default alternative), or None when nobody has one.
FundReturnsInYear = Callable[[int], FloatArray | None]


def no_own_funds(_year: int) -> FloatArray | None:
    """Everyone in the default alternative."""
    return None


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
    """Balances carried from year to year and what is captured at each withdrawal age.

    Captured values are withdrawal ages × persons (one contiguous row per age): the balances, and the
    guarantee-pension underlag with its in-payment level since the guarantee-pension age (0 before it).
    """

    income_pension: FloatArray
    premium_pension: FloatArray
    guarantee_notional: FloatArray
    pending_income_pension: FloatArray
    pending_premium_pension: FloatArray
    guarantee_underlag: FloatArray
    guarantee_level: FloatArray
    years_with_income: FloatArray
    income_pension_at_age: FloatArray
    premium_pension_at_age: FloatArray
    guarantee_underlag_at_age: FloatArray
    guarantee_level_at_age: FloatArray

    @classmethod
    def empty(cls, size: int, age_count: int) -> AccountState:
        """Zero balances for ``size`` persons and ``age_count`` withdrawal ages."""
        zeros = np.zeros(size)
        return cls(
            zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(),
            zeros.copy(), np.zeros((age_count, size)), np.zeros((age_count, size)), np.zeros((age_count, size)),
            np.zeros((age_count, size)),
        )  # fmt: skip

    def branch(self) -> AccountState:
        """A state to run one scenario's future from this shared history.

        The running balances are copied; the captured arrays are shared. Each (cohort, withdrawal age) is
        captured once, in the year before that age, so a scenario's future loop writes only the captures
        for withdrawals after the history and never those the history made; the caller reads each
        scenario's captures before running the next (the forecast does).
        """
        captured = {name for name in vars(self) if name.endswith("_at_age")}
        return replace(self, **{name: value.copy() for name, value in vars(self).items() if name not in captured})


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

    @functools.cached_property
    def cohort_guarantee_pension_age(self) -> IntArray:
        """The guarantee-pension age of every birth year from the oldest to the youngest person."""
        return guarantee_pension_age(self.birth_years)

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
    own_fund_returns: FundReturnsInYear = no_own_funds,
) -> None:
    """Run the calendar ``years`` in order, updating ``state`` in place."""
    revaluation = account_revaluation(parameters)
    in_payment = in_payment_factor(parameters)
    credit_factor = right_credit_factor(parameters)
    cost = parameters.series("income_pension_cost_factor")
    fund_fee = parameters.series("premium_pension_fee")
    for year in years:
        at = year - FIRST_YEAR
        gains = cohorts.inheritance_factors(year)
        notional_factor = gains * (revaluation[at] * cost[at])
        pending_income, pending_premium = state.pending_income_pension, state.pending_premium_pension
        notional_premium = pending_premium
        if credit_factor[at] != 1.0:  # 2015–2017: income-pension rights credited at balance / income index
            pending_income, notional_premium = pending_income * credit_factor[at], pending_premium * credit_factor[at]
        state.guarantee_notional += pending_income
        state.guarantee_notional += notional_premium
        state.guarantee_notional *= notional_factor
        state.income_pension += pending_income
        state.income_pension *= notional_factor
        state.premium_pension += pending_premium
        default_return = default_fund_return(cohorts.birth_years, year, parameters)
        own = own_fund_returns(year)
        if own is None:  # one factor per cohort
            state.premium_pension *= gains * cohorts.spread((1.0 + default_return) * (1.0 - fund_fee[at]))
        else:
            fund_return = np.where(np.isnan(own), cohorts.spread(default_return), own)
            state.premium_pension *= gains * ((1.0 + fund_return) * (1.0 - fund_fee[at]))
        rights = rights_in_year(year)
        state.pending_income_pension, state.pending_premium_pension = rights.income_pension, rights.premium_pension
        _count_years_with_income(state, cohorts, year, rights.pensionable)
        _capture(state, cohorts, year, uprating(year), float(in_payment[at + 1]))


def _count_years_with_income(state: AccountState, cohorts: Cohorts, year: int, pensionable: BoolArray) -> None:
    """Years with pensionable income from the year one turns 16 to the year before the guarantee-pension age.

    The cohorts counting this year are contiguous (born + guarantee-pension age grows with the birth year), so
    one slice of the sorted population is touched.
    """
    born = cohorts.birth_years
    counting = (year - born >= WORKING_AGE) & (year < born + cohorts.cohort_guarantee_pension_age)
    if not counting.any():
        return
    first, last = np.flatnonzero(counting)[[0, -1]]
    rows = slice(int(cohorts.bounds[first]), int(cohorts.bounds[last + 1]))
    state.years_with_income[rows] += pensionable[rows]


def _capture(state: AccountState, cohorts: Cohorts, year: int, uprating: float, in_payment: float) -> None:
    _follow_guarantee_underlag(state, cohorts, year, in_payment)
    for slot in range(cohorts.age_count):
        age = cohorts.first_withdrawal_age + slot
        rows = cohorts.members(year + 1 - age)
        if rows.stop > rows.start:
            income_pension = state.income_pension[rows] + state.pending_income_pension[rows]
            premium_pension = state.premium_pension[rows] + state.pending_premium_pension[rows]
            state.income_pension_at_age[slot, rows] = income_pension * uprating
            state.premium_pension_at_age[slot, rows] = premium_pension * uprating
            if age >= cohorts.guarantee_pension_age[rows.start]:  # else no guarantee pension at this age
                state.guarantee_underlag_at_age[slot, rows] = state.guarantee_underlag[rows] * uprating
                state.guarantee_level_at_age[slot, rows] = state.guarantee_level[rows]


def _follow_guarantee_underlag(state: AccountState, cohorts: Cohorts, year: int, in_payment: float) -> None:
    """Set the underlag of each cohort reaching its guarantee-pension age next January; move the older ones on.

    Amounts are in the money of next January (a balance closed this year stands at next year's index level).
    """
    born = cohorts.birth_years
    age = year + 1 - born
    guarantee_age = cohorts.cohort_guarantee_pension_age
    first_age, last_age = divisor_age_range()  # held at the table's ends outside its ages
    divisors = income_pension_divisor(born, np.clip(age, first_age, last_age))
    for index in np.flatnonzero(age >= guarantee_age).tolist():
        rows = slice(int(cohorts.bounds[index]), int(cohorts.bounds[index + 1]))
        if rows.stop == rows.start:
            continue
        pending = state.pending_income_pension[rows] + state.pending_premium_pension[rows]
        if age[index] == guarantee_age[index]:
            state.guarantee_underlag[rows] = (state.guarantee_notional[rows] + pending) / divisors[index]
            state.guarantee_level[rows] = 1.0
        else:
            state.guarantee_underlag[rows] *= in_payment
            state.guarantee_underlag[rows] += pending / divisors[index]
            state.guarantee_level[rows] *= in_payment
