"""Requirement (issue 14.8): the access log groups identical entries within a minute into one line.

Seven identical records of one page load read as one line "7 times"; the same record again after more than
a minute, or a different one, is a line of its own.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import ACTIONS, Purpose
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.privacy.views import LogRow, rows_grouped

pytestmark = pytest.mark.django_db

PAGE = "/mina-sidor/vem-har-sett-mina-uppgifter/"


def test_alike_rows_within_a_minute_are_one_line() -> None:
    start = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    rows = [LogRow(start - dt.timedelta(seconds=5 * n), "You", "Read", "Self-service") for n in range(7)]
    later = LogRow(start - dt.timedelta(minutes=3), "You", "Read", "Self-service")
    other = LogRow(start - dt.timedelta(minutes=3, seconds=1), "You", "Logged in", "Self-service")
    grouped = rows_grouped([*rows, later, other])
    assert [row.times for row in grouped] == [7, 1, 1]
    assert grouped[0].when == start


def test_the_page_shows_seven_identical_reads_as_one_line(frozen_clock: clock.FrozenClock) -> None:
    identity = make_identity("196201082697")
    client = Client()
    log_in(client, identity)
    action = next(a for a in ACTIONS.values() if not a.name.startswith(("login", "access_log", "session")))
    for _ in range(7):
        access_record_create(
            principal=identity.principal, subject_key=identity.subject_key, action=action, purpose=Purpose.SELF_SERVICE
        )
        frozen_clock.advance(dt.timedelta(seconds=3))
    page = re.sub(r"\s+", " ", client.get(PAGE).content.decode())
    assert 'data-times="7"' in page
    assert "(7 gånger)" in page
    assert page.count("data-times=") == 1  # the login and this page's own read are lines of their own
