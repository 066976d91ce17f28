"""Requirement (issue 12.4): BankID's abuse limits and other citizens' outstanding SAML logins survive a flood:
they live in the security store, which does not cull."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.identity.contrib.bankid import abuse
from minasidor.security.store import security_cache

pytestmark = pytest.mark.django_db


def test_a_flood_neither_resets_a_limit_nor_loses_another_citizens_outstanding_login(
    settings: Settings, frozen_clock: clock.FrozenClock
) -> None:
    """Issue 12.4: a flood of SAML starts (300 cache entries) used to cull the BankID counters and the
    outstanding SAML requests of others from the per-process cache."""
    settings.BANKID_STARTS_PER_IP = 2
    security_cache().set("saml:request:victim", {"kind": "eidas", "request_id": "victim"}, timeout=300)
    assert abuse.start_allowed(ip="192.0.2.1", device_id="d1")
    assert abuse.start_allowed(ip="192.0.2.1", device_id="d2")
    assert not abuse.start_allowed(ip="192.0.2.1", device_id="d3")
    for n in range(400):  # what 400 SAML starts from the flood keep, in both caches
        security_cache().set(f"saml:request:flood-{n}", {"kind": "eidas", "request_id": str(n)}, timeout=300)
        cache.set(f"flood-{n}", n, timeout=300)
    assert not abuse.start_allowed(ip="192.0.2.1", device_id="d4"), "the limit still holds"
    assert security_cache().get("saml:request:victim") == {"kind": "eidas", "request_id": "victim"}
