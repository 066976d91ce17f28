"""The browsers a citizen has logged in from, whatever the login method, and telling them of a new one.

A browser is known by a random id in a long-lived cookie (``settings.DEVICE_COOKIE_NAME``); the security store
keeps, per person (by pseudonym), digests of the ids of the browsers they logged in from, never a personal number.
A login from a browser the person has not used before — BankID or a SAML e-ID alike — is written in their
access log and sent as ``identity.session.citizen_logged_in_from_new_device``, whose receiver tells the
person by notice (issue 12.8, the QR relay of docs/security.md; decision 0235).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.session import citizen_logged_in_from_new_device
from minasidor.identity.types import Identity
from minasidor.security import counters
from minasidor.security.store import security_cache

logger = structlog.get_logger(__name__)

DEVICE_COOKIE_AGE = 399 * 24 * 60 * 60
# The browsers a person has logged in from are remembered this long, at most DEVICES_KEPT of them.
DEVICES_WINDOW_SECONDS = 400 * 24 * 60 * 60
DEVICES_KEPT = 20
_DEVICES_KEY = "bankid:devices:"  # the store's key from when only BankID logins kept it: kept, so none is lost


def device_id_of(request: HttpRequest) -> str:
    """The browser's id from its cookie, or a new one (set it with :func:`device_remember`)."""
    cookie = request.COOKIES.get(settings.DEVICE_COOKIE_NAME, "")
    return cookie if 16 <= len(cookie) <= 64 and cookie.isalnum() else secrets.token_hex(16)


def device_remember(response: HttpResponse, device_id: str) -> HttpResponse:
    """Give the browser its id (again) for a little over a year."""
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        device_id,
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite="Lax",
    )
    return response


def device_is_new(*, device_id: str, subject_pseudonym: str) -> bool:
    """Remember that this person logged in from this browser; whether they had logged in before, but never
    from it (the first login of all is not "new": there is nothing to compare with). A login relayed from
    someone else's browser (the QR relay of docs/security.md) shows up as one from a new device."""
    store = security_cache()
    key = f"{_DEVICES_KEY}{counters.digest(subject_pseudonym)}"
    device = counters.digest(device_id)
    devices: list[str] = store.get(key, [])
    if device in devices:
        return False
    store.set(key, [*devices, device][-DEVICES_KEPT:], timeout=DEVICES_WINDOW_SECONDS)
    return bool(devices)


def new_device_login_tell(*, identity: Identity, device_id: str, login: str, action: Action, sender: Any) -> bool:
    """After ``identity`` logged in from the browser ``device_id``: when the browser is new to them, write
    ``action`` in their access log and send the signal that tells them by notice. ``login`` names the login
    (hashed here, so the same login told twice gives one notice). Whether the browser was new."""
    if not device_is_new(device_id=device_id, subject_pseudonym=identity.pseudonym):
        return False
    access_record_create(
        principal=identity.principal, subject_key=identity.subject_key, action=action, purpose=Purpose.SELF_SERVICE
    )
    logger.info("login.new_device", method=str(identity.method))
    key = hashlib.sha256(login.encode()).hexdigest()[:64]
    citizen_logged_in_from_new_device.send(sender=sender, identity=identity, login=key)
    return True
