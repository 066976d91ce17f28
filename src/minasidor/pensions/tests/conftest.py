"""Fixtures: the Min Pension test server with the portal pointed at it, and the register's two facts."""

from __future__ import annotations

import datetime as dt

import pytest

from minasidor.identity.types import Identity
from minasidor.registers.tests.factories import make_snapshot
from minasidor.registers.types import PersonSnapshot

TODAY = dt.date(2026, 11, 28)


class Register:
    """What the pension register says about the logged-in person; a test sets the two facts, or makes it
    unreachable."""

    def __init__(self) -> None:
        self.reachable = True
        self.drawing_pension = False
        self.still_working = True


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Register:
    """Replaces the pension register's answer to "draws pension? still working?" for the views."""
    fake = Register()

    def snapshot(identity: Identity) -> tuple[PersonSnapshot | None, bool, bool]:
        if not fake.reachable:
            return None, True, False
        assert identity.personal_number is not None
        made = make_snapshot(
            identity.personal_number.value,
            drawing_pension=fake.drawing_pension,
            still_working=fake.still_working,
        )
        return made, False, False

    monkeypatch.setattr("minasidor.pension_data.sources._snapshot", snapshot)
    return fake
