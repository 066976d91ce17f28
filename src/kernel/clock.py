"""The one seam through which domain code reads the time.

Domain code never calls ``datetime.now()`` or ``date.today()`` itself: it calls :func:`now` or
:func:`today` here. Tests replace the clock with :func:`frozen` (a context manager) or
:func:`set_clock`, so time-dependent rules (session expiry, ages, deadlines, statement years) are
tested at chosen instants.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable, Iterator

SWEDISH_TIME = zoneinfo.ZoneInfo("Europe/Stockholm")

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The real time, as an aware datetime in UTC."""
    return dt.datetime.now(tz=dt.UTC)


_lock = threading.Lock()
_clock: Clock = system_clock


def now() -> dt.datetime:
    """The current instant (aware, UTC) from the installed clock."""
    instant = _clock()
    if instant.tzinfo is None:
        raise ValueError("The clock must return an aware datetime")
    return instant


def today() -> dt.date:
    """Today's date in Sweden, which is what the authority's rules mean by a date."""
    return now().astimezone(SWEDISH_TIME).date()


def set_clock(clock: Clock) -> Clock:
    """Install ``clock`` and return the one it replaced."""
    global _clock
    with _lock:
        previous, _clock = _clock, clock
    return previous


class FrozenClock:
    """A clock that stands still until moved; for tests and simulations."""

    def __init__(self, instant: dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("A frozen clock needs an aware datetime")
        self.instant = instant

    def __call__(self) -> dt.datetime:
        return self.instant

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.instant += delta


@contextlib.contextmanager
def frozen(instant: dt.datetime) -> Iterator[FrozenClock]:
    """Freeze the clock at ``instant`` for the duration of the block."""
    clock = FrozenClock(instant)
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
