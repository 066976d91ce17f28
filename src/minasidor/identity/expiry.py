"""When a citizen's session ends by itself: after 15 minutes without activity or 8 hours after login.

The times are kept in the server-side session as seconds since the epoch read from :mod:`kernel.clock`
(never the browser's clock, never the cookie): ``started`` is set at login, ``active`` at every request
the citizen makes. Asking how much time is left (the timeout warning's poll) is not activity. See
``docs/decisions/0040-session-lifetimes.md``.
"""

from __future__ import annotations

import dataclasses
import enum

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from kernel import clock

DATABASE_ENGINE = "django.contrib.sessions.backends.db"
STARTED_KEY = "session_started"
ACTIVE_KEY = "session_active"


class Ending(enum.StrEnum):
    """Why a session ended by itself."""

    IDLE = "idle"
    ABSOLUTE = "absolute"


@dataclasses.dataclass(frozen=True, slots=True)
class Remaining:
    """Seconds left before the session ends, and which limit ends it first."""

    seconds: int
    ending: Ending


def _now() -> float:
    return clock.now().timestamp()


def session_times_start(session: SessionBase) -> None:
    """Mark the session as just logged in (both clocks start now)."""
    instant = _now()
    session[STARTED_KEY] = instant
    session[ACTIVE_KEY] = instant
    _store_expiry(session)


def session_touch(session: SessionBase) -> None:
    """Record activity now: the idle limit starts again."""
    session[ACTIVE_KEY] = _now()
    _store_expiry(session)


def _store_expiry(session: SessionBase) -> None:
    """In a store that expires its own entries (Redis), let a session live only until its limits end, plus
    ``SESSION_LEFTOVER_SECONDS``: an abandoned session's identity is gone then, not hours after the idle limit
    ended it (issue 12.5). Database sessions keep their row until the periodic clearing deletes it and
    records the time limit's logout (minasidor.background.sessions)."""
    if settings.SESSION_ENGINE == DATABASE_ENGINE:
        return
    left = max(remaining(session).seconds, 0)
    session.set_expiry(left + settings.SESSION_LEFTOVER_SECONDS)


def remaining(session: SessionBase) -> Remaining:
    """How long the session has left; zero or less means it has ended (missing times count as ended)."""
    started = session.get(STARTED_KEY)
    active = session.get(ACTIVE_KEY)
    if not isinstance(started, int | float) or not isinstance(active, int | float):
        return Remaining(0, Ending.ABSOLUTE)
    instant = _now()
    idle_left = active + settings.SESSION_IDLE_SECONDS - instant
    absolute_left = started + settings.SESSION_ABSOLUTE_SECONDS - instant
    if absolute_left <= idle_left:
        return Remaining(int(absolute_left), Ending.ABSOLUTE)
    return Remaining(int(idle_left), Ending.IDLE)
