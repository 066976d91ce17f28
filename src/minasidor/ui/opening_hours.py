"""Customer service's opening hours in words, in the reader's language, as of a day: the week's hours with days
of the same hours joined (``Open Monday–Thursday 8–16.30, Friday 8–15.``) and the dates with other hours in the
next two weeks (``Other hours: 24 December closed.``). Pages say it where they give the phone number."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from minasidor.conf.opening_hours import Hours, OpeningHours

AHEAD = dt.timedelta(days=14)  # dates with other hours are told this long before


def _time(value: dt.time) -> str:
    if value.minute == 0:
        return str(value.hour)
    return gettext("%(hour)s:%(minute)02d") % {"hour": value.hour, "minute": value.minute}


def _hours(hours: Hours | None) -> str:
    if hours is None:
        return gettext("closed")
    return f"{_time(hours.opens)}–{_time(hours.closes)}"


def _week(week: tuple[Hours | None, ...]) -> list[str]:
    runs: list[tuple[int, int, Hours]] = []
    for index, hours in enumerate(week):
        if hours is None:
            continue
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], index, hours)
        else:
            runs.append((index, index, hours))
    parts = []
    for first, last, hours in runs:
        days = str(WEEKDAYS[first]) if first == last else f"{WEEKDAYS[first]}–{WEEKDAYS[last]}"
        parts.append(f"{days} {_hours(hours)}")
    return parts


def opening_hours_text(opening: OpeningHours, today: dt.date) -> str:
    """When customer service answers, in the active language, as of ``today``."""
    week = _week(opening.week)
    text = gettext("Open %(hours)s.") % {"hours": ", ".join(week)} if week else gettext("Closed for now.")
    coming = [(day, hours) for day, hours in opening.exceptions if today <= day <= today + AHEAD]
    if coming:
        dates = "; ".join(f"{dateformat.format(day, 'j F')} {_hours(hours)}" for day, hours in coming)
        text += " " + gettext("Other hours: %(dates)s.") % {"dates": dates}
    return text
