"""Fixtures shared by every test in the project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from kernel import clock


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The clock frozen at a fixed instant (2026-11-28 12:00 UTC); move it with ``.advance()``."""
    with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)) as frozen:
        yield frozen
