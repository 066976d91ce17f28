"""Requirement (issue 19): staff log in to the console through the authority's OpenID Connect provider (here
the development provider of the simulators, over real HTTP), then a second factor; only the customer-service
role gets in."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from kernel import clock, totp
from minasidor.console.services import agent_account_create
from minasidor.staff.models import StaffTotpDevice
from simulators.staff_idp.server import StaffIdpThread

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/kundservice/oidc/callback/"


@pytest.fixture(scope="module")
def idp() -> Iterator[StaffIdpThread]:
    with StaffIdpThread(redirect_uris=(CALLBACK,)) as thread:
        yield thread


@pytest.fixture
def oidc(idp: StaffIdpThread, settings: Settings) -> StaffIdpThread:
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = idp.issuer + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = idp.issuer + "/token"
    settings.OIDC_OP_USER_ENDPOINT = idp.issuer + "/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = idp.issuer + "/jwks"
    return idp


def _provider_login(client: Client, username: str, password: str) -> str:
    """Start at the console, log in at the provider, and return where the provider sends the browser."""
    start = client.get("/kundservice/oidc/start/")
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"], "PKCE"
    assert "nonce" in query
    page = httpx.get(authorize)
    assert page.status_code == 200
    answer = httpx.post(
        authorize.split("?")[0],
        data={"request": urlsplit(authorize).query, "username": username, "password": password},
    )
    assert answer.status_code in (302, 400)
    return str(answer.headers.get("location", ""))


def test_an_agent_logs_in_through_the_provider_and_a_second_factor(client: Client, oidc: StaffIdpThread) -> None:
    user, _device = agent_account_create(staff_number="K1001", name="Kim Kundberg")
    back = _provider_login(client, "kim", "kundservice-dev")
    assert back.startswith(CALLBACK)
    callback = client.get(back.removeprefix("http://testserver"))
    assert callback.status_code == 302
    assert callback["Location"] == "/kundservice/andra-steget/"
    assert client.get("/kundservice/")["Location"] == "/kundservice/andra-steget/", "nothing before the second factor"

    wrong = client.post("/kundservice/andra-steget/", {"otp": "000000"})
    assert wrong.status_code == 200
    code = totp.totp(totp.key_from(StaffTotpDevice.objects.get(user=user).secret), clock.now())
    done = client.post("/kundservice/andra-steget/", {"otp": code})
    assert done["Location"] == "/kundservice/"
    home = client.get("/kundservice/")
    assert home.status_code == 200
    assert "K1001" in home.content.decode()


def test_staff_without_the_role_do_not_get_in(client: Client, oidc: StaffIdpThread) -> None:
    back = _provider_login(client, "alex", "handlaggare-dev")
    response = client.get(back.removeprefix("http://testserver"))
    assert response["Location"].startswith("/kundservice/logga-in/?misslyckades")
    assert client.get("/kundservice/")["Location"] == "/kundservice/logga-in/"


def test_a_wrong_password_at_the_provider_gives_no_code(client: Client, oidc: StaffIdpThread) -> None:
    assert _provider_login(client, "kim", "wrong") == ""


def test_a_replayed_callback_does_not_log_in(client: Client, oidc: StaffIdpThread) -> None:
    agent_account_create(staff_number="K1001", name="Kim Kundberg")
    back = _provider_login(client, "kim", "kundservice-dev")
    client.get(back.removeprefix("http://testserver"))
    other = Client()
    response = other.get(back.removeprefix("http://testserver"))
    assert response["Location"].startswith("/kundservice/logga-in/")
    assert other.get("/kundservice/")["Location"] == "/kundservice/logga-in/"
