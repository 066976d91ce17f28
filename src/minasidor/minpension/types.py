"""The values Min Pension gives: a person's user status and their occupational and private pensions.

Also what the portal makes of asking: the outcome a page can show (:class:`MinPensionResult`).

Money is ``Decimal`` kronor (docs/decisions/0002). Forecasts are per month, in today's money, before tax.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal


class Category(enum.StrEnum):
    """Tjänstepension (occupational, by agreement or individual) or privat pension (private savings)."""

    OCCUPATIONAL = "occupational"
    PRIVATE = "private"


class BenefitKind(enum.StrEnum):
    """Premiebestämd (defined contribution: a capital) or förmånsbestämd (defined benefit: kr a month)."""

    DEFINED_CONTRIBUTION = "defined_contribution"
    DEFINED_BENEFIT = "defined_benefit"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class UserStatus:
    """Whether the person is a registered Min Pension user and has accepted the current terms."""

    registered: bool
    terms_accepted: bool
    terms_version: str | None
    current_terms_version: str

    @property
    def may_fetch(self) -> bool:
        return self.registered and self.terms_accepted


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Payout:
    """How long the pension is paid: for life (``years`` None) or ``years`` years, normally from ``from_age``."""

    years: int | None
    from_age: int

    @property
    def lifelong(self) -> bool:
        return self.years is None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ForecastPoint:
    """The monthly amount if withdrawal starts at ``withdrawal_age``, paid from ``start_age`` until ``end_age``."""

    withdrawal_age: int
    monthly_amount: Decimal
    start_age: int
    end_age: int | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PensionItem:
    """One occupational or private pension as a pension actor reports it through Min Pension."""

    item_id: str
    category: Category
    agreement: str | None
    product_type: str
    provider: str
    benefit_kind: BenefitKind
    capital_value: Decimal | None
    earned_monthly_amount: Decimal | None
    value_date: dt.date
    in_payment: bool
    estimated: bool
    payout: Payout
    forecast: tuple[ForecastPoint, ...]

    def forecast_at(self, withdrawal_age: int) -> ForecastPoint | None:
        """The forecast for that age (a pension already paid has the same one for every age), else None."""
        for point in self.forecast:
            if point.withdrawal_age == withdrawal_age:
                return point
        if self.in_payment and self.forecast:
            return self.forecast[0]
        return None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PensionHoldings:
    """Everything Min Pension gave for the person, as of ``as_of``."""

    as_of: dt.date
    items: tuple[PensionItem, ...]

    @property
    def occupational(self) -> tuple[PensionItem, ...]:
        return tuple(item for item in self.items if item.category is Category.OCCUPATIONAL)

    @property
    def private(self) -> tuple[PensionItem, ...]:
        return tuple(item for item in self.items if item.category is Category.PRIVATE)

    @property
    def withdrawal_ages(self) -> tuple[int, ...]:
        return tuple(sorted({point.withdrawal_age for item in self.items for point in item.forecast}))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """What the portal sends when registering a person who consented in Mina sidor."""

    terms_version: str
    consent_reference: str
    consent_given_at: dt.datetime


class Outcome(enum.StrEnum):
    """What the page can show."""

    FETCHED = "fetched"
    NOT_REGISTERED = "not_registered"
    RETIRED = "retired"
    UNAVAILABLE = "unavailable"


@dataclasses.dataclass(frozen=True, slots=True)
class MinPensionResult:
    """The outcome, the status Min Pension gave (if asked) and the holdings (when fetched)."""

    outcome: Outcome
    status: UserStatus | None = None
    holdings: PensionHoldings | None = None
