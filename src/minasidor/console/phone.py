"""Identifying a caller with BankID (RP API v6 ``phone/auth``) from the console, with their consent.

The agent starts an order for the personal number the caller gives, saying who called whom
(``callInitiator``); the text the caller approves in the BankID app names the agent, what they may see and
for how long, so the approval is the caller's consent: on completion the permission starts, held by the
agent (``temporary_access.services.permission_give_by_bankid``). The order is kept in the agent's
session; BankID is asked at most every two seconds. A completed order counts only if its signature and OCSP
response prove the same personal number from BankID's signing root (as at login, decision 0074).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import structlog
from django.conf import settings
from django.http import HttpRequest

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.identity.contrib.bankid import connection
from minasidor.identity.contrib.bankid.rp.errors import BankIdError
from minasidor.identity.contrib.bankid.rp.types import CollectStatus, CompletionData, PhoneAuthRequest
from minasidor.identity.contrib.bankid.rp.verify import ProofRejectedError, completion_proof_check
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.services import bankid_consent_text, permission_give_by_bankid
from minasidor.temporary_access.types import Agent

SESSION_KEY = "console_phone_order"
COLLECT_EVERY_SECONDS = 2.0

logger = structlog.get_logger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class PhoneOutcome:
    """Where an order stands: pending, failed (with BankID's hint code) or done (with the permission)."""

    state: Literal["pending", "failed", "done", "none"]
    hint: str = ""
    permission: TemporaryPermission | None = None
    name: str = ""


def phone_order_start(
    request: HttpRequest,
    *,
    agent: Agent,
    personal_number: PersonalNumber,
    initiator: str,
    scopes: list[str],
    minutes: int,
) -> bool:
    """Start ``phone/auth`` for the caller; false when BankID cannot be reached or refuses."""
    text = bankid_consent_text(agent=agent, scopes=scopes, minutes=minutes)
    order = PhoneAuthRequest(
        personal_number=personal_number.value,
        call_initiator="user" if initiator == "user" else "RP",
        user_visible_data=text,
    )
    try:
        response = connection.call(lambda client: client.phone_auth(order))
    except BankIdError as error:
        logger.warning("console.phone_auth_failed", agent=agent.ref, error=type(error).__name__)
        return False
    request.session[SESSION_KEY] = {
        "order_ref": response.order_ref,
        "personal_number": personal_number.value,
        "scopes": scopes,
        "minutes": minutes,
        "agent": agent.ref,
        "session": agent.session_ref,
        "collected": 0.0,
    }
    logger.info("console.phone_auth_started", agent=agent.ref, initiator=initiator)
    return True


def phone_order_collect(request: HttpRequest, *, agent: Agent) -> PhoneOutcome:
    """Ask BankID how the agent's order stands (at most every two seconds) and act on its end."""
    order: dict[str, Any] | None = request.session.get(SESSION_KEY)
    if not order or order["agent"] != agent.ref or order["session"] != agent.session_ref:
        return PhoneOutcome("none")
    now = clock.now().timestamp()
    if now - order["collected"] < COLLECT_EVERY_SECONDS:
        return PhoneOutcome("pending", hint="outstandingTransaction")
    request.session[SESSION_KEY] = {**order, "collected": now}
    try:
        answer = connection.call(lambda client: client.collect(order["order_ref"]))
    except BankIdError as error:
        logger.warning("console.phone_collect_failed", error=type(error).__name__)
        return PhoneOutcome("pending", hint="outstandingTransaction")
    if answer.status == CollectStatus.PENDING:
        return PhoneOutcome("pending", hint=answer.hint_code or "")
    del request.session[SESSION_KEY]
    if answer.status == CollectStatus.FAILED or answer.completion_data is None:
        return PhoneOutcome("failed", hint=answer.hint_code or "")
    return _completed(agent, order, answer.completion_data)


def _completed(agent: Agent, order: dict[str, Any], completion: CompletionData) -> PhoneOutcome:
    """The permission, if the completed order proves the person asked for (else a refusal)."""
    if completion.user.personal_number != order["personal_number"] or completion.risk == "high":
        logger.warning("console.phone_auth_refused", agent=agent.ref)
        return PhoneOutcome("failed", hint="refused")
    try:
        completion_proof_check(
            signature_b64=completion.signature,
            ocsp_b64=completion.ocsp_response,
            personal_number=completion.user.personal_number,
            root_file=settings.BANKID_SIGNING_ROOT_FILE,
        )
    except (ProofRejectedError, OSError):
        logger.warning("console.phone_auth_proof_rejected", agent=agent.ref)
        return PhoneOutcome("failed", hint="refused")
    permission = permission_give_by_bankid(
        agent=agent,
        personal_number=PersonalNumber(order["personal_number"]),
        scopes=order["scopes"],
        minutes=order["minutes"],
    )
    return PhoneOutcome("done", permission=permission, name=completion.user.name)


def phone_order_cancel(request: HttpRequest) -> None:
    order = request.session.pop(SESSION_KEY, None)
    if order:
        try:
            connection.call(lambda client: client.cancel(order["order_ref"]))
        except BankIdError:
            logger.warning("console.phone_cancel_failed")
