"""What the pension pages show, read from the session's pension data (fetched once per session), and for a
person with granted parts where their decision letter is (read through ``registers`` with its access record).

Reads: nothing here writes to the cache or the session; the one database write is an access record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.pension_data.types import PensionData
from minasidor.pensions.types import PENSION_PARTS, PaymentSummary
from minasidor.registers import registers
from minasidor.registers.types import (
    CaseStatus,
    CaseType,
    DecisionOutcome,
    PensionDecision,
    PersonNotFoundError,
    PersonSnapshot,
    RegistersUnavailableError,
)

DECISION_LETTER_LOOKED_UP = Action("pensions.decision_letter_looked_up", _("Looked for the decision on your pension"))


def parts_paid_on(snapshot: PersonSnapshot, day: dt.date) -> tuple[PensionDecision, ...]:
    """The parts paid on ``day`` (their decisions in force), in the order the pages list the parts."""
    return tuple(sorted(snapshot.decisions_in_force(day), key=_place))


def _place(decision: PensionDecision) -> int:
    benefit = decision.benefit
    return PENSION_PARTS.index(benefit) if benefit in PENSION_PARTS else len(PENSION_PARTS)


def parts_starting_after(snapshot: PersonSnapshot, day: dt.date) -> tuple[PensionDecision, ...]:
    """The parts granted but not yet paid for on ``day``: each part's first decision, when it pays something
    and applies from a later month, in the order the pages list the parts."""
    firsts: dict[str, PensionDecision] = {}
    for decision in sorted(snapshot.decisions, key=lambda d: d.payable_from):
        firsts.setdefault(decision.benefit, decision)
    return tuple(sorted((d for d in firsts.values() if d.payable_from > day and d.monthly_amount > 0), key=_place))


def payments_summary(data: PensionData) -> PaymentSummary | None:
    """For a pensioner: what was paid last, what is paid next, and by part; None when there are no payments."""
    if data.snapshot is None or not data.snapshot.payments:
        return None
    paid = [p for p in data.snapshot.payments if p.paid]
    upcoming = [p for p in data.snapshot.payments if not p.paid]
    today = clock.today()
    parts = parts_paid_on(data.snapshot, today)
    return PaymentSummary(
        latest=paid[-1] if paid else None,
        next=upcoming[0] if upcoming else None,
        recent=tuple(reversed(paid)),
        parts=parts,
        parts_from=max((part.payable_from for part in parts), default=None),
        starting=parts_starting_after(data.snapshot, today),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class DecisionLetterLink:
    """Where the letter of the person's newest granted application for old-age pension is: its case, or
    ``unavailable`` when the back office did not answer (said so, never shown as no letter)."""

    case_id: uuid.UUID | None = None
    unavailable: bool = False


def decision_letter_find(*, identity: Identity, snapshot: PersonSnapshot) -> DecisionLetterLink | None:
    """For a person with pension decisions (in the register's ``snapshot``): the case of their newest granted
    application for old-age pension, whose decision letter the overview links (None for a person without
    decisions or without such a case — decisions from before the portal came by post)."""
    if not snapshot.decisions or identity.personal_number is None:
        return None
    try:
        cases = registers().cases(identity.principal, identity.personal_number)
    except PersonNotFoundError:
        return None
    except RegistersUnavailableError:
        return DecisionLetterLink(unavailable=True)
    with transaction.atomic(using="default"):
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=DECISION_LETTER_LOOKED_UP,
            purpose=Purpose.SELF_SERVICE,
        )
    granted = [
        case
        for case in cases
        if case.case_type == CaseType.OLD_AGE_PENSION
        and case.status == CaseStatus.DECIDED
        and case.outcome == DecisionOutcome.GRANTED
    ]
    if not granted:
        return None
    return DecisionLetterLink(case_id=max(granted, key=lambda case: case.opened_at).case_id)
