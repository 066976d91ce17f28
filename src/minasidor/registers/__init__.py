"""The portal's one doorway to the back office (the systems of record).

Portal apps read and write the authority's registers only through this package; an import-linter contract
forbids every other portal module to import ``backoffice``. :func:`registers` gives the configured
implementation of :class:`~minasidor.registers.types.Registers`: ``in_process`` (the embedded default,
calling the back office's services directly) or ``http`` (the back office's internal API, with timeouts,
retries for reads only, and a circuit breaker). Setting: ``MINASIDOR_REGISTERS``.
"""

from __future__ import annotations

import functools

from django.conf import settings

from minasidor.registers.types import Registers


@functools.cache
def _build(kind: str, url: str) -> Registers:
    if kind == "http":
        from minasidor.registers.http import HttpRegisters  # noqa: PLC0415 - only the configured one is loaded

        return HttpRegisters.from_settings()
    from minasidor.registers.in_process import InProcessRegisters  # noqa: PLC0415

    return InProcessRegisters()


def registers() -> Registers:
    """The configured implementation (one instance per configuration, so the circuit breaker is shared)."""
    return _build(settings.REGISTERS_IMPLEMENTATION, settings.REGISTERS_URL)
