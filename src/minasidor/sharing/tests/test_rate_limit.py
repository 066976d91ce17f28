"""Requirement (issue 22.2, done-when of 22): the read API limits each registered client to a number of reads a
minute over all citizens; past it the client gets 429 with Retry-After saying when its window ends, and one
client's flood never limits another client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from kernel.clock import FrozenClock
from minasidor.security.store import security_cache
from minasidor.sharing.tests.support import ThirdParty, application_register, tokens_obtained

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings: Settings) -> None:
    settings.SHARING_API_READS_PER_MINUTE = LIMIT
    security_cache().clear()


def test_a_client_past_its_reads_a_minute_gets_429_until_its_window_ends(
    citizen_client: Client, party: ThirdParty, frozen_clock: FrozenClock
) -> None:
    api = Client()
    tokens = tokens_obtained(citizen_client, api, party)
    frozen_clock.advance(dt.timedelta(seconds=20))  # 12:00:20, the window ends at 12:01:00
    statuses = [party.read(api, "statement", tokens["access_token"])[0] for _ in range(LIMIT)]
    assert statuses == [200] * LIMIT
    response_status, body = party.read(api, "statement", tokens["access_token"])
    assert response_status == 429
    assert body["error"] == "too_many_requests"
    response = api.get(
        "/api/dela/v1/statement/",
        headers={
            "Authorization": f"DPoP {tokens['access_token']}",
            "DPoP": party.proof("GET", "/api/dela/v1/statement/", access_token=tokens["access_token"]),
        },
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    frozen_clock.advance(dt.timedelta(seconds=40))
    assert party.read(api, "statement", tokens["access_token"])[0] == 200


def test_one_clients_flood_does_not_limit_another(citizen_client: Client, frozen_clock: FrozenClock) -> None:
    application_register("demo-radgivaren")
    application_register("annan-bank", name="Annan Bank AB")
    flooder, other = ThirdParty("demo-radgivaren"), ThirdParty("annan-bank")
    api = Client()
    flood_tokens = tokens_obtained(citizen_client, api, flooder)
    other_tokens = tokens_obtained(citizen_client, api, other)
    statuses = [flooder.read(api, "statement", flood_tokens["access_token"])[0] for _ in range(LIMIT + 2)]
    assert statuses == [200] * LIMIT + [429, 429]
    assert [other.read(api, "statement", other_tokens["access_token"])[0] for _ in range(LIMIT)] == [200] * LIMIT


def test_refused_requests_do_not_use_up_a_clients_reads(citizen_client: Client, frozen_clock: FrozenClock) -> None:
    """A stranger replaying a client's token without its key cannot spend the client's allowance."""
    application_register("demo-radgivaren")
    party, stranger = ThirdParty("demo-radgivaren"), ThirdParty("demo-radgivaren")
    api = Client()
    tokens = tokens_obtained(citizen_client, api, party)
    assert [stranger.read(api, "statement", tokens["access_token"])[0] for _ in range(LIMIT + 2)] == [401] * (LIMIT + 2)
    assert party.read(api, "statement", tokens["access_token"])[0] == 200
