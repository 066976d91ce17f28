"""Requirement (issue 22.1, decision 0180; ASVS 4.1.3, 4.2.1): a delegate acting for someone reaches only the
pages the power of attorney opens. Every citizen page of the URLconf is tried while acting under a power with
every scope offered: a page no scope lists is refused before its view runs (a new page is closed to delegates
until someone opens it), and no form is taken by a page that does not list it."""

from __future__ import annotations

import pytest
from django.test import Client

from minasidor.delegation.guard import ALWAYS_OPEN, POSTS_OPEN, pages_open
from minasidor.delegation.tests.helpers import KARIN, SARA, grant, terms
from minasidor.delegation.types import OFFERED_SCOPES
from minasidor.identity.session import ACTING_KEY
from minasidor.identity.tests.factories import log_in, make_identity
from tests.security.urlconf import Route, routes

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

OPEN = pages_open(tuple(scope.value for scope in OFFERED_SCOPES))
CITIZEN_PAGES = [route for route in routes() if getattr(route.callback, "citizen_required", False)]
CLOSED = [route for route in CITIZEN_PAGES if route.name not in OPEN]


def _acting(client: Client) -> None:
    power = grant(make_identity(KARIN, given_name="Karin", family_name="Lindqvist"), terms(scopes=OFFERED_SCOPES))
    log_in(client, make_identity(SARA, given_name="Sara", family_name="Nilsson"))
    assert client.post("/mina-sidor/fullmakter/agera/", {"reference": str(power.reference)}).status_code == 302
    assert ACTING_KEY in client.session


def test_the_pages_opened_are_pages_that_exist() -> None:
    names = {route.name for route in CITIZEN_PAGES}
    assert set(OPEN) <= names, "a scope names a page that is gone"
    assert set(POSTS_OPEN) <= set(OPEN) | set(ALWAYS_OPEN)
    assert len(CLOSED) > 20, "most of My pages is closed to a delegate"


@pytest.mark.parametrize("route", CLOSED, ids=lambda route: route.name)
def test_a_page_no_scope_opens_is_refused_to_a_delegate(client: Client, route: Route) -> None:
    _acting(client)
    statuses = []
    for method in ("get", "post"):
        response = getattr(client, method)(route.url(), {"action": "withdraw"} if method == "post" else None)
        statuses.append(response.status_code)
        # 405: the view takes no such method at all (Django refuses before the login check).
        assert response.status_code in (403, 405), (method, route.name, response.status_code)
        if response.status_code == 403:
            assert "Fullmakten gäller inte den här sidan" in response.content.decode()
    assert 403 in statuses, "the method the page takes is refused by the acting guard"


@pytest.mark.parametrize(
    "route",
    [route for route in CITIZEN_PAGES if route.name in OPEN and route.name not in POSTS_OPEN],
    ids=lambda route: route.name,
)
def test_a_page_that_only_shows_takes_no_form_from_a_delegate(client: Client, route: Route) -> None:
    _acting(client)
    # 403 from the acting guard, or 405 where the view takes no form from anyone.
    assert client.post(route.url(), {}).status_code in (403, 405), route.name
