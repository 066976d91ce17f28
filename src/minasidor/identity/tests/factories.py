"""Test helpers: identities of test persons, and a login without a login method (tests only)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from kernel.personal_number import PersonalNumber
from minasidor.identity.session import identity_login
from minasidor.identity.types import LOA3, ForeignIdentity, Identity, Method


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


def make_foreign_identity(**overrides: object) -> Identity:
    """A foreign-eID (eIDAS) identity without a Swedish number, for tests: an Austrian test person."""
    values: dict[str, object] = {
        "method": Method.EIDAS,
        "provider": "http://eidas-connector.test",
        "level_of_assurance": "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        "personal_number": None,
        "foreign": ForeignIdentity(
            country="AT",
            prid="AT:50bwytdle2mzexopcolmdhmhznihms",
            prid_persistence="A",
            eidas_person_identifier="AT/SE/x",
        ),
        "given_name": "Anna",
        "family_name": "Gruber",
        "authenticated_at": dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
        "transaction_id": "_t",
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
