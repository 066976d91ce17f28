"""Fixed-window request counters per client, in Django's cache (per process by default, shared in Redis).

A client is its session when it has one, else its address; only hashes of either are kept.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from kernel import clock

WINDOW_SECONDS = 60


def _client(request: HttpRequest) -> str:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    raw = f"s:{session_key}" if session_key else f"ip:{request.META.get('REMOTE_ADDR', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _key(request: HttpRequest, scope: str) -> str:
    window = int(clock.now().timestamp()) // WINDOW_SECONDS
    return f"ratelimit:{scope}:{_client(request)}:{window}"


def hit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one request of this client to ``scope``; false once it is over ``limit`` in this minute."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= limit


async def ahit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """:func:`hit` for async code, through the cache's async methods (one round trip with the portal's Redis
    cache, ``minasidor.core.cache``)."""
    key = _key(request, scope)
    acount = getattr(cache, "acount", None)
    if acount is not None:
        return int(await acount(key, WINDOW_SECONDS * 2)) <= limit
    await cache.aadd(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = await cache.aincr(key)
    except ValueError:  # expired between add and incr
        await cache.aset(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= limit
