"""Against automated and second-hand logins: limits on starting orders, and one device logging in many people.

Counters live in Django's cache (per process by default; shared when the cache is Redis), in fixed
windows. Only pseudonyms and hashed device ids are kept, never a personal number.
"""

from __future__ import annotations

import hashlib

import structlog
from django.conf import settings
from django.core.cache import cache

logger = structlog.get_logger(__name__)

START_WINDOW_SECONDS = 10 * 60
PERSONS_WINDOW_SECONDS = 24 * 60 * 60


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _count(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def start_allowed(*, ip: str, device_id: str) -> bool:
    """Count a start of a login from this address and device; false once either is over its limit."""
    if is_blocked(device_id=device_id):
        return False
    by_ip = _count(f"bankid:start:ip:{_digest(ip)}", START_WINDOW_SECONDS)
    by_device = _count(f"bankid:start:device:{_digest(device_id)}", START_WINDOW_SECONDS)
    allowed = by_ip <= settings.BANKID_STARTS_PER_IP and by_device <= settings.BANKID_STARTS_PER_DEVICE
    if not allowed:
        logger.warning("bankid.start_limited", by_ip=by_ip, by_device=by_device)
    return allowed


def is_blocked(*, device_id: str) -> bool:
    """Whether logins from this device are blocked after it logged in too many different people."""
    return bool(cache.get(f"bankid:blocked:{_digest(device_id)}"))


def login_allowed(*, device_id: str, subject_pseudonym: str) -> bool:
    """Record that this device logged in this person; false (and blocked, and logged) past the limit."""
    key = f"bankid:persons:{_digest(device_id)}"
    persons: list[str] = cache.get(key, [])
    if subject_pseudonym not in persons:
        persons = [*persons, subject_pseudonym]
        cache.set(key, persons, timeout=PERSONS_WINDOW_SECONDS)
    if len(persons) <= settings.BANKID_PERSONS_PER_DEVICE:
        return True
    cache.set(f"bankid:blocked:{_digest(device_id)}", True, timeout=PERSONS_WINDOW_SECONDS)
    logger.warning("bankid.many_persons_one_device", device=_digest(device_id), persons=len(persons))
    return False
