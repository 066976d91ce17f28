"""Test helpers: identities of test persons, and a login without a login method (tests only)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from kernel.personal_number import PersonalNumber
from minasidor.identity.session import identity_login
from minasidor.identity.types import LOA3, Identity, Method


def make_identity(personal_number: str = "191212121212", **overrides: object) -> Identity:
    """A BankID identity for tests (test personal numbers only)."""
    values: dict[str, object] = {
        "method": Method.BANKID,
        "provider": "bankid-simulator",
        "level_of_assurance": LOA3,
        "personal_number": PersonalNumber(personal_number),
        "given_name": "TOLVAN",
        "family_name": "TOLVANSSON",
        "birth_date": PersonalNumber(personal_number).birth_date,
        "authenticated_at": dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
        "transaction_id": "test-order-1",
    }
    values.update(overrides)
    return Identity(**values)  # type: ignore[arg-type]


def log_in(client: Client, identity: Identity) -> None:
    """Log ``identity`` in to ``client``'s session the way a login method does, without a login method."""
    request = RequestFactory().get("/")
    SessionMiddleware(lambda _: HttpResponse()).process_request(request)
    identity_login(request, identity)
    request.session.save()
    assert request.session.session_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
