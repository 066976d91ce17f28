"""The portal's one fixed-window counter: every limit counts here, keyed on what an attacker cannot mint freely.

A limit counts per *subject*: the client's address as our trusted proxies reported it (decision 0073; an
IPv6 address counts by its /64, which one subscriber gets), or an account or personal-number pseudonym
where there is one — never a session or a cookie, which a client can make anew for every request. Counts
live in the security store (:mod:`minasidor.security.store`), which never culls them; only digests of
subjects are kept. See docs/decisions/0046-limits-keyed-by-address-in-a-store-that-does-not-cull.md.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.http import HttpRequest

from kernel import clock
from minasidor.security.store import security_cache

IPV6_PREFIX = 64


def address(request: HttpRequest) -> str:
    """The subject of a per-address limit: the client's address (an IPv6 address by its /64 network)."""
    return address_of(str(request.META.get("REMOTE_ADDR", "")))


def person_set(request: HttpRequest, pseudonym: str) -> None:
    """Make the logged-in person (by pseudonym) the subject of this request's per-URL limits.

    Called by the login's middleware for a live session: citizens behind one address (an office's or a
    mobile operator's NAT) then each get their own allowance, and one person gets one allowance whatever
    addresses and sessions they use (issue 12.3).
    """
    request.rate_limit_subject = f"person:{pseudonym}"  # type: ignore[attr-defined]


def subject(request: HttpRequest) -> str:
    """The subject of a per-URL limit: the logged-in person where there is one, else the client's address."""
    return getattr(request, "rate_limit_subject", None) or address(request)


def address_of(raw: str) -> str:
    """:func:`address` of an address as text."""
    try:
        parsed = ipaddress.ip_address(raw)
    except ValueError:
        return f"ip:{raw}"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"ip:{parsed.ipv4_mapped}"
        return f"net:{ipaddress.ip_network(f'{parsed}/{IPV6_PREFIX}', strict=False)}"
    return f"ip:{parsed}"


def digest(value: str) -> str:
    """What is kept of a subject: a hash (the store never holds an address or a pseudonym)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _key(scope: str, subject: str, window_seconds: int) -> str:
    window = int(clock.now().timestamp()) // window_seconds
    return f"count:{scope}:{digest(subject)}:{window}"


def count(*, scope: str, subject: str, window_seconds: int) -> int:
    """Count one more event of ``subject`` in ``scope``; how many in this fixed window, this one included."""
    return security_cache().count(_key(scope, subject, window_seconds), window_seconds)


async def acount(*, scope: str, subject: str, window_seconds: int) -> int:
    """:func:`count` for async code (one round trip, no thread, with the Redis store)."""
    return await security_cache().acount(_key(scope, subject, window_seconds), window_seconds)


def hit(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """Count one more event; false once ``subject`` is over ``limit`` in this window of ``scope``."""
    return count(scope=scope, subject=subject, window_seconds=window_seconds) <= limit


async def ahit(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """:func:`hit` for async code."""
    return await acount(scope=scope, subject=subject, window_seconds=window_seconds) <= limit
