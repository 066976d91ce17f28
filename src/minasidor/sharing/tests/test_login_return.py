"""Requirement (issue 22.2): a citizen sent to the consent page before logging in comes back to it after the
login, and the remembered place is only ever a path on this site (never another site's address)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from minasidor.identity.session import login_destination, login_return_remember


def _request() -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


@pytest.mark.django_db
def test_the_remembered_path_is_used_once() -> None:
    request = _request()
    login_return_remember(request, "/mina-sidor/dela/godkann/?client_id=x")
    assert login_destination(request) == "/mina-sidor/dela/godkann/?client_id=x"
    assert login_destination(request) == "/mina-sidor/"


@pytest.mark.django_db
@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "evil"])
def test_another_sites_address_is_never_remembered(evil: str) -> None:
    request = _request()
    login_return_remember(request, evil)
    request.session["identity.return_to"] = request.session.get("identity.return_to", evil)
    assert login_destination(request) == "/mina-sidor/"
