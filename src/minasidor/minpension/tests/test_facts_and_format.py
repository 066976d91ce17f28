"""Requirement: the register's two facts decide the fetch (unknown if it cannot answer); amounts read as kronor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.minpension.facts import WorkingLife, working_life_get
from minasidor.minpension.templatetags.minpension import kronor
from minasidor.registers.types import RegistersUnavailableError

AMIR = "195901022995"


class _Person:
    drawing_pension = True
    still_working = False


class _Snapshot:
    person = _Person()


class _Registers:
    def __init__(self, *, fail: bool) -> None:
        self.fail = fail

    def person_snapshot(self, principal: Any, personal_number: PersonalNumber) -> _Snapshot:
        if self.fail:
            raise RegistersUnavailableError("down")
        return _Snapshot()


@pytest.mark.parametrize(("fail", "expected"), [(False, WorkingLife(True, False)), (True, None)])
def test_working_life_comes_from_the_register(
    monkeypatch: pytest.MonkeyPatch, fail: bool, expected: WorkingLife | None
) -> None:
    monkeypatch.setattr("minasidor.minpension.facts.registers", lambda: _Registers(fail=fail))
    principal = citizen_principal(f"se:{AMIR}")
    assert working_life_get(principal=principal, personal_number=PersonalNumber(AMIR)) == expected


def test_amounts_are_whole_kronor_grouped_per_language() -> None:
    with translation.override("sv"):
        assert kronor(Decimal("318600.50")) == "318\u00a0601\u00a0kr"
    with translation.override("en"):
        assert kronor(Decimal("318600.49")) == "318,600\u00a0kr"
    assert kronor(None) == ""
