"""Customer service's opening hours as configured: the hours of each day of the week and the dates that differ.

Read from two settings (docs/configuration.md, decision 0236). The week: entries ``DAYS HOURS`` separated by
``;``, days ``mon`` … ``sun`` alone or as a range (``mon-thu``), hours ``8-16`` or ``08:00-16:30``; a day not
named is closed. The exceptions: entries ``YYYY-MM-DD HOURS`` or ``YYYY-MM-DD closed``. The pages say them in
the reader's language (``ui.opening_hours``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")


@dataclasses.dataclass(frozen=True, slots=True)
class Hours:
    """Open from ``opens`` until ``closes`` on a day."""

    opens: dt.time
    closes: dt.time


@dataclasses.dataclass(frozen=True, slots=True)
class OpeningHours:
    """``week``: Monday to Sunday, each day's hours (None: closed); ``exceptions``: dates with other hours."""

    week: tuple[Hours | None, ...]
    exceptions: tuple[tuple[dt.date, Hours | None], ...] = ()

    def on(self, day: dt.date) -> Hours | None:
        """The hours of ``day`` (None: closed)."""
        for date, hours in self.exceptions:
            if date == day:
                return hours
        return self.week[day.weekday()]


def _time(text: str) -> dt.time:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time like 8, 08:00 or 16.30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour == 24 and minute == 0:
        return dt.time(23, 59)
    return dt.time(hour, minute)  # ValueError for 25 or 61


def _hours(text: str) -> Hours:
    opens, _, closes = text.partition("-")
    if not closes:
        raise ValueError(f"{text!r} is not hours like 8-16")
    hours = Hours(_time(opens), _time(closes))
    if hours.closes <= hours.opens:
        raise ValueError(f"{text!r} closes before it opens")
    return hours


def _entries(raw: str) -> list[tuple[str, str]]:
    entries = []
    for entry in raw.split(";"):
        if entry.strip():
            head, _, rest = entry.strip().partition(" ")
            entries.append((head.strip().lower(), rest.strip().lower()))
    return entries


def week_parse(raw: str) -> tuple[Hours | None, ...]:
    """The week from e.g. ``mon-thu 8-16.30; fri 8-15`` (days not named: closed). Raises ValueError."""
    week: list[Hours | None] = [None] * 7
    for days, hours in _entries(raw):
        first, _, last = days.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"{days!r} is not a day or days like mon or mon-fri")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise ValueError(f"{days!r} runs backwards")
        for index in range(start, end + 1):
            week[index] = _hours(hours)
    return tuple(week)


def exceptions_parse(raw: str) -> tuple[tuple[dt.date, Hours | None], ...]:
    """The dates with other hours from e.g. ``2026-12-24 closed; 2026-12-30 8-12``. Raises ValueError."""
    exceptions = []
    for date, hours in _entries(raw):
        day = dt.date.fromisoformat(date)
        exceptions.append((day, None if hours == "closed" else _hours(hours)))
    return tuple(sorted(exceptions))
