"""Requirement (issue 22.2, RFC 9449 sections 8 and 9, decision 0220): the token endpoint and the read API ask
for the portal's DPoP nonce: a proof without it, with an expired one or with one the portal never made is
refused with ``use_dpop_nonce`` and a ``DPoP-Nonce`` header to retry with; every answer names the current
nonce; a nonce lives between one and two periods of NONCE_PERIOD."""

from __future__ import annotations

import pytest
from django.test import Client

from kernel.clock import FrozenClock
from minasidor.sharing.nonces import NONCE_PERIOD, nonce_current, nonce_valid
from minasidor.sharing.tests.support import (
    API,
    TOKEN,
    ThirdParty,
    consent_given,
    tokens_obtained,
)

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

STATEMENT = f"{API}statement/"


def test_a_nonce_lives_its_period_and_the_next_and_cannot_be_forged(frozen_clock: FrozenClock) -> None:
    nonce = nonce_current()
    assert nonce_valid(nonce)
    frozen_clock.advance(NONCE_PERIOD)
    assert nonce_valid(nonce), "still good in the next period"
    assert nonce_current() != nonce
    frozen_clock.advance(NONCE_PERIOD)
    assert not nonce_valid(nonce), "expired after two periods"
    period, _, mac = nonce_current().partition(".")
    assert not nonce_valid(f"{period}.{'0' * len(mac)}")
    assert not nonce_valid(f"{int(period, 16) + 1:x}.{mac}")
    for garbage in ("", ".", "zz.00", "x" * 300, nonce_current() + "0"):
        assert not nonce_valid(garbage)


def test_the_token_endpoint_asks_for_its_nonce_and_takes_the_retry(
    citizen_client: Client, party: ThirdParty, frozen_clock: FrozenClock
) -> None:
    api = Client()
    code = consent_given(citizen_client, party)
    exchange = party.code_grant(code)
    first = api.post(TOKEN, exchange, headers={"DPoP": party.proof("POST", TOKEN, nonce=None)})
    assert first.status_code == 400
    assert first.json()["error"] == "use_dpop_nonce"
    assert first["Cache-Control"] == "no-store"
    nonce = first["DPoP-Nonce"]
    forged = api.post(TOKEN, exchange, headers={"DPoP": party.proof("POST", TOKEN, nonce=nonce[:-1] + "x")})
    assert forged.json()["error"] == "use_dpop_nonce"
    retry = api.post(TOKEN, exchange, headers={"DPoP": party.proof("POST", TOKEN, nonce=nonce)})
    assert retry.status_code == 200, retry.content
    assert retry.json()["token_type"] == "DPoP"
    assert retry["DPoP-Nonce"] == nonce, "every answer names the current nonce"


def test_the_api_asks_for_its_nonce_and_refuses_an_expired_one(
    citizen_client: Client, party: ThirdParty, frozen_clock: FrozenClock
) -> None:
    api = Client()
    access = tokens_obtained(citizen_client, api, party)["access_token"]
    authorization = {"Authorization": f"DPoP {access}"}
    refused = api.get(
        STATEMENT, headers={**authorization, "DPoP": party.proof("GET", STATEMENT, access_token=access, nonce=None)}
    )
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith('DPoP error="use_dpop_nonce"')
    nonce = refused["DPoP-Nonce"]
    good = api.get(
        STATEMENT, headers={**authorization, "DPoP": party.proof("GET", STATEMENT, access_token=access, nonce=nonce)}
    )
    assert good.status_code == 200
    assert good["DPoP-Nonce"] == nonce
    frozen_clock.advance(2 * NONCE_PERIOD)  # the token (5 minutes) still lives; the nonce does not
    stale = api.get(
        STATEMENT, headers={**authorization, "DPoP": party.proof("GET", STATEMENT, access_token=access, nonce=nonce)}
    )
    assert stale.status_code == 401
    assert 'error="use_dpop_nonce"' in stale["WWW-Authenticate"]
    assert stale["DPoP-Nonce"] != nonce
    fresh = api.get(
        STATEMENT,
        headers={
            **authorization,
            "DPoP": party.proof("GET", STATEMENT, access_token=access, nonce=stale["DPoP-Nonce"]),
        },
    )
    assert fresh.status_code == 200
