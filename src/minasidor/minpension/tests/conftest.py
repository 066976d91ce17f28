"""Fixtures: the Min Pension test server with the portal pointed at it, and the register's two facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from minasidor.minpension import service
from minasidor.minpension.facts import WorkingLife
from simulators.minpension.server import SimulatorThread

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="session")
def minpension_server() -> Iterator[SimulatorThread]:
    with SimulatorThread(today=lambda: TODAY) as thread:
        yield thread


@pytest.fixture
def minpension(minpension_server: SimulatorThread, settings: Settings) -> Iterator[SimulatorThread]:
    """The portal pointed at the test server, which starts from its data file with no faults."""
    minpension_server.control("reset")
    settings.MINPENSION_BASE_URL = minpension_server.api_base_url
    settings.MINPENSION_TIMEOUT_SECONDS = 1.0
    service.reset()
    yield minpension_server
    service.reset()


class Register:
    """What the pension register says about the logged-in person (set ``life`` in a test; None: unreachable)."""

    def __init__(self) -> None:
        self.life: WorkingLife | None = WorkingLife(drawing_pension=False, still_working=True)


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Register:
    """Replaces the pension register's answer to "draws pension? still working?" for the views."""
    fake = Register()
    monkeypatch.setattr("minasidor.minpension.views.working_life_get", lambda **_: fake.life)
    return fake
