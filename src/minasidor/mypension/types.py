"""The values the Min pension pages show: a forecast per retirement age, with the citizen's choices.

Money is ``Decimal`` kronor (docs/decisions/0002); every forecast amount is per month, whole kronor, in
today's money (the price level of ``price_level_year``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.minpension.income import IncomeStep
from minasidor.registers.types import PensionDecision, PersonSnapshot

WITHDRAWAL_SHARES = (25, 50, 75, 100)
# The parts of the public pension, in the order the pages and documents list them.
PENSION_PARTS = (
    "income_pension",
    "premium_pension",
    "guarantee_pension",
    "income_pension_supplement",
    "supplementary_pension",
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PartAmounts:
    """The public pension's parts a month (allmän pension), and the total before and after tax."""

    income_pension: Decimal
    premium_pension: Decimal
    guarantee_pension: Decimal
    income_pension_supplement: Decimal
    supplementary_pension: Decimal
    total_before_tax: Decimal
    total_after_tax: Decimal


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AgeForecast:
    """The forecast if the citizen starts drawing pension at ``age``.

    ``expected`` is None where the age is not allowed (below the lowest age for the cohort, or already
    past). ``pessimistic_total``/``optimistic_total`` are the band of the public pension before tax.
    ``other_pensions`` are Min Pension's occupational and private pensions as steps over the person's
    age from ``age`` on (empty when not fetched or none).
    """

    age: int
    allowed: bool
    expected: PartAmounts | None
    pessimistic_total: Decimal | None
    optimistic_total: Decimal | None
    other_pensions: tuple[IncomeStep, ...] = ()

    @property
    def other_pensions_at_start(self) -> Decimal:
        """Occupational and private pensions a month in the first year of drawing."""
        return self.other_pensions[0].total if self.other_pensions else Decimal(0)

    @property
    def total_with_other_pensions(self) -> Decimal | None:
        """Public pension before tax plus occupational and private pensions, in the first year."""
        if self.expected is None:
            return None
        return self.expected.total_before_tax + self.other_pensions_at_start


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ForecastChoice:
    """What the citizen chose: the age to start, the share to draw, and income until then."""

    retirement_age: int
    withdrawal_share: int
    keeps_working: bool
    yearly_income: Decimal | None  # today's money; None: today's level from the register


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PensionForecast:
    """A forecast for every age from the lowest allowed for the cohort up to ``ages[-1]``."""

    price_level_year: int
    birth_year: int
    lowest_age: int
    target_age: int
    choice: ForecastChoice
    ages: tuple[AgeForecast, ...]
    includes_other_pensions: bool

    def at(self, age: int) -> AgeForecast | None:
        """The forecast for ``age``, if it was computed."""
        for item in self.ages:
            if item.age == age:
                return item
        return None

    @property
    def chosen(self) -> AgeForecast | None:
        """The forecast at the chosen age."""
        return self.at(self.choice.retirement_age)


def parts_paid_on(snapshot: PersonSnapshot, day: dt.date) -> tuple[PensionDecision, ...]:
    """The parts paid on ``day`` (their decisions in force), in the order the pages list the parts."""

    def place(decision: PensionDecision) -> int:
        benefit = decision.benefit
        return PENSION_PARTS.index(benefit) if benefit in PENSION_PARTS else len(PENSION_PARTS)

    return tuple(sorted(snapshot.decisions_in_force(day), key=place))
