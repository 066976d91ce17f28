"""Keeping the citizen's identity in the server-side session: log in, read, log out.

Logging in always gives the session a new id (against session fixation) and records the login in the
access log; logging out deletes the session on the server, so a copied cookie is worth nothing after.
"""

from __future__ import annotations

import structlog
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from minasidor.audit.pseudonyms import citizen_principal
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity

SESSION_KEY = "identity"
LOGGED_IN = Action("login.completed", _("Logged in to My pages"))
LOGGED_OUT = Action("login.ended", _("Logged out of My pages"))

logger = structlog.get_logger(__name__)


def identity_login(request: HttpRequest, identity: Identity) -> None:
    """Make ``identity`` the session's citizen, under a new session id, and record it."""
    with transaction.atomic(using="default"):
        request.session.cycle_key()
        request.session[SESSION_KEY] = identity.to_session()
        access_record_create(
            principal=citizen_principal(identity.subject_key),
            subject_key=identity.subject_key,
            action=LOGGED_IN,
            purpose=Purpose.SELF_SERVICE,
        )
    logger.info("login.completed", method=identity.method.value, loa=identity.level_of_assurance)


def current_identity(request: HttpRequest) -> Identity | None:
    """The citizen logged in to this session, if any."""
    data = request.session.get(SESSION_KEY)
    return Identity.from_session(data) if data else None


def identity_logout(request: HttpRequest) -> None:
    """End the session on the server (its data and id are gone) and record the logout."""
    identity = current_identity(request)
    with transaction.atomic(using="default"):
        if identity is not None:
            access_record_create(
                principal=citizen_principal(identity.subject_key),
                subject_key=identity.subject_key,
                action=LOGGED_OUT,
                purpose=Purpose.SELF_SERVICE,
            )
        request.session.flush()
    logger.info("login.ended", had_identity=identity is not None)
