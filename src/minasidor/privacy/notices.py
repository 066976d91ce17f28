"""Telling the citizen of a login from a browser they have not used before (issue 12.8).

The login writes it in the citizen's access log; this receiver of
``identity.session.citizen_logged_in_from_new_device`` also asks the back office to send a notice to every
contact point the citizen has, saying only that a login from a new device happened (the QR relay of
docs/security.md is the case it is for). The login never waits for, or fails because of, the notice: a back
office that cannot be reached is logged, and the access log still tells.
"""

from __future__ import annotations

from typing import Any

import structlog

from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersError

logger = structlog.get_logger(__name__)


def login_notice_send(sender: Any, identity: Identity, login: str, **kwargs: Any) -> None:
    """Receiver: ask the back office to tell the citizen of this login (nothing for one without a number)."""
    if identity.personal_number is None:
        return
    try:
        count = registers().login_notice_send(identity.principal, identity.personal_number, login)
    except RegistersError as error:
        logger.warning("privacy.login_notice_not_sent", error=type(error).__name__)
        return
    logger.info("privacy.login_notice_sent", notices=count)
