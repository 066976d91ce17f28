"""Clocks for the simulator: a manual one for tests and a real one that tests may push forward."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable


def system_now() -> dt.datetime:
    """The real time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class AdjustableClock:
    """A clock that follows ``base`` plus an offset that only grows; ``advance`` moves it forward."""

    def __init__(self, base: Callable[[], dt.datetime] = system_now) -> None:
        self._base = base
        self._offset = dt.timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self._base() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("The clock only moves forward")
        with self._lock:
            self._offset += dt.timedelta(seconds=seconds)


class ManualClock(AdjustableClock):
    """A clock standing still at ``start`` until advanced (for tests)."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        super().__init__(lambda: start)
