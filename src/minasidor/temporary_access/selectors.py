"""Reads of temporary permissions: the citizen's live one, and the one an agent holds (decision 0126)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.identity.types import Identity
from minasidor.temporary_access.codes import unseal
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.types import Agent, Scope


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class HeldPermission:
    """A live permission as its agent uses it: whose data (to read through the registers), what, until when."""

    reference: str
    subject_key: str
    personal_number: PersonalNumber
    scopes: tuple[Scope, ...]
    expires_at: dt.datetime

    def covers(self, scope: Scope) -> bool:
        return scope in self.scopes


def permission_live_for_citizen(*, identity: Identity) -> TemporaryPermission | None:
    """The citizen's live permission (given, not ended, not run out), if any."""
    return (
        TemporaryPermission.objects.filter(
            subject_ref=identity.pseudonym, ended_at__isnull=True, expires_at__gt=clock.now()
        )
        .order_by("-granted_at")
        .first()
    )


def permissions_held(*, agent: Agent) -> list[TemporaryPermission]:
    """The live permissions the agent took in this console session, newest first."""
    return list(
        TemporaryPermission.objects.filter(
            agent_ref=agent.ref,
            agent_session_ref=agent.session_ref,
            ended_at__isnull=True,
            expires_at__gt=clock.now(),
        ).order_by("-taken_at")
    )


def permission_held(*, agent: Agent, reference: str, scope: Scope) -> HeldPermission | None:
    """The permission ``reference`` if it is live, held by this agent in this session, and covers ``scope``.

    None otherwise, the same for every reason (not found, another agent's, ended, run out, other scope).
    """
    try:
        uuid.UUID(reference)
    except ValueError:
        return None
    permission = (
        TemporaryPermission.objects.filter(
            reference=reference,
            agent_ref=agent.ref,
            agent_session_ref=agent.session_ref,
            ended_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .only("reference", "subject_sealed", "scopes", "expires_at")
        .first()
    )
    if permission is None or scope.value not in permission.scope_list:
        return None
    subject_key = unseal(permission.subject_sealed)
    return HeldPermission(
        reference=str(permission.reference),
        subject_key=subject_key,
        personal_number=PersonalNumber(subject_key.removeprefix("se:")),
        scopes=tuple(Scope(scope) for scope in permission.scope_list),
        expires_at=permission.expires_at,
    )
