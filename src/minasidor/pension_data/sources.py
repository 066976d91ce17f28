"""Asking the sources of the citizen's pension data: the pension register, then Min Pension.

Min Pension is asked only after the register has answered: whether it may be asked at all depends on the
register's facts (draws pension, still works), so the two cannot run side by side (decision 0090). A fetch
from the register is recorded in the access log (``pension.fetched``); Min Pension's calls are recorded by
``minasidor.minpension``. A source that fails is remembered as failed, never as zeros.
"""

from __future__ import annotations

import structlog
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.minpension.selectors import min_pension_get
from minasidor.minpension.types import MinPensionResult
from minasidor.pension_data.types import PensionData
from minasidor.registers import registers
from minasidor.registers.types import PersonNotFoundError, PersonSnapshot, RegistersError

PENSION_DATA_FETCHED = Action(
    "pension.fetched", _("Fetched your pension, statements and payments from the pension register")
)

logger = structlog.get_logger(__name__)


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


def _min_pension(identity: Identity, snapshot: PersonSnapshot) -> MinPensionResult:
    assert identity.personal_number is not None  # noqa: S101 - callers check
    return min_pension_get(
        principal=identity.principal,
        subject_key=identity.subject_key,
        personal_number=identity.personal_number,
        drawing_pension=snapshot.person.drawing_pension,
        still_working=snapshot.person.still_working,
    )


def sources_ask(identity: Identity, earlier: PensionData | None) -> PensionData:
    """Ask the sources that have not answered yet in this session; the citizen's forecast choice is kept."""
    snapshot = earlier.snapshot if earlier is not None else None
    register_failed = not_in_register = False
    if snapshot is None:
        snapshot, register_failed, not_in_register = _snapshot(identity)
        if snapshot is not None:
            with transaction.atomic(using="default"):
                access_record_create(
                    principal=identity.principal,
                    subject_key=identity.subject_key,
                    action=PENSION_DATA_FETCHED,
                    purpose=Purpose.SELF_SERVICE,
                )
    min_pension = earlier.min_pension if earlier is not None and not earlier.min_pension_failed else None
    if min_pension is None and snapshot is not None:
        min_pension = _min_pension(identity, snapshot)
    return PensionData(
        subject=identity.pseudonym,
        fetched_at=clock.now(),
        snapshot=snapshot,
        register_failed=register_failed,
        not_in_register=not_in_register,
        min_pension=min_pension,
        choice=earlier.choice if earlier is not None else None,
    )
