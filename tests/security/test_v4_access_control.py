"""Requirement: ASVS 4.0.3 V4 — no person reaches another's objects by changing an id (4.2.1), every state
change needs the CSRF token (4.2.2), and no `next`/`returnUrl` parameter sends anyone to another site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme

from minasidor.identity.tests.factories import log_in, make_identity
from tests.security.object_urls import CROSS_SITE_POST_URLS, NOT_OBJECT_URLS, OBJECT_URLS
from tests.security.urlconf import Route, routes

pytestmark = pytest.mark.django_db(databases="__all__")

ALL_ROUTES = routes()
OWNER = "191212121212"
OTHER = "199001019802"
EVIL = ("https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", " https://evil.example")


def test_the_urlconf_is_walked() -> None:
    names = {route.name for route in ALL_ROUTES}
    assert {"identity:logout", "pensions:home", "bankid:status", "identity:session-extend"} <= names


def test_asvs_4_2_1_every_url_with_a_parameter_is_classified() -> None:
    unclassified = [
        route.name
        for route in ALL_ROUTES
        if route.parameters and route.name not in OBJECT_URLS and route.name not in NOT_OBJECT_URLS
    ]
    assert unclassified == [], "add these to tests/security/object_urls.py (OBJECT_URLS or NOT_OBJECT_URLS)"
    assert set(OBJECT_URLS) | set(NOT_OBJECT_URLS) <= {route.name for route in ALL_ROUTES}, "stale registry entry"


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_asvs_4_2_1_another_persons_object_id_gives_404(name: str, client: Client) -> None:
    route = next(route for route in ALL_ROUTES if route.name == name)
    owner, other = make_identity(OWNER), make_identity(OTHER, given_name="ANNA", family_name="TEST")
    kwargs = OBJECT_URLS[name](owner)
    url = route.url(**kwargs)
    log_in(client, owner)
    assert client.get(url).status_code == 200, "the owner sees their own object"
    intruder = Client()
    log_in(intruder, other)
    assert intruder.get(url).status_code == 404, "another person's id must look like no object at all"
    assert Client().get(url).status_code in (302, 404), "nobody logged in gets nothing"


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda route: route.name)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_asvs_4_2_2_every_state_change_needs_the_csrf_token(route: Route, method: str) -> None:
    if route.name in CROSS_SITE_POST_URLS:
        pytest.skip(CROSS_SITE_POST_URLS[route.name])
    assert not getattr(route.callback, "csrf_exempt", False), f"{route.name} must not be csrf_exempt"
    client = Client(enforce_csrf_checks=True)
    log_in(client, make_identity())
    client.get("/")  # a CSRF cookie, as a browser would have, but no token in the request
    response = getattr(client, method)(route.url(), {"method": "foreign-eid", "flow": "other_device"})
    assert response.status_code == 403, (
        f"{method.upper()} {route.url()} answered {response.status_code} without a token"
    )


def test_asvs_4_2_2_the_token_lets_the_citizen_log_out() -> None:
    client = Client(enforce_csrf_checks=True)
    log_in(client, make_identity())
    page = client.get("/mina-sidor/")
    token = page.context["csrf_token"]
    assert client.post("/logga-ut/", {"csrfmiddlewaretoken": str(token)})["Location"] == "/utloggad/"


def _stays_here(response: object) -> bool:
    """No redirect, or one to this site or (the console's login) to the configured staff identity provider."""
    location = getattr(response, "headers", {}).get("Location")
    staff_idp = urlsplit(settings.OIDC_OP_AUTHORIZATION_ENDPOINT).netloc
    if location is not None and any(evil in location for evil in EVIL):
        return False
    return location is None or url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver", staff_idp})


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda route: route.name)
def test_asvs_5_1_5_no_open_redirect_through_next_or_return_url(route: Route) -> None:
    client = Client()
    log_in(client, make_identity())
    for target in EVIL:
        for parameter in ("next", "returnUrl", "return_url", "redirect", "url"):
            query = {parameter: target}
            assert _stays_here(client.get(route.url(), query)), f"GET {route.name} ?{parameter}={target}"
            assert _stays_here(client.post(route.url(), query)), f"POST {route.name} {parameter}={target}"


def test_asvs_5_1_5_staying_logged_in_returns_only_to_this_site() -> None:
    client = Client()
    log_in(client, make_identity())
    assert client.post("/sessionen/forlang/", {"next": "/mina-sidor/vem-har-sett-mina-uppgifter/"})["Location"] == (
        "/mina-sidor/vem-har-sett-mina-uppgifter/"
    )
    for target in EVIL:
        assert client.post("/sessionen/forlang/", {"next": target})["Location"] == "/mina-sidor/"
