"""Requirement (issue 12.4): security state lives in a store that does not cull it, and expires on time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel import clock
from minasidor.security import counters
from minasidor.security.models import SecurityEntry
from minasidor.security.store import DatabaseStore, security_cache
from minasidor.security.tasks import security_expired_delete

pytestmark = pytest.mark.django_db


def test_the_embedded_default_keeps_security_state_in_the_database_not_in_the_evicting_cache() -> None:
    assert isinstance(security_cache(), DatabaseStore)
    security_cache().set("saml:request:one", {"kind": "eidas"}, timeout=300)
    assert SecurityEntry.objects.filter(key__contains="saml:request:one").exists()
    assert cache.get("saml:request:one") is None


def test_counts_are_per_fixed_window_and_entries_expire(frozen_clock: clock.FrozenClock) -> None:
    window = 600
    into_window = int(frozen_clock().timestamp()) % window
    frozen_clock.advance(dt.timedelta(seconds=window - into_window))  # the start of a window
    for expected in (1, 2, 3):
        assert counters.count(scope="test", subject="ip:192.0.2.1", window_seconds=window) == expected
    assert counters.count(scope="test", subject="ip:192.0.2.2", window_seconds=window) == 1
    frozen_clock.advance(dt.timedelta(seconds=window))
    assert counters.count(scope="test", subject="ip:192.0.2.1", window_seconds=window) == 1, "a new window"
    security_cache().set("short", [1], timeout=5)
    security_cache().set("long", [2], timeout=3 * window)
    assert security_cache().get("short") == [1]
    frozen_clock.advance(dt.timedelta(seconds=window + 1))
    assert security_cache().get("short") is None
    assert SecurityEntry.objects.count() == 5
    assert security_expired_delete.call() == 4, "the periodic job deletes what has expired"
    assert security_cache().get("long") == [2]


def test_add_and_delete_are_one_time_and_long_keys_fit(frozen_clock: clock.FrozenClock) -> None:
    store = security_cache()
    assert store.add("replay:x", 1, timeout=60)
    assert not store.add("replay:x", 1, timeout=60), "an assertion id is accepted once"
    assert store.delete("replay:x")
    assert not store.delete("replay:x"), "a one-time entry is taken once"
    long_key = "saml:request:" + "x" * 600  # an identity provider's InResponseTo, as long as it likes
    store.set(long_key, {"a": 1}, timeout=60)
    assert store.get(long_key) == {"a": 1}
    assert all(len(key) <= 250 for key in SecurityEntry.objects.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("raw", "subject"),
    [
        ("192.0.2.7", "ip:192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "net:2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "net:2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "ip:192.0.2.7"),
        ("", "ip:"),
    ],
)
def test_an_ipv6_client_counts_by_its_network_which_it_cannot_change_freely(raw: str, subject: str) -> None:
    assert counters.address_of(raw) == subject


def test_a_count_is_one_statement_and_an_expired_counter_starts_again(frozen_clock: clock.FrozenClock) -> None:
    store = security_cache()
    with CaptureQueriesContext(connection) as queries:
        assert store.count("limit:x", 60) == 1
        assert store.count("limit:x", 60) == 2
    assert len(queries) == 2, "one upsert a count: a limit costs a page one query"
    frozen_clock.advance(dt.timedelta(seconds=61))
    assert store.count("limit:x", 60) == 1, "the expired counter starts again at one"
    assert store.count("limit:x", 60) == 2
    store.set("limit:y", {"a": 1}, timeout=60)
    assert store.count("limit:y", 60) == 1, "a value under the key is not a count"
