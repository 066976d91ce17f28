"""What the case pages show of a case, in words: its path of steps, its history as a timeline, and whether
its decision is late. Pure functions of what ``registers`` gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils.functional import Promise

from minasidor.audit.types import PrincipalKind
from minasidor.registers.types import (
    CaseDetail,
    CaseEvent,
    CaseEventKind,
    CaseMessage,
    CaseStatus,
    CaseSummary,
    CaseType,
    DecisionOutcome,
)

STATUS_KINDS = (CaseEventKind.STATUS, CaseEventKind.DECISION)
# The kinds of case opened by an application signed on Mina sidor and sent through the applications' outbox:
# each has its sealed receipt (``applications:case-receipt``). A question or a change of payment account has none.
RECEIPT_CASE_TYPES = (CaseType.OLD_AGE_PENSION, CaseType.WITHDRAWAL_CHANGE, CaseType.HOUSING_SUPPLEMENT)


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One step of a case's path and where the case is on it: ``done``, ``current`` or ``upcoming``."""

    status: CaseStatus
    state: str


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of the history, in words."""

    sequence: int
    occurred_at: dt.datetime
    title: str | Promise
    who: str | Promise
    text: str
    outcome: DecisionOutcome | None
    due: dt.date | None


def steps_of(summary: CaseSummary) -> tuple[Step, ...]:
    """The case type's path with the case's place on it (a case waiting for a completion is being handled;
    a withdrawn or closed case has ended and shows no path)."""
    status = CaseStatus.IN_PROGRESS if summary.status == CaseStatus.AWAITING_COMPLETION else summary.status
    if status not in summary.steps:
        return ()
    here = summary.steps.index(status)
    final = not summary.is_open
    return tuple(
        Step(step, "done" if i < here or (final and i == here) else "current" if i == here else "upcoming")
        for i, step in enumerate(summary.steps)
    )


def is_late(summary: CaseSummary, today: dt.date) -> bool:
    """Whether an open case's expected decision date has passed."""
    return summary.is_open and today > summary.expected_decision_on


def _who(actor_kind: str) -> str | Promise:
    try:
        return PrincipalKind(actor_kind).label
    except ValueError:
        return PrincipalKind.SYSTEM.label


def _payload_date(payload: Any, key: str) -> dt.date | None:
    value = payload.get(key) if hasattr(payload, "get") else None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _entry(event: CaseEvent) -> TimelineEntry:
    title: str | Promise = event.kind.label
    if event.kind in STATUS_KINDS and event.status is not None:
        title = event.status.label
    outcome = event.payload.get("outcome") if event.kind == CaseEventKind.DECISION else None
    return TimelineEntry(
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        title=title,
        who=_who(event.actor_kind),
        text=event.text,
        outcome=DecisionOutcome(outcome) if outcome in DecisionOutcome.values else None,
        due=_payload_date(event.payload, "due") if event.kind == CaseEventKind.COMPLETION_REQUESTED else None,
    )


def timeline_of(detail: CaseDetail) -> tuple[TimelineEntry, ...]:
    """The history, newest first."""
    return tuple(_entry(event) for event in sorted(detail.history, key=lambda e: e.sequence, reverse=True))


def decision_of(detail: CaseDetail) -> TimelineEntry | None:
    """The decision event, when the case has one."""
    return next((entry for entry in timeline_of(detail) if entry.outcome is not None), None)


def completion_request_of(detail: CaseDetail) -> CaseMessage | None:
    """The message that asked for the completion the case waits for (the newest request's)."""
    requests = [e for e in detail.history if e.kind == CaseEventKind.COMPLETION_REQUESTED]
    if not requests:
        return None
    asked = max(requests, key=lambda e: e.sequence).occurred_at
    sent = [m for m in detail.messages if m.direction == "out" and m.sent_at == asked]
    return sent[-1] if sent else None
