"""Fixtures shared by every test in the project."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator

import pytest
from django.db import connection
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


@pytest.fixture
def flushable_access_log(transactional_db: None) -> Iterator[None]:
    """Let a transactional test's database flush empty the append-only access log.

    The access log's triggers refuse DELETE and TRUNCATE, which is also how the test framework empties
    the tables after a transactional test. This fixture's teardown runs before that flush: it lifts the
    triggers, and the next test that asks for it puts them back. The triggers' own tests do not use it.
    """
    triggers = importlib.import_module("minasidor.audit.migrations.0002_append_only_triggers")
    with connection.schema_editor() as editor:
        triggers.drop_triggers(None, editor)
        triggers.create_triggers(None, editor)
    yield
    with connection.schema_editor() as editor:
        triggers.drop_triggers(None, editor)
