"""The rules of casework: each case type's ordered statuses, which status may follow which, and when a
decision is expected.

Expected decision dates (docs/decisions/0039): the authority publishes no handling time for pension
applications (docs: shared reference, services §1.5); its own text says the decision comes around the
20th of the month before the first payment month. So an application (old-age pension, a change of
withdrawal) expects its decision on the 20th of the month before the first month it asks for (the Friday before
when the 20th is a weekend) — and when that day is less than two weeks after the case arrived, on the
first such day at least two weeks after.
For the other types no time is published either; the project's choice is two weeks for a change of
account or tax withholding and ten days for a question. A housing-supplement application expects its
decision within 15 weeks of arrival, the longest handling time the authority states for it (shared
reference, services §2.7).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from backoffice.casework.models import CaseStatus, CaseType

OPEN_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_COMPLETION})
FINAL_STATUSES = frozenset({CaseStatus.DECIDED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED})
DECISION_DAY = 20
LEAST_NOTICE = dt.timedelta(days=14)
HOUSING_SUPPLEMENT_HANDLING = dt.timedelta(weeks=15)


@dataclasses.dataclass(frozen=True, slots=True)
class CaseTypeRules:
    """A case type's ordered statuses (the path a citizen is shown), whether it is decided or just closed,
    whether it is signed, and how long after arrival its decision is expected when no month says."""

    steps: tuple[CaseStatus, ...]
    decided: bool
    signed: bool
    handling_time: dt.timedelta


APPLICATION_STEPS = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.DECIDED)

RULES: dict[CaseType, CaseTypeRules] = {
    CaseType.OLD_AGE_PENSION: CaseTypeRules(APPLICATION_STEPS, decided=True, signed=True, handling_time=LEAST_NOTICE),
    CaseType.WITHDRAWAL_CHANGE: CaseTypeRules(APPLICATION_STEPS, decided=True, signed=True, handling_time=LEAST_NOTICE),
    CaseType.PAYMENT_ACCOUNT_CHANGE: CaseTypeRules(
        APPLICATION_STEPS, decided=True, signed=True, handling_time=LEAST_NOTICE
    ),
    CaseType.TAX_WITHHOLDING_CHANGE: CaseTypeRules(
        APPLICATION_STEPS, decided=True, signed=True, handling_time=LEAST_NOTICE
    ),
    CaseType.HOUSING_SUPPLEMENT: CaseTypeRules(
        APPLICATION_STEPS, decided=True, signed=True, handling_time=HOUSING_SUPPLEMENT_HANDLING
    ),
    CaseType.GENERAL_QUESTION: CaseTypeRules(
        (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.CLOSED),
        decided=False,
        signed=False,
        handling_time=dt.timedelta(days=10),
    ),
}

# Which status may follow which. A final status is never left.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.RECEIVED: frozenset(
        {
            CaseStatus.IN_PROGRESS,
            CaseStatus.AWAITING_COMPLETION,
            CaseStatus.DECIDED,
            CaseStatus.WITHDRAWN,
            CaseStatus.CLOSED,
        }
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.AWAITING_COMPLETION, CaseStatus.DECIDED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED}
    ),
    CaseStatus.AWAITING_COMPLETION: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.DECIDED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED}
    ),
    CaseStatus.DECIDED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
    CaseStatus.CLOSED: frozenset(),
}


def may_follow(current: CaseStatus, new: CaseStatus) -> bool:
    """Whether a case in ``current`` may move to ``new``."""
    return new in TRANSITIONS[current]


def expected_decision_on(case_type: CaseType, arrived: dt.date, first_month: dt.date | None) -> dt.date:
    """When a decision is expected on a case that arrived on ``arrived`` (see the module's docstring).

    ``first_month`` is the first month an application asks for (its first day), when it names one.
    """
    if first_month is None or not RULES[case_type].decided:
        return arrived + RULES[case_type].handling_time
    month_before = first_month.replace(day=1) - dt.timedelta(days=1)
    earliest = arrived + LEAST_NOTICE
    day = _working_day(month_before.replace(day=DECISION_DAY))
    while day < earliest:
        month_before = (month_before.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        day = _working_day(month_before.replace(day=DECISION_DAY))
    return day


def _working_day(day: dt.date) -> dt.date:
    """The day, or the Friday before when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day
