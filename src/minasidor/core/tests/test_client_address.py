"""Requirement: behind the deployment's reverse proxies the client's address is read from X-Forwarded-For,
believing exactly the configured number of proxies: an address the client wrote itself is never taken."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from minasidor.core.client_address import client_address
from simulators.bankid.server import SimulatorThread

PEER = "10.0.0.5"


@pytest.mark.parametrize(
    ("forwarded", "hops", "expected"),
    [
        ("198.51.100.7", 0, PEER),  # no proxy of ours: the header is ignored
        ("198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.66, 198.51.100.7", 1, "198.51.100.7"),  # the client's own entry is left of ours
        ("203.0.113.66, 198.51.100.7, 10.0.0.9", 2, "198.51.100.7"),
        ("", 1, PEER),
        ("198.51.100.7", 2, PEER),  # fewer entries than proxies: not through all of them
        ("not-an-address", 1, PEER),
        ("198.51.100.7, 2001:db8::1", 1, "2001:db8::1"),
        ("198.51.100.7,, ", 1, "198.51.100.7"),
    ],
)
def test_the_client_is_the_address_our_farthest_proxy_saw(forwarded: str, hops: int, expected: str) -> None:
    meta = {"REMOTE_ADDR": PEER, "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta, trusted_hops=hops) == expected


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_changes_nothing(bankid: SimulatorThread, settings: Settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 0
    client = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR="203.0.113.66")
    client.post("/logga-in/", {"method": "bankid-other-device"})
    assert client.session["bankid_order"]["start_ip"] == PEER
    assert bankid.sim.book.orders()[-1].request.end_user_ip == PEER


@pytest.mark.django_db
def test_behind_one_proxy_bankid_gets_the_address_the_proxy_saw_not_the_forged_one(
    bankid: SimulatorThread, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    # The client sent "X-Forwarded-For: 203.0.113.66"; our proxy appended the address it saw.
    client = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    client.post("/logga-in/", {"method": "bankid-other-device"})
    assert client.session["bankid_order"]["start_ip"] == "198.51.100.7"
    assert bankid.sim.book.orders()[-1].request.end_user_ip == "198.51.100.7"


@pytest.mark.django_db
def test_rate_limits_count_the_client_not_the_proxy(settings: Settings) -> None:
    cache.clear()
    settings.TRUSTED_PROXY_HOPS = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "identity:login": 2}
    first = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert [first.get("/logga-in/").status_code for _ in range(3)] == [200, 200, 429]
    other = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.get("/logga-in/").status_code == 200
