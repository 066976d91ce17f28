"""Keeping the citizen's identity in the server-side session: log in, read, log out.

Logging in always gives the session a new id (against session fixation) and records the login in the
access log; logging out deletes the session on the server, so a copied cookie is worth nothing after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _

from kernel.personal_number import PersonalNumber
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.expiry import Ending, session_times_start
from minasidor.identity.types import Acting, Identity, PowerDocument

SESSION_KEY = "identity"
ENDED_KEY = "session_ended"
KEPT_FORM_KEY = "kept_form"
# Whom the session's person acts for with a power of attorney (decision 0180): the other person's number and
# names and the power's reference. What it covers is read anew at every page by the acting guard.
ACTING_KEY = "acting_for"
LOGGED_IN = Action("login.completed", _("Logged in to My pages"))
LOGGED_OUT = Action("login.ended", _("Logged out of My pages"))
TIMED_OUT = Action("login.timed_out", _("Logged out automatically after a time limit"))

logger = structlog.get_logger(__name__)

# Sent with ``request`` when a session's citizen changes or the session ends (login, logout, time limit),
# before the session's data is replaced or deleted: apps that keep data for the session forget it here.
session_citizen_changing = Signal()

# Sent with ``identity`` and ``login`` (a key naming the login, at most 64 characters) after a citizen logged in
# from a browser they have not used before (issue 12.8, the QR relay of docs/security.md): the receiver tells
# the citizen by the notice channels they have (minasidor.privacy).
citizen_logged_in_from_new_device = Signal()


def identity_login(request: HttpRequest, identity: Identity) -> None:
    """Make ``identity`` the session's citizen, under a new session id and CSRF token, and record it.

    A form kept from an earlier session that timed out stays only if it belongs to the same person.
    """
    session_citizen_changing.send(sender=identity_login, request=request)
    with transaction.atomic(using="default"):
        request.session.cycle_key()
        rotate_token(request)
        kept = request.session.get(KEPT_FORM_KEY)
        if kept and kept.get("subject") != identity.pseudonym:
            del request.session[KEPT_FORM_KEY]
        request.session.pop(ENDED_KEY, None)
        request.session.pop(ACTING_KEY, None)
        request.session[SESSION_KEY] = identity.to_session()
        session_times_start(request.session)
        _record(identity, LOGGED_IN)
    logger.info("login.completed", method=identity.method.value, loa=identity.level_of_assurance)


def _record(identity: Identity, action: Action) -> None:
    """The access record of something the citizen did to their own session."""
    access_record_create(
        principal=identity.principal,
        subject_key=identity.subject_key,
        action=action,
        purpose=Purpose.SELF_SERVICE,
    )


def _end(request: HttpRequest, action: Action) -> Identity | None:
    """Delete the session on the server, recording ``action`` for the citizen it held (if any)."""
    identity = current_identity(request)
    session_citizen_changing.send(sender=_end, request=request)
    with transaction.atomic(using="default"):
        if identity is not None:
            _record(identity, action)
        request.session.flush()
    return identity


def current_identity(request: HttpRequest) -> Identity | None:
    """The citizen logged in to this session, if any."""
    data = request.session.get(SESSION_KEY)
    return Identity.from_session(data) if data else None


def identity_logout(request: HttpRequest) -> None:
    """End the session on the server (its data and id are gone) and record the logout."""
    identity = _end(request, LOGGED_OUT)
    logger.info("login.ended", had_identity=identity is not None)


def identity_expire(request: HttpRequest, *, ending: Ending, kept_form: dict[str, Any] | None = None) -> None:
    """End a session that reached a time limit, like a logout, and remember why for the page that says so.

    The new, empty session holds only the reason and, when the citizen was sending a form, what it held
    (``kept_form``, given back only to the same person after they log in again).
    """
    identity = _end(request, TIMED_OUT)
    request.session[ENDED_KEY] = ending.value
    if kept_form is not None and identity is not None:
        request.session[KEPT_FORM_KEY] = {**kept_form, "subject": identity.pseudonym}
    logger.info("login.timed_out", ending=ending.value, kept_form=kept_form is not None)


def kept_form_take(request: HttpRequest, identity: Identity, *, path: str) -> dict[str, list[str]] | None:
    """The fields of the form this citizen was sending to ``path`` when their session ended, once.

    Forms behind login call this when shown, to fill themselves in again (``QueryDict``-like lists).
    """
    kept = request.session.get(KEPT_FORM_KEY)
    if not kept or kept.get("path") != path or kept.get("subject") != identity.pseudonym:
        return None
    del request.session[KEPT_FORM_KEY]
    data: dict[str, list[str]] = kept["data"]
    return data


# --- Acting for someone else (decision 0180) ------------------------------------------------------------

# The check every citizen page makes while the session acts for someone: given the request, the logged-in
# person and the session's ACTING_KEY, it returns what the power of attorney covers now, or the response
# to send instead (a page outside the scope, or a power that has ended). The app that owns powers of
# attorney registers it (identity knows no page app); without one, a session acts for no one.
ActingGuard = Callable[[HttpRequest, Identity, dict[str, Any]], Acting | HttpResponse]
_acting_guards: list[ActingGuard] = []


def acting_guard_register(guard: ActingGuard) -> None:
    """Make ``guard`` the check of sessions acting for someone (the last registered counts)."""
    _acting_guards.append(guard)


def acting_begin(
    request: HttpRequest, *, reference: str, personal_number: PersonalNumber, given_name: str, family_name: str
) -> None:
    """From the next page on, the session's person acts for this person under the power ``reference``.

    The session gets a new id and CSRF token, as at a login: what the session may see has changed.
    """
    request.session.cycle_key()
    rotate_token(request)
    request.session[ACTING_KEY] = {
        "reference": reference,
        "personal_number": personal_number.value,
        "given_name": given_name,
        "family_name": family_name,
    }


def acting_end(request: HttpRequest) -> None:
    """The session's person acts for themself again."""
    if request.session.pop(ACTING_KEY, None) is not None:
        request.session.cycle_key()
        rotate_token(request)


def acting_of(request: HttpRequest) -> dict[str, Any] | None:
    """The session's ACTING_KEY (whom it acts for), if it acts for someone."""
    data = request.session.get(ACTING_KEY)
    return data if isinstance(data, dict) else None


# The signed document of the live power a delegate acts under (``Acting``), or None when it is not live any more:
# what a delegate signs for the person carries it (decision 0216). Registered by the app that owns powers.
PowerDocumentOf = Callable[[Acting], PowerDocument | None]
_power_documents: list[PowerDocumentOf] = []


def acting_power_document_register(find: PowerDocumentOf) -> None:
    """Make ``find`` the way to the signed document of a live power (the last registered counts)."""
    _power_documents.append(find)


def acting_power_document(acting: Acting) -> PowerDocument | None:
    """The signed document of the live power ``acting`` is under; None when it has ended or run out (or no app
    keeps powers: fail closed)."""
    return _power_documents[-1](acting) if _power_documents else None


def page_identity(request: HttpRequest) -> Identity | HttpResponse | None:
    """Whose pages a citizen page shows: the logged-in person's, or, while they act for someone, that
    person's identity carrying :class:`Acting` (so every access record names the delegate). A response
    instead when the acting guard refuses the page; None when nobody is logged in."""
    identity = current_identity(request)
    if identity is None:
        return None
    data = acting_of(request)
    if data is None:
        return identity
    if not _acting_guards:
        request.session.pop(ACTING_KEY, None)
        return identity
    checked = _acting_guards[-1](request, identity, data)
    if isinstance(checked, HttpResponse):
        return checked
    return Identity(
        method=identity.method,
        provider=identity.provider,
        level_of_assurance=identity.level_of_assurance,
        personal_number=PersonalNumber(data["personal_number"]),
        given_name=data["given_name"],
        family_name=data["family_name"],
        authenticated_at=identity.authenticated_at,
        transaction_id=identity.transaction_id,
        acting=checked,
    )


RETURN_KEY = "identity.return_to"


def login_return_remember(request: HttpRequest, path: str) -> None:
    """After the coming login, go to ``path`` (a path on this site) instead of the first page after login.

    For pages a citizen is sent to from outside that need a login first, such as a third party's request
    for consent (minasidor.sharing).
    """
    if path.startswith("/") and not path.startswith(("//", "/\\")):
        request.session[RETURN_KEY] = path


def login_destination(request: HttpRequest) -> str:
    """Where a completed login goes: the path remembered by :func:`login_return_remember` (once), or the
    first page after login."""
    path = request.session.pop(RETURN_KEY, None)
    if isinstance(path, str) and path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return resolve_url(settings.LOGIN_REDIRECT_URL)
