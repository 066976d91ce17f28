"""Requirement: domain code reads time from one injectable clock that tests can set."""

import datetime as dt

import pytest

from kernel import clock


def test_frozen_clock_sets_now_and_today() -> None:
    instant = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    with clock.frozen(instant) as frozen:
        assert clock.now() == instant
        # 23:30 UTC on New Year's Eve is already 1 January in Sweden.
        assert clock.today() == dt.date(2027, 1, 1)
        frozen.advance(dt.timedelta(hours=1))
        assert clock.now() == instant + dt.timedelta(hours=1)
    assert clock.now() != instant + dt.timedelta(hours=1)


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.FrozenClock(dt.datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    previous = clock.set_clock(lambda: dt.datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    try:
        with pytest.raises(ValueError, match="aware"):
            clock.now()
    finally:
        clock.set_clock(previous)
