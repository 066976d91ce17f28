"""Fixtures shared by every test in the project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from kernel import clock
from minasidor.identity.tests.factories import log_in, make_identity


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The clock frozen at a fixed instant (2026-11-28 12:00 UTC); move it with ``.advance()``."""
    with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)) as frozen:
        yield frozen


@pytest.fixture
def citizen_client(client: Client, db: None) -> Client:
    """A test client logged in as Tolvan Tolvansson (BankID's test identity)."""
    log_in(client, make_identity())
    return client
