"""Requirement: retries back off (decision 0110) — each failed attempt waits twice as long as the one before, up to a
cap, spread by a little jitter."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.backoff import retry_delay

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def _exact(low: float, high: float) -> float:
    return 0.0


def test_delays_double_until_the_cap() -> None:
    delays = [retry_delay(n, first=MINUTE, cap=HOUR, uniform=_exact) for n in range(1, 9)]
    assert [d / MINUTE for d in delays] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert retry_delay(10_000, first=MINUTE, cap=HOUR, uniform=_exact) == HOUR


def test_jitter_stays_within_its_share() -> None:
    def highest(low: float, high: float) -> float:
        return high

    assert retry_delay(3, first=MINUTE, cap=HOUR, jitter=0.1, uniform=highest) == 4 * MINUTE * 1.1
    for _ in range(200):
        assert 3.6 * 60 <= retry_delay(3, first=MINUTE, cap=HOUR).total_seconds() <= 4.4 * 60


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(0, first=MINUTE, cap=HOUR)
    with pytest.raises(ValueError, match="jitter"):
        retry_delay(1, first=MINUTE, cap=HOUR, jitter=1.5)
