"""The citizen's pension data for one session, and the forecast made from it.

Money is ``Decimal`` kronor (docs/decisions/0002); every forecast amount is per month, whole kronor, in
today's money (the price level of ``price_level_year``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.minpension.income import IncomeStep
from minasidor.minpension.types import MinPensionResult, Outcome, PensionHoldings
from minasidor.registers.types import PersonSnapshot

WITHDRAWAL_SHARES = (25, 50, 75, 100)


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
    age from ``age`` on (empty when not fetched or none). ``other_pensions_missing``: Min Pension gave no
    forecast for starting at ``age``, so ``other_pensions`` hold only the pensions already paid out (which do
    not depend on the age), and the rest is unknown, not zero.
    """

    age: int
    allowed: bool
    expected: PartAmounts | None
    pessimistic_total: Decimal | None
    optimistic_total: Decimal | None
    other_pensions: tuple[IncomeStep, ...] = ()
    other_pensions_missing: bool = False

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
    """What the citizen chose: the age to start drawing (uttagsålder), the share to draw, and income until then."""

    withdrawal_age: int
    withdrawal_share: int
    keeps_working: bool
    yearly_income: Decimal | None  # today's money; None: today's level from the register


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AgeWindow:
    """The withdrawal ages a forecast is made for, worked out once per request.

    ``ages`` run from the cohort's lowest withdrawal age (or the person's age this year, if higher) to the
    last age shown, and are never empty; ``lowest`` is the cohort's lowest withdrawal age and ``target`` its
    target retirement age (riktålder).
    """

    lowest: int
    target: int
    ages: range

    @property
    def first(self) -> int:
        return self.ages[0]

    @property
    def last(self) -> int:
        return self.ages[-1]


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
        return self.at(self.choice.withdrawal_age)

    def covers(self, window: AgeWindow) -> bool:
        """Whether this forecast has every age of ``window`` with its band, not only the chosen age as the
        overview's has (decision 0246)."""
        return tuple(item.age for item in self.ages) == tuple(window.ages)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PensionData:
    """What the portal knows about the citizen's pension in this session.

    ``snapshot`` is None when the register could not be read (``register_failed``) or knows no such
    person (``not_in_register``). ``min_pension`` is None only when the register could not be read (the
    rules of when Min Pension may be asked need it). ``choice`` is the forecast the citizen last chose and
    ``forecast`` the forecast made for it from this data (None again when the data is fetched anew).
    """

    subject: str
    fetched_at: dt.datetime
    snapshot: PersonSnapshot | None
    register_failed: bool = False
    not_in_register: bool = False
    min_pension: MinPensionResult | None = None
    choice: ForecastChoice | None = None
    forecast: PensionForecast | None = None

    @property
    def min_pension_failed(self) -> bool:
        return self.min_pension is not None and self.min_pension.outcome is Outcome.UNAVAILABLE

    @property
    def complete(self) -> bool:
        """Every source answered (a failed one is asked again at the next page view)."""
        return not self.register_failed and not self.min_pension_failed

    @property
    def other_pensions(self) -> PensionHoldings | None:
        """Min Pension's holdings when fetched for this session, else None."""
        result = self.min_pension
        return result.holdings if result is not None and result.outcome is Outcome.FETCHED else None
