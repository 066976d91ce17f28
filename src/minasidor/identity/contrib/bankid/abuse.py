"""Against automated and second-hand logins: limits on starting orders, and one device logging in many people.

Starts count in the portal's one fixed-window counter (:mod:`minasidor.security.counters`) per client
address and per device; the persons seen on a device and its block are kept in the security store, which
never culls them. Only pseudonyms and hashed device ids are kept, never a personal number.
"""

from __future__ import annotations

import structlog
from django.conf import settings

from minasidor.security import counters
from minasidor.security.store import security_cache

logger = structlog.get_logger(__name__)

START_WINDOW_SECONDS = 10 * 60
PERSONS_WINDOW_SECONDS = 24 * 60 * 60


def start_allowed(*, ip: str, device_id: str) -> bool:
    """Count a start of a login from this address and device; false once either is over its limit."""
    if is_blocked(device_id=device_id):
        return False
    by_ip = counters.count(
        scope="bankid:start:ip", subject=counters.address_of(ip), window_seconds=START_WINDOW_SECONDS
    )
    by_device = counters.count(scope="bankid:start:device", subject=device_id, window_seconds=START_WINDOW_SECONDS)
    allowed = by_ip <= settings.BANKID_STARTS_PER_IP and by_device <= settings.BANKID_STARTS_PER_DEVICE
    if not allowed:
        logger.warning("bankid.start_limited", by_ip=by_ip, by_device=by_device)
    return allowed


def is_blocked(*, device_id: str) -> bool:
    """Whether logins from this device are blocked after it logged in too many different people."""
    return bool(security_cache().get(f"bankid:blocked:{counters.digest(device_id)}"))


def login_allowed(*, device_id: str, subject_pseudonym: str) -> bool:
    """Record that this device logged in this person; false (and blocked, and logged) past the limit."""
    store = security_cache()
    key = f"bankid:persons:{counters.digest(device_id)}"
    persons: list[str] = store.get(key, [])
    if subject_pseudonym not in persons:
        persons = [*persons, subject_pseudonym]
        store.set(key, persons, timeout=PERSONS_WINDOW_SECONDS)
    if len(persons) <= settings.BANKID_PERSONS_PER_DEVICE:
        return True
    store.set(f"bankid:blocked:{counters.digest(device_id)}", True, timeout=PERSONS_WINDOW_SECONDS)
    logger.warning("bankid.many_persons_one_device", device=counters.digest(device_id), persons=len(persons))
    return False
