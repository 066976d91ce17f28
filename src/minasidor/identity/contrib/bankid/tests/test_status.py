"""Requirement: the status endpoint the login page polls, through the async middleware chain (as under
uvicorn): a poll between collects writes nothing and, with Redis, crosses into no thread for our code; a
passing BankID failure answers 503 with Retry-After and keeps the order; a lasting one ends it; past the
rate limit the answer is 429 with Retry-After."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from asgiref import sync
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.test import AsyncClient
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.identity.contrib.bankid import connection
from simulators.bankid.faults import Fault
from simulators.bankid.server import SimulatorThread

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_access_log"),  # PostgreSQL refuses to truncate the access log otherwise
]

STATUS = "/logga-in/bankid/status/"
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def cache_sessions(settings: Settings) -> None:
    """Sessions in the cache (the production set-up with Redis): the poll needs no database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


@pytest.fixture
def redis_cache(settings: Settings, cache_sessions: None) -> Iterator[None]:
    """Sessions and counters in Redis through the portal's cache backend; skipped without a Redis server."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
        "security": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
    }
    yield
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"{prefix}:*"):
        connection.delete(key)


class Hops:
    """Counts the calls from the event loop into a thread (asgiref's ``sync_to_async``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = sync.SyncToAsync.__call__

        async def counting(inner: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(inner, *args, **kwargs)

        monkeypatch.setattr(sync.SyncToAsync, "__call__", counting)


async def _start(client: AsyncClient) -> None:
    response = await client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 302


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    writes: list[str] = []
    original_save, original_asave = CacheSessionStore.save, CacheSessionStore.asave

    def save(store: CacheSessionStore, must_create: bool = False) -> None:
        writes.append("save")
        original_save(store, must_create)

    async def asave(store: CacheSessionStore, must_create: bool = False) -> None:
        writes.append("asave")
        await original_asave(store, must_create)

    monkeypatch.setattr(CacheSessionStore, "save", save)
    monkeypatch.setattr(CacheSessionStore, "asave", asave)
    return writes


async def test_a_poll_between_collects_writes_nothing_and_a_collect_writes_once(
    bankid: SimulatorThread, cache_sessions: None, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = AsyncClient()
    await _start(client)
    first = await client.get(STATUS)
    assert first.json()["state"] == "pending"
    writes = _count_writes(monkeypatch)
    between = await client.get(STATUS)
    assert between.status_code == 200
    assert between.json()["qr"] is True
    assert writes == []
    frozen_clock.advance(dt.timedelta(seconds=2))
    collected = await client.get(STATUS)
    assert collected.status_code == 200
    assert writes == ["asave"]


async def test_with_redis_a_poll_between_collects_crosses_into_no_thread_for_our_code(
    bankid: SimulatorThread, redis_cache: None, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = AsyncClient()
    await _start(client)
    await client.get(STATUS)
    hops = Hops(monkeypatch)
    response = await client.get(STATUS)
    assert response.status_code == 200
    assert response.json()["state"] == "pending"
    # Only Django's own request signals remain (request_started, request_finished); before, 21.
    assert hops.count <= 2


async def test_bankid_out_of_reach_answers_503_with_retry_after_and_keeps_the_order(
    bankid: SimulatorThread, cache_sessions: None, settings: Settings
) -> None:
    client = AsyncClient()
    await _start(client)
    order = await client.session.aget("bankid_order")
    assert order is not None
    settings.BANKID_BASE_URL = "https://127.0.0.1:9/rp/v6.0/"
    connection.reset()
    response = await client.get(STATUS)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["state"] == "pending"
    assert body["next"] is None
    kept = await client.session.aget("bankid_order")
    assert kept is not None
    assert kept["order_ref"] == order["order_ref"]
    settings.BANKID_BASE_URL = bankid.rp_base_url
    connection.reset()
    again = await client.get(STATUS)
    assert again.status_code == 200
    assert again.json()["state"] == "pending"


async def test_bankid_in_maintenance_defers_the_collect(bankid: SimulatorThread, cache_sessions: None) -> None:
    client = AsyncClient()
    await _start(client)
    bankid.sim.faults.add(Fault(endpoint="collect", status=503), count=3)  # outlasts the client's two retries
    response = await client.get(STATUS)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert (await client.get(STATUS)).status_code == 200


async def test_an_internal_error_at_bankid_ends_the_order(bankid: SimulatorThread, cache_sessions: None) -> None:
    client = AsyncClient()
    await _start(client)
    bankid.sim.faults.add(Fault(endpoint="collect", status=500))
    response = await client.get(STATUS)
    assert response.status_code == 200
    assert response.json()["state"] == "failed"
    assert await client.session.aget("bankid_order") is None


async def test_past_the_rate_limit_the_poll_gets_429_with_retry_after(
    bankid: SimulatorThread, cache_sessions: None, settings: Settings
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bankid:status": 2}
    client = AsyncClient()
    await _start(client)
    assert [(await client.get(STATUS)).status_code for _ in range(2)] == [200, 200]
    limited = await client.get(STATUS)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "för många förfrågningar" in limited.json()["message"]
