"""Django's Redis cache, with one connection pool per process and asynchronous methods that need no thread.

Django's own Redis backend makes a connection pool per cache object, and under ASGI every request gets a
fresh cache object in a fresh thread: each request opened a new connection to Redis. Its asynchronous
methods run the synchronous ones in Django's thread. This backend keeps the same keys, values and
semantics (the same serializer; the two can read each other's entries) but

- shares one synchronous connection pool per process and server, and
- answers ``aget``, ``aset``, ``aadd``, ``adelete``, ``ahas_key``, ``atouch`` and ``aincr`` with
  ``redis.asyncio`` on the running event loop (one pool per loop), so async code such as the BankID status
  endpoint reads its session and counts its rate limit without crossing into a thread, and
- offers ``count`` and ``acount``: a window counter in one atomic round trip (what ``add`` then ``incr``
  do in two, with a race between them); the security store's counters (``minasidor.security.store``).

See docs/decisions/0071-redis-cache-with-async-methods.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import weakref
from typing import Any, cast

import redis
import redis.asyncio as aioredis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import NoScriptError

# Add ``delta`` to a counter only if it exists (Django's incr semantics), in one round trip.
_INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"
# Count one more in a window counter that expires ARGV[1] seconds after its first count, in one round trip.
_COUNT = "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end return n"

# The same count (KEYS[1]), and the value of KEYS[2], in one command.
_GET_AND_COUNT = _COUNT.replace(" return n", " return {n, redis.call('get', KEYS[2])}")
_GET_AND_COUNT_SHA = hashlib.sha1(_GET_AND_COUNT.encode(), usedforsecurity=False).hexdigest()

_sync_pools: dict[tuple[str, str], redis.ConnectionPool] = {}
_sync_lock = threading.Lock()


class SharedPoolClient(RedisCacheClient):
    """Django's Redis client whose connection pools are shared by every cache object of the process."""

    def _get_connection_pool(self, write: bool) -> redis.ConnectionPool:
        django_client = cast(Any, self)  # Django's attributes, not in the type stubs
        server = django_client._servers[django_client._get_connection_pool_index(write)]
        options = django_client._pool_options
        key = (server, repr(sorted(options.items(), key=lambda item: item[0])))
        with _sync_lock:
            pool = _sync_pools.get(key)
            if pool is None:
                pool = _sync_pools[key] = django_client._pool_class.from_url(server, **options)
        return cast(redis.ConnectionPool, pool)


class _LoopPools:
    """One ``redis.asyncio`` client per event loop and server (asyncio connections belong to one loop)."""

    def __init__(self) -> None:
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aioredis.Redis]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def client(self, server: str) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        with self._lock:
            clients = self._clients.setdefault(loop, {})
            found = clients.get(server)
            if found is None:
                found = clients[server] = aioredis.Redis.from_url(server)
        return found


_loop_pools = _LoopPools()


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with shared pools and thread-free async methods."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedPoolClient

    def _async_client(self) -> aioredis.Redis:
        """Reads and writes go to the first server (Django's sync client reads from replicas, if any)."""
        return _loop_pools.client(cast(Any, self)._servers[0])

    def _dumps(self, value: Any) -> Any:
        return cast(Any, self)._cache._serializer.dumps(value)

    def _loads(self, data: Any) -> Any:
        return cast(Any, self)._cache._serializer.loads(data)

    def _seconds(self, timeout: Any) -> int | None:
        seconds = self.get_backend_timeout(timeout)
        return None if seconds is None else int(seconds)

    async def aget(self, key: str, default: Any = None, version: int | None = None) -> Any:
        data = await self._async_client().get(self.make_and_validate_key(key, version=version))
        return default if data is None else self._loads(data)

    async def aset(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        full_key = self.make_and_validate_key(key, version=version)
        seconds = self._seconds(timeout)
        client = self._async_client()
        if seconds == 0:
            await client.delete(full_key)
        else:
            await client.set(full_key, self._dumps(value), ex=seconds)

    async def aadd(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full_key = self.make_and_validate_key(key, version=version)
        seconds = self._seconds(timeout)
        client = self._async_client()
        if seconds == 0:
            added = bool(await client.set(full_key, self._dumps(value), nx=True))
            if added:
                await client.delete(full_key)
            return added
        return bool(await client.set(full_key, self._dumps(value), ex=seconds, nx=True))

    async def adelete(self, key: str, version: int | None = None) -> bool:
        return bool(await self._async_client().delete(self.make_and_validate_key(key, version=version)))

    async def ahas_key(self, key: str, version: int | None = None) -> bool:
        return bool(await self._async_client().exists(self.make_and_validate_key(key, version=version)))

    async def atouch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full_key = self.make_and_validate_key(key, version=version)
        seconds = self._seconds(timeout)
        client = self._async_client()
        if seconds is None:
            return bool(await client.persist(full_key))
        return bool(await client.expire(full_key, seconds))

    async def aincr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        full_key = self.make_and_validate_key(key, version=version)
        value = await self._async_client().eval(_INCR_EXISTING, 1, full_key, delta)  # type: ignore[misc]
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to a counter that starts at one and expires ``timeout`` seconds after its first count."""
        full_key = self.make_and_validate_key(key, version=version)
        client = cast(Any, self)._cache.get_client(full_key, write=True)
        return int(client.eval(_COUNT, 1, full_key, timeout))

    async def acount(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to a counter that starts at one and expires ``timeout`` seconds after its first count."""
        full_key = self.make_and_validate_key(key, version=version)
        return int(await self._async_client().eval(_COUNT, 1, full_key, timeout))  # type: ignore[misc]

    def shares_server_with(self, other: object) -> bool:
        """Whether ``other`` is a cache of this kind on the same Redis server (one pipeline reaches both)."""
        return isinstance(other, RedisCache) and cast(Any, other)._servers[0] == cast(Any, self)._servers[0]

    async def aget_and_count(self, key: str, *, counter: RedisCache, counter_key: str, timeout: int) -> tuple[Any, int]:
        """``self.aget(key)`` and ``counter.acount(counter_key, timeout)`` in one round trip (one script).

        ``counter`` must be on this cache's server (:meth:`shares_server_with`). For the status poll, which
        reads its session and counts its rate limit on every request (decision 0205).
        """
        if not self.shares_server_with(counter):
            raise ValueError("the counter is on another Redis server")
        client: Any = self._async_client()
        keys = (counter.make_and_validate_key(counter_key), self.make_and_validate_key(key))
        try:  # by its digest: redis-py's Script object cost a third of the round trip's CPU
            count, data = await client.execute_command("EVALSHA", _GET_AND_COUNT_SHA, 2, *keys, timeout)
        except NoScriptError:  # a new or restarted server: load it once
            await client.script_load(_GET_AND_COUNT)
            count, data = await client.execute_command("EVALSHA", _GET_AND_COUNT_SHA, 2, *keys, timeout)
        return (None if data is None else self._loads(data)), int(count)
