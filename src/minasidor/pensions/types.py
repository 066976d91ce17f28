"""The values the pension pages show besides the session's pension data: the parts in order, and payments."""

from __future__ import annotations

import dataclasses
import datetime as dt

from minasidor.registers.types import Payment, PensionDecision

# The parts of the public pension, in the order the pages and documents list them.
PENSION_PARTS = (
    "income_pension",
    "premium_pension",
    "guarantee_pension",
    "income_pension_supplement",
    "supplementary_pension",
)


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentSummary:
    """The latest payment made and the next one planned, the recent ones (newest first), and the parts.

    ``parts`` are the decisions in force today, in the order of the parts; ``parts_from`` is the day the
    newest of them applies from. ``starting`` are the parts granted but first paid for a later month (a grant
    ahead of its first month: "granted, starts in …"), each with its first decision.
    """

    latest: Payment | None
    next: Payment | None
    recent: tuple[Payment, ...]
    parts: tuple[PensionDecision, ...]
    parts_from: dt.date | None
    starting: tuple[PensionDecision, ...] = ()

    @property
    def starting_from(self) -> dt.date | None:
        """The first day of the month the earliest part still to start is paid for."""
        return min((part.payable_from for part in self.starting), default=None)
