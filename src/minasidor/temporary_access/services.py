"""Writes of temporary permissions: the citizen gives and ends one; an agent takes one with its code.

Each write records itself in the access log in the same transaction (the citizen reads it in "who has seen
my data"). A wrong code tells the agent nothing: unknown, used, expired or ended codes all give None, and
every attempt is kept (``CodeAttempt``) and counted against the agent's limit (decision 0126).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, PrincipalKind, Purpose
from minasidor.core import request_id
from minasidor.identity.session import current_identity
from minasidor.identity.types import Identity
from minasidor.temporary_access.codes import code_hash, code_new, code_normalise, seal, unseal
from minasidor.temporary_access.marks import live_mark_clear, live_mark_set
from minasidor.temporary_access.models import CodeAttempt, TemporaryPermission
from minasidor.temporary_access.types import (
    CODE_ATTEMPT_LIMIT,
    CODE_ATTEMPT_WINDOW_SECONDS,
    CODE_VALID_SECONDS,
    DURATIONS_MINUTES,
    PERSONAL_CODE_MINUTES,
    PERSONAL_CODE_SCOPES,
    Agent,
    EndReason,
    Scope,
)

PERMISSION_GIVEN = Action("temporary_access.given", _("Gave customer service a temporary permission to see your data"))
PERMISSION_TAKEN = Action(
    "temporary_access.taken", _("Customer service entered your code and started the temporary permission")
)
PERMISSION_GIVEN_BY_BANKID = Action(
    "temporary_access.given_by_bankid",
    _("Gave customer service a temporary permission by approving with BankID during a call"),
)
PERMISSION_GIVEN_BY_PERSONAL_CODE = Action(
    "temporary_access.given_by_personal_code",
    _("Customer service identified you by your personal code during a call and could see part of your data"),
)
PERMISSION_ENDED = Action("temporary_access.ended", _("The temporary permission of customer service was ended"))

logger = structlog.get_logger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class GivenPermission:
    """A permission just given, with the code the citizen reads out (shown to them, never stored)."""

    permission: TemporaryPermission
    code: str


def _live(now: dt.datetime) -> QuerySet[TemporaryPermission]:
    return TemporaryPermission.objects.filter(ended_at__isnull=True, expires_at__gt=now)


def _end(permissions: Iterable[TemporaryPermission], *, reason: EndReason, principal: Principal | None) -> int:
    """End ``permissions`` now for ``reason``; each ending is recorded by ``principal`` (else the citizen)."""
    now = clock.now()
    ended = 0
    for permission in permissions:
        if not TemporaryPermission.objects.filter(pk=permission.pk, ended_at__isnull=True).update(
            ended_at=now, end_reason=reason
        ):
            continue
        subject_key = unseal(permission.subject_sealed)
        live_mark_clear(subject_ref=permission.subject_ref)
        access_record_create(
            principal=principal or Principal(kind=PrincipalKind.CITIZEN, ref=permission.subject_ref),
            subject_key=subject_key,
            action=PERMISSION_ENDED,
            purpose=Purpose.SELF_SERVICE if principal is None else Purpose.CUSTOMER_SERVICE,
        )
        ended += 1
    return ended


def permission_give(*, identity: Identity, scopes: Iterable[str], minutes: int) -> GivenPermission:
    """Give customer service a permission to see ``scopes`` of the citizen's data for ``minutes``.

    A live permission given earlier ends (one at a time). The code can be entered for CODE_VALID_SECONDS.
    """
    chosen = sorted({Scope(scope).value for scope in scopes})
    if not chosen:
        raise ValueError("A permission covers at least one part of the data")
    if minutes not in DURATIONS_MINUTES:
        raise ValueError(f"A permission lasts one of {DURATIONS_MINUTES} minutes")
    if identity.personal_number is None:
        raise ValueError("Customer service reads the registers by a Swedish personal or coordination number")
    now = clock.now()
    expires_at = now + dt.timedelta(minutes=minutes)
    with transaction.atomic(using="default"):
        _end(
            _live(now).filter(subject_ref=identity.pseudonym).select_for_update(),
            reason=EndReason.REPLACED,
            principal=None,
        )
        code = _unused_code(now)
        permission = TemporaryPermission.objects.create(
            subject_ref=identity.pseudonym,
            subject_sealed=seal(identity.subject_key),
            scopes=",".join(chosen),
            granted_at=now,
            expires_at=expires_at,
            code_hash=code_hash(code),
            code_expires_at=min(expires_at, now + dt.timedelta(seconds=CODE_VALID_SECONDS)),
        )
        live_mark_set(subject_ref=identity.pseudonym, expires_at=expires_at)
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=PERMISSION_GIVEN,
            purpose=Purpose.SELF_SERVICE,
        )
    logger.info("temporary_access.given", scopes=chosen, minutes=minutes)
    return GivenPermission(permission=permission, code=code)


def _unused_code(now: dt.datetime) -> str:
    """A code no other permission waiting for its code has (codes are short, so this is checked)."""
    for _attempt in range(20):
        code = code_new()
        if not _live(now).filter(code_hash=code_hash(code), taken_at__isnull=True, code_expires_at__gt=now).exists():
            return code
    raise RuntimeError("No free code found; too many permissions are waiting for their codes")


def permission_end(*, identity: Identity, reference: str) -> bool:
    """The citizen ends their permission ``reference`` now; false when it is not theirs or not live."""
    try:
        uuid.UUID(reference)
    except ValueError:
        return False
    with transaction.atomic(using="default"):
        permissions = _live(clock.now()).filter(subject_ref=identity.pseudonym, reference=reference)
        return _end(permissions.select_for_update(), reason=EndReason.CITIZEN, principal=None) > 0


def permissions_end_for_citizen(*, identity: Identity, reason: EndReason = EndReason.CITIZEN_LOGOUT) -> int:
    """End every live permission of the citizen (their session ends)."""
    with transaction.atomic(using="default"):
        permissions = _live(clock.now()).filter(subject_ref=identity.pseudonym)
        return _end(permissions.select_for_update(), reason=reason, principal=None)


def end_on_citizen_change(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Receiver of ``identity.session.session_citizen_changing``: the citizen's logout ends their permissions."""
    identity = current_identity(request)
    if identity is not None:
        permissions_end_for_citizen(identity=identity)


def permissions_end_for_agent(*, agent: Agent) -> int:
    """End every live permission held in the agent's console session (they log out or time out)."""
    with transaction.atomic(using="default"):
        permissions = _live(clock.now()).filter(agent_ref=agent.ref, agent_session_ref=agent.session_ref)
        return _end(permissions.select_for_update(), reason=EndReason.AGENT_LOGOUT, principal=agent.principal)


def permission_take(*, agent: Agent, code: str) -> TemporaryPermission | None:
    """The permission whose code the agent entered, now bound to them and their session; else None.

    None, the same for every wrong case: no such code, used, expired, ended, or the agent is over their
    limit of wrong codes (then even a right code is refused, and the code stays unused for its citizen).
    """
    now = clock.now()
    entered = code_normalise(code)
    with transaction.atomic(using="default"):
        since = now - dt.timedelta(seconds=CODE_ATTEMPT_WINDOW_SECONDS)
        wrong = CodeAttempt.objects.filter(agent_ref=agent.ref, attempted_at__gte=since, succeeded=False).count()
        if wrong >= CODE_ATTEMPT_LIMIT:
            _attempt(agent, now, succeeded=False, refused=True)
            logger.warning("temporary_access.code_refused_over_limit", agent=agent.ref, wrong=wrong)
            return None
        found = (
            _live(now)
            .filter(code_hash=code_hash(entered), taken_at__isnull=True, code_expires_at__gt=now)
            .select_for_update()
            .first()
            if entered.isdigit()
            else None
        )
        taken = found is not None and TemporaryPermission.objects.filter(pk=found.pk, taken_at__isnull=True).update(
            agent_ref=agent.ref, agent_name=agent.name, agent_session_ref=agent.session_ref, taken_at=now
        )
        _attempt(agent, now, succeeded=bool(taken), refused=False)
        if not taken or found is None:
            logger.warning("temporary_access.code_wrong", agent=agent.ref, wrong=wrong + 1)
            return None
        access_record_create(
            principal=agent.principal,
            subject_key=unseal(found.subject_sealed),
            action=PERMISSION_TAKEN,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
    found.refresh_from_db()
    logger.info("temporary_access.taken", agent=agent.ref, reference=str(found.reference))
    return found


def _attempt(agent: Agent, now: dt.datetime, *, succeeded: bool, refused: bool) -> None:
    CodeAttempt.objects.create(
        agent_ref=agent.ref, attempted_at=now, succeeded=succeeded, refused=refused, request_id=request_id.current()
    )


def permission_give_by_bankid(
    *, agent: Agent, personal_number: PersonalNumber, scopes: Iterable[str], minutes: int
) -> TemporaryPermission:
    """The caller approved, in their BankID app, the text naming this agent, the scopes and the length
    (``bankid_consent_text``): the permission starts now, held by the agent, with no code to enter."""
    subject_key = f"se:{personal_number.value}"
    permission = _permission_start_for_agent(
        agent=agent,
        subject_key=subject_key,
        scopes=scopes,
        minutes=minutes,
        principal=citizen_principal(subject_key),
        action=PERMISSION_GIVEN_BY_BANKID,
    )
    logger.info("temporary_access.given_by_bankid", agent=agent.ref, scopes=permission.scope_list, minutes=minutes)
    return permission


def permission_give_by_personal_code(*, agent: Agent, personal_number: PersonalNumber) -> TemporaryPermission:
    """The caller read out their personal number and a personal code the back office accepted: the fixed view
    of PERSONAL_CODE_SCOPES for PERSONAL_CODE_MINUTES starts now, held by the agent (decision 0170).

    Only the console calls this, after ``registers().personal_code_check`` answered ``accepted``; the access
    record names the agent, who acted on the caller's word and code.
    """
    permission = _permission_start_for_agent(
        agent=agent,
        subject_key=f"se:{personal_number.value}",
        scopes=PERSONAL_CODE_SCOPES,
        minutes=PERSONAL_CODE_MINUTES,
        principal=agent.principal,
        action=PERMISSION_GIVEN_BY_PERSONAL_CODE,
    )
    logger.info("temporary_access.given_by_personal_code", agent=agent.ref)
    return permission


def _permission_start_for_agent(
    *, agent: Agent, subject_key: str, scopes: Iterable[str], minutes: int, principal: Principal, action: Action
) -> TemporaryPermission:
    """A permission that starts now, already held by ``agent`` in this console session (no code to enter); a
    live one of the same person ends (one at a time). Recorded as ``action`` by ``principal``."""
    chosen = sorted({Scope(scope).value for scope in scopes})
    if not chosen or minutes not in DURATIONS_MINUTES:
        raise ValueError("A permission covers at least one part of the data, for one of the fixed lengths")
    subject_ref = pseudonym_for(subject_key)
    now = clock.now()
    with transaction.atomic(using="default"):
        _end(_live(now).filter(subject_ref=subject_ref).select_for_update(), reason=EndReason.REPLACED, principal=None)
        permission = TemporaryPermission.objects.create(
            subject_ref=subject_ref,
            subject_sealed=seal(subject_key),
            scopes=",".join(chosen),
            granted_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
            code_hash=code_hash(secrets.token_hex(16)),  # no code: nobody can enter one
            code_expires_at=now,
            agent_ref=agent.ref,
            agent_name=agent.name,
            agent_session_ref=agent.session_ref,
            taken_at=now,
        )
        live_mark_set(subject_ref=subject_ref, expires_at=permission.expires_at)
        access_record_create(
            principal=principal, subject_key=subject_key, action=action, purpose=Purpose.CUSTOMER_SERVICE
        )
    return permission


def bankid_consent_text(*, agent: Agent, scopes: Iterable[str], minutes: int) -> str:
    """What the caller reads and approves in the BankID app (Swedish, as the app's text is)."""
    with translation.override("sv"):
        parts = ", ".join(str(Scope(scope).label).lower() for scope in sorted(set(scopes)))
        return str(
            _(
                "I am in a call with customer service at %(authority)s. I let %(name)s (%(number)s) see "
                "%(parts)s for %(minutes)d minutes."
            )
            % {
                "authority": settings.AUTHORITY_NAME,
                "name": agent.name,
                "number": agent.ref,
                "parts": parts,
                "minutes": minutes,
            }
        )
