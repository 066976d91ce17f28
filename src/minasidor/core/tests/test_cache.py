"""Requirement: the portal's Redis cache keeps Django's keys, values and semantics, shares one connection
pool per process, and answers the async methods sessions and rate limits use without a thread."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, cast

import pytest
import redis
from asgiref import sync

from minasidor.core.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def prefix() -> Iterator[str]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    name = f"test-{uuid.uuid4().hex}"
    yield name
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"{name}:*"):
        connection.delete(key)


def _cache(prefix: str) -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


async def test_async_and_sync_read_each_others_values(prefix: str) -> None:
    cache = _cache(prefix)
    await cache.aset("session", {"order": [1, "two"]}, timeout=60)
    assert cache.get("session") == {"order": [1, "two"]}
    cache.set("counter", 7, timeout=60)
    assert await cache.aget("counter") == 7
    assert await cache.aget("missing", "default") == "default"


async def test_add_only_when_absent_and_incr_only_when_present(prefix: str) -> None:
    cache = _cache(prefix)
    assert await cache.aadd("window", 0, timeout=60) is True
    assert await cache.aadd("window", 5, timeout=60) is False
    assert await cache.aincr("window") == 1
    assert cache.incr("window") == 2
    with pytest.raises(ValueError, match="not found"):
        await cache.aincr("absent")
    assert await cache.ahas_key("window") is True
    assert await cache.adelete("window") is True
    assert await cache.ahas_key("window") is False


async def test_timeouts_follow_django(prefix: str) -> None:
    cache = _cache(prefix)
    await cache.aset("gone", "x", timeout=0)
    assert await cache.aget("gone") is None
    await cache.aset("kept", "x", timeout=None)
    connection = redis.Redis.from_url(REDIS_URL)
    assert connection.ttl(cache.make_key("kept")) == -1
    assert await cache.atouch("kept", timeout=30) is True
    assert 0 < int(connection.ttl(cache.make_key("kept"))) <= 30  # type: ignore[arg-type]


async def test_async_methods_need_no_thread(prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hops: list[Any] = []
    original = sync.SyncToAsync.__call__

    async def counting(inner: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(inner)
        return await original(inner, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counting)
    cache = _cache(prefix)
    await cache.aadd("a", 0, timeout=60)
    await cache.aincr("a")
    await cache.aset("b", {"x": 1}, timeout=60)
    await cache.aget("b")
    await cache.ahas_key("b")
    await cache.adelete("b")
    assert hops == []


def test_every_cache_object_of_the_process_shares_one_connection_pool(prefix: str) -> None:
    first, second = _cache(prefix), _cache(prefix)
    pools = [cast(Any, cache)._cache.get_client(write=True).connection_pool for cache in (first, second)]
    assert pools[0] is pools[1]


async def test_a_window_counter_counts_in_one_call_and_expires(prefix: str) -> None:
    cache = _cache(prefix)
    assert [await cache.acount("window", 120) for _ in range(3)] == [1, 2, 3]
    assert cache.get("window") == 3  # the same value Django's add and incr keep
    ttl = int(redis.Redis.from_url(REDIS_URL).ttl(cache.make_key("window")))  # type: ignore[arg-type]
    assert 0 < ttl <= 120
