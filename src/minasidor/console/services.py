"""The console's writes: staff accounts for agents, and identifying a caller by personal number and code.

Identifying by personal code (issue 20.2, decision 0170) checks the code through the registers doorway, as the
telephone service does (the same count of wrong codes in a row and the same lock, in the back office), writes
each attempt in the citizen's access log with the agent as the principal, and on a right code starts the fixed
view of ``temporary_access.types.PERSONAL_CODE_SCOPES``, held by the agent. Attempts are limited per agent
and per caller (``security.counters``) before the back office is asked.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid

import structlog
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.registers import registers
from minasidor.registers.types import CaseDetail, CaseNotFoundError, PersonalCodeCheck, RegistersError
from minasidor.security import counters
from minasidor.staff.models import StaffTotpDevice
from minasidor.staff.services import totp_device_create
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.selectors import HeldPermission
from minasidor.temporary_access.services import permission_give_by_personal_code
from minasidor.temporary_access.types import Agent

logger = structlog.get_logger(__name__)

# Codes an agent may try in a window, and codes tried for one caller (by any agent) in a window. The back
# office locks a person's code after PERSONAL_CODE_MAX_ATTEMPTS wrong in a row; these limits stop an agent
# from walking through many people's codes, and many agents from walking through one person's.
AGENT_CODE_LIMIT = 10
AGENT_CODE_WINDOW_SECONDS = 15 * 60
CALLER_CODE_LIMIT = 5
CALLER_CODE_WINDOW_SECONDS = 60 * 60

CODE_WRONG = Action(
    "console.personal_code_wrong", _("Someone gave customer service your personal number with a wrong personal code")
)
CODE_LOCKED = Action(
    "console.personal_code_locked",
    _("Someone gave customer service your personal number, but your personal code is locked"),
)


def agent_account_create(*, staff_number: str, name: str) -> tuple[User, StaffTotpDevice]:
    """The account ``oidc:<staff number>`` (no password: the IdP logs them in) with a new TOTP secret."""
    with transaction.atomic(using="default"):
        user, _created = User.objects.get_or_create(
            username=f"oidc:{staff_number}", defaults={"first_name": name[:150]}
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user, totp_device_create(user=user)


class CodeIdentification(enum.StrEnum):
    """What an agent's check of a caller's personal number and code led to."""

    ACCEPTED = "accepted"
    WRONG = "wrong"  # a wrong code, no code in force, or no such person: the same answer
    LOCKED = "locked"  # too many wrong codes in a row: the caller must order a new code
    LIMITED = "limited"  # too many tries by this agent or for this caller: nothing was checked
    UNAVAILABLE = "unavailable"  # the back office could not answer: nothing was checked


@dataclasses.dataclass(frozen=True, slots=True)
class CodeIdentificationResult:
    outcome: CodeIdentification
    permission: TemporaryPermission | None = None


def caller_identify_by_personal_code(
    *, agent: Agent, personal_number: PersonalNumber, code: str
) -> CodeIdentificationResult:
    """Check the code the caller reads out for ``personal_number``; a right one starts the agent's view."""
    subject_key = f"se:{personal_number.value}"
    agent_ok = counters.hit(
        scope="console.personal_code.agent",
        subject=f"agent:{agent.ref}",
        limit=AGENT_CODE_LIMIT,
        window_seconds=AGENT_CODE_WINDOW_SECONDS,
    )
    caller_ok = agent_ok and counters.hit(
        scope="console.personal_code.caller",
        subject=pseudonym_for(subject_key),
        limit=CALLER_CODE_LIMIT,
        window_seconds=CALLER_CODE_WINDOW_SECONDS,
    )
    if not caller_ok:
        logger.warning("console.personal_code_limited", agent=agent.ref, per="agent" if not agent_ok else "caller")
        return CodeIdentificationResult(CodeIdentification.LIMITED)
    try:
        checked = registers().personal_code_check(agent.principal, personal_number, "".join(code.split())[:32])
    except RegistersError:
        logger.warning("console.personal_code_unavailable", agent=agent.ref)
        return CodeIdentificationResult(CodeIdentification.UNAVAILABLE)
    logger.info("console.personal_code_checked", agent=agent.ref, outcome=str(checked))
    if checked == PersonalCodeCheck.ACCEPTED:
        # one transaction with its access record (``temporary_access.given_by_personal_code``, by the agent)
        permission = permission_give_by_personal_code(agent=agent, personal_number=personal_number)
        return CodeIdentificationResult(CodeIdentification.ACCEPTED, permission)
    locked = checked == PersonalCodeCheck.LOCKED
    with transaction.atomic(using="default"):
        access_record_create(
            principal=agent.principal,
            subject_key=subject_key,
            action=CODE_LOCKED if locked else CODE_WRONG,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
    return CodeIdentificationResult(CodeIdentification.LOCKED if locked else CodeIdentification.WRONG)


CALL_NOTED = Action("console.call_noted", _("Customer service noted your call in one of your cases"))


def case_call_note(*, agent: Agent, held: HeldPermission, case_id: uuid.UUID, text: str) -> CaseDetail | None:
    """Note the call in one of the citizen's cases through the registers (issue 19); None when the case is
    not the citizen's. The note is the back office's write; the citizen's access record follows it here.

    Raises :class:`~minasidor.registers.types.RegistersError` when the back office cannot take it.
    """
    try:
        detail = registers().case_call_note(agent.principal, held.personal_number, case_id, text)
    except CaseNotFoundError:
        return None
    with transaction.atomic(using="default"):
        access_record_create(
            principal=agent.principal, subject_key=held.subject_key, action=CALL_NOTED, purpose=Purpose.CUSTOMER_SERVICE
        )
    logger.info("console.call_noted", agent=agent.ref)
    return detail
