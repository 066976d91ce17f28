"""What the pension pages show, read from the session's pension data (fetched once per session).

Pure reads: nothing here writes to the cache, the session or a database.
"""

from __future__ import annotations

import datetime as dt

from kernel import clock
from minasidor.pension_data.types import PensionData
from minasidor.pensions.types import PENSION_PARTS, PaymentSummary
from minasidor.registers.types import PensionDecision, PersonSnapshot


def parts_paid_on(snapshot: PersonSnapshot, day: dt.date) -> tuple[PensionDecision, ...]:
    """The parts paid on ``day`` (their decisions in force), in the order the pages list the parts."""

    def place(decision: PensionDecision) -> int:
        benefit = decision.benefit
        return PENSION_PARTS.index(benefit) if benefit in PENSION_PARTS else len(PENSION_PARTS)

    return tuple(sorted(snapshot.decisions_in_force(day), key=place))


def payments_summary(data: PensionData) -> PaymentSummary | None:
    """For a pensioner: what was paid last, what is paid next, and by part; None when there are no payments."""
    if data.snapshot is None or not data.snapshot.payments:
        return None
    paid = [p for p in data.snapshot.payments if p.paid]
    upcoming = [p for p in data.snapshot.payments if not p.paid]
    parts = parts_paid_on(data.snapshot, clock.today())
    return PaymentSummary(
        latest=paid[-1] if paid else None,
        next=upcoming[0] if upcoming else None,
        recent=tuple(reversed(paid)),
        parts=parts,
        parts_from=max((part.payable_from for part in parts), default=None),
    )
