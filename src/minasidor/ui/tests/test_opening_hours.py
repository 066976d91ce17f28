"""Requirement (left from issue 19): customer service's opening hours are a setting of their own — the hours of
each weekday and the dates that differ — read strictly at start, and said in words in both languages wherever a
page gives the phone number, with a date of other hours told in the two weeks before it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.conf.opening_hours import Hours, OpeningHours, exceptions_parse, week_parse
from minasidor.ui.opening_hours import opening_hours_text

CHRISTMAS_EVE = dt.date(2026, 12, 24)  # a Thursday
HOURS = OpeningHours(
    week=week_parse("mon-thu 8-16.30; fri 08:00-15:00"),
    exceptions=exceptions_parse("2026-12-24 closed; 2026-12-31 9-12"),
)


def test_the_week_is_read_day_by_day_and_a_day_not_named_is_closed() -> None:
    assert HOURS.on(dt.date(2026, 12, 7)) == Hours(dt.time(8), dt.time(16, 30))  # Monday
    assert HOURS.on(dt.date(2026, 12, 11)) == Hours(dt.time(8), dt.time(15))  # Friday
    assert HOURS.on(dt.date(2026, 12, 12)) is None  # Saturday
    assert HOURS.on(CHRISTMAS_EVE) is None, "an exception wins over the week"
    assert HOURS.on(dt.date(2026, 12, 31)) == Hours(dt.time(9), dt.time(12))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Öppet måndag–torsdag 8–16.30, fredag 8–15."),
        ("en", "Open Monday–Thursday 8–16:30, Friday 8–15."),
    ],
)
def test_the_week_is_said_in_words_with_days_of_the_same_hours_joined(language: str, expected: str) -> None:
    with translation.override(language):
        assert opening_hours_text(HOURS, dt.date(2026, 11, 2)) == expected


def test_a_date_with_other_hours_is_told_in_the_two_weeks_before_it_and_not_after() -> None:
    with translation.override("sv"):
        assert "24 december" not in opening_hours_text(HOURS, dt.date(2026, 12, 9))
        told = opening_hours_text(HOURS, dt.date(2026, 12, 10))
        assert told.endswith("Andra tider: 24 december stängt.")
        assert "31 december 9–12" in opening_hours_text(HOURS, dt.date(2026, 12, 25))
    with translation.override("en"):
        assert opening_hours_text(HOURS, CHRISTMAS_EVE).endswith("Other hours: 24 December closed; 31 December 9–12.")
        assert "24 December" not in opening_hours_text(HOURS, dt.date(2026, 12, 25))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("mon-fri", "not hours like"),
        ("monday 8-16", "not a day or days"),
        ("fri-mon 8-16", "runs backwards"),
        ("mon-fri 16-8", "closes before it opens"),
        ("mon-fri 8-25", "hour must be in"),
        ("mon 8:70-16", "minute must be in"),
    ],
)
def test_a_week_that_cannot_be_read_is_refused_with_its_reason(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        week_parse(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("24/12 closed", "Invalid isoformat"),
        ("2026-12-24", "not hours like"),
        ("2026-12-24 shut", "not hours like"),
        ("2026-02-30 closed", "day is out of range"),
    ],
)
def test_an_exception_that_cannot_be_read_is_refused_with_its_reason(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        exceptions_parse(raw)


def test_a_setting_that_cannot_be_read_stops_the_start_with_its_reason() -> None:
    environment = {**os.environ, "MINASIDOR_CUSTOMER_SERVICE_HOURS": "mon-fri 16-8"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "minasidor.conf.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "MINASIDOR_CUSTOMER_SERVICE_HOURS" in started.stderr
    assert "closes before it opens" in started.stderr


@pytest.mark.django_db
def test_the_pages_that_say_call_us_say_when(
    client: Client, settings: Settings, frozen_clock: clock.FrozenClock
) -> None:
    settings.CUSTOMER_SERVICE_HOURS = HOURS
    frozen_clock.advance(dt.timedelta(days=17))  # 15 December: Christmas Eve is nine days ahead
    start = client.get("/").content.decode()
    assert "Öppet måndag–torsdag 8–16.30, fredag 8–15. Andra tider: 24 december stängt." in start
    missing = client.get("/en/finns-inte/").content.decode()
    assert "Open Monday–Thursday 8–16:30, Friday 8–15. Other hours: 24 December closed." in missing
