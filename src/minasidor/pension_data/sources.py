"""Asking the sources of the citizen's pension data: the pension register, then Min Pension.

Min Pension is asked only after the register has answered: whether it may be asked at all depends on the
register's facts (draws pension, still works), so the two cannot run side by side (decision 0090). While
Min Pension answers, its calls run on another thread and this one does the work that needs only the
register's snapshot: the register's access record and what the page gives as ``meanwhile`` (the overview:
the engine's forecast, the register's other reads; decision 0246). A fetch from the register is recorded in
the access log (``pension.fetched``); Min Pension's calls are recorded by ``minasidor.minpension`` once they
have answered. A source that fails is remembered as failed, never as zeros.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.core import alongside
from minasidor.identity.types import Identity
from minasidor.minpension.selectors import min_pension_ask, min_pension_asked_record
from minasidor.minpension.types import MinPensionResult
from minasidor.pension_data.types import PensionData
from minasidor.registers import registers
from minasidor.registers.types import PersonNotFoundError, PersonSnapshot, RegistersError

PENSION_DATA_FETCHED = Action(
    "pension.fetched", _("Fetched your pension, statements and payments from the pension register")
)

logger = structlog.get_logger(__name__)

MinPensionAnswer = tuple[MinPensionResult, Action | None]


def _snapshot(identity: Identity) -> tuple[PersonSnapshot | None, bool, bool]:
    """The register's snapshot, whether the register failed, and whether it knows no such person."""
    assert identity.personal_number is not None  # noqa: S101 - callers check
    try:
        return (
            registers().person_snapshot(identity.principal, identity.personal_number),
            False,
            False,
        )
    except PersonNotFoundError:
        return None, False, True
    except RegistersError:
        logger.warning("pension_data.register_unavailable")
        return None, True, False


def _min_pension_start(identity: Identity, snapshot: PersonSnapshot) -> alongside.Started[MinPensionAnswer]:
    """Min Pension's calls, started on another thread (they touch no database)."""
    assert identity.personal_number is not None  # noqa: S101 - callers check
    personal_number = identity.personal_number
    person = snapshot.person
    return alongside.start(
        lambda: min_pension_ask(
            personal_number=personal_number,
            drawing_pension=person.drawing_pension,
            still_working=person.still_working,
        )
    )


def sources_ask(
    identity: Identity, earlier: PensionData | None, *, meanwhile: Callable[[PersonSnapshot], None] | None = None
) -> PensionData:
    """Ask the sources that have not answered yet in this session; the citizen's forecast choice is kept.

    ``meanwhile`` is called with the register's snapshot (when there is one) on this thread while Min Pension
    is asked; what it raises is raised here once Min Pension has answered and its calls are recorded.
    """
    snapshot = earlier.snapshot if earlier is not None else None
    register_failed = not_in_register = False
    fetched = snapshot is None
    if fetched:
        snapshot, register_failed, not_in_register = _snapshot(identity)
    min_pension = earlier.min_pension if earlier is not None and not earlier.min_pension_failed else None
    asking = _min_pension_start(identity, snapshot) if min_pension is None and snapshot is not None else None
    try:
        if fetched and snapshot is not None:
            with transaction.atomic(using="default"):
                access_record_create(
                    principal=identity.principal,
                    subject_key=identity.subject_key,
                    action=PENSION_DATA_FETCHED,
                    purpose=Purpose.SELF_SERVICE,
                )
        if meanwhile is not None and snapshot is not None:
            meanwhile(snapshot)
    finally:  # Min Pension's answer is waited for, and its calls recorded, whatever ``meanwhile`` did
        if asking is not None:
            min_pension, due = asking.result()
            min_pension_asked_record(principal=identity.principal, subject_key=identity.subject_key, due=due)
    return PensionData(
        subject=identity.pseudonym,
        fetched_at=clock.now(),
        snapshot=snapshot,
        register_failed=register_failed,
        not_in_register=not_in_register,
        min_pension=min_pension,
        choice=earlier.choice if earlier is not None else None,
    )
