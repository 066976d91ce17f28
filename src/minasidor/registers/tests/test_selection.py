"""Requirement: a setting chooses the registers implementation; in-process is the embedded default."""

from __future__ import annotations

from pytest_django.fixtures import Settings

from minasidor.registers import registers
from minasidor.registers.http import HttpRegisters
from minasidor.registers.in_process import InProcessRegisters


def test_in_process_is_the_default_and_http_is_a_setting_away(settings: Settings) -> None:
    assert isinstance(registers(), InProcessRegisters)
    settings.REGISTERS_IMPLEMENTATION = "http"
    chosen = registers()
    assert isinstance(chosen, HttpRegisters)
    assert registers() is chosen  # one instance: its circuit breaker is shared by every request
