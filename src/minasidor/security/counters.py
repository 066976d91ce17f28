"""The portal's one fixed-window counter: every limit counts here, keyed on what an attacker cannot mint freely.

A limit counts per *subject*: the client's address as our trusted proxies reported it (decision 0073; an
IPv6 address counts by its /64, which one subscriber gets), or an account or personal-number pseudonym
where there is one — never a session or a cookie, which a client can make anew for every request. Counts
live in the security store (:mod:`minasidor.security.store`), which never culls them; only digests of
subjects are kept. See docs/decisions/0046-limits-keyed-by-address-in-a-store-that-does-not-cull.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import ipaddress
from typing import Any, cast

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


@functools.lru_cache(maxsize=4096)
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


@functools.lru_cache(maxsize=4096)
def digest(value: str) -> str:
    """What is kept of a subject: a hash (the store never holds an address or a pseudonym)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def url_scope(url_name: str) -> str:
    """The scope of a per-URL limit (the setting ``RATE_LIMITS``) of the URL named ``url_name``."""
    return f"url:{url_name}"


def window_key(scope: str, subject: str, window_seconds: int) -> str:
    """The store's key of ``subject``'s counter in ``scope`` for the window now running."""
    window = int(clock.now().timestamp()) // window_seconds
    return f"count:{scope}:{digest(subject)}:{window}"


def count(*, scope: str, subject: str, window_seconds: int) -> int:
    """Count one more event of ``subject`` in ``scope``; how many in this fixed window, this one included."""
    return security_cache().count(window_key(scope, subject, window_seconds), window_seconds)


async def acount(*, scope: str, subject: str, window_seconds: int) -> int:
    """:func:`count` for async code (one round trip, no thread, with the Redis store)."""
    return await security_cache().acount(window_key(scope, subject, window_seconds), window_seconds)


def hit(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """Count one more event; false once ``subject`` is over ``limit`` in this window of ``scope``."""
    return count(scope=scope, subject=subject, window_seconds=window_seconds) <= limit


async def ahit(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """:func:`hit` for async code."""
    return await acount(scope=scope, subject=subject, window_seconds=window_seconds) <= limit


# The ASGI scope's entry for a count made before Django saw the request (the lean status poll, decision 0205).
PRECOUNTED = "minasidor.precounted"


@dataclasses.dataclass(frozen=True, slots=True)
class Precount:
    """One event already counted for this request: in ``scope``, of ``subject``, under the store's ``key``."""

    scope: str
    subject: str
    key: str
    count: int


def precount_take(request: HttpRequest) -> Precount | None:
    """The count made for this request before Django saw it, if any (taken: it is used once)."""
    scope = getattr(request, "scope", None)
    found = scope.pop(PRECOUNTED, None) if isinstance(scope, dict) else None
    return found if isinstance(found, Precount) else None


async def ahit_once(*, scope: str, subject: str, limit: int, window_seconds: int, precount: Precount | None) -> bool:
    """:func:`ahit`, unless this very event was counted already (``precount``, of the same scope and subject):
    then that count decides. A precount of another subject (the session turned out to be a logged-in person's,
    counted per person) is taken back and the event counted for the right subject."""
    if precount is not None and precount.scope == scope and precount.subject == subject:
        return precount.count <= limit
    if precount is not None:
        with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to take back
            await cast(Any, security_cache()).aincr(precount.key, -1)
    return await ahit(scope=scope, subject=subject, limit=limit, window_seconds=window_seconds)
