"""Telling the grantor of each new session in which a delegate acts for them (decision 0180).

The back office sends the notice by the channels the grantor chose, saying only that their power of attorney
is being used (no name, no number). Acting never waits for, or fails because of, the notice: a back office
that cannot be reached is logged, and the grantor's access log still tells.
"""

from __future__ import annotations

import hashlib
import secrets

import structlog
from django.http import HttpRequest

from minasidor.audit.types import Principal, PrincipalKind
from minasidor.delegation.services import ActingFor
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersError

logger = structlog.get_logger(__name__)

NONCE_KEY = "delegation_notice_nonce"


def delegate_session_notify(request: HttpRequest, *, delegate: Identity, acting: ActingFor) -> None:
    """Ask the back office to tell the grantor that ``delegate`` began acting for them in this session."""
    # One notice per power and login session: acting again in the same session (the session's id changes each
    # time acting begins or ends) tells the grantor nothing new, so the key is made of a nonce the session keeps.
    nonce = request.session.setdefault(NONCE_KEY, secrets.token_hex(16))
    key = hashlib.sha256(f"{acting.reference}:{nonce}".encode()).hexdigest()
    principal = Principal(kind=PrincipalKind.DELEGATE, ref=delegate.pseudonym)
    try:
        count = registers().delegate_session_notice_send(principal, acting.personal_number, key)
    except RegistersError as error:
        logger.warning("delegation.session_notice_not_sent", error=type(error).__name__)
        return
    logger.info("delegation.session_notice_sent", notices=count)
