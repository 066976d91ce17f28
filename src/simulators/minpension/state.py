"""The simulator's state: who is registered, the consents received, and the injected latency and faults."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any, Literal

from simulators.minpension.data import CURRENT_TERMS_VERSION, SAVERS, Saver

FaultKind = Literal["error", "timeout"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Fault:
    """An injected fault for the next ``count`` calls to ``endpoint`` (any endpoint if None).

    ``error`` answers ``status`` (500 by default); ``timeout`` waits ``delay_seconds`` and then answers 504,
    long after any sensible client has given up.
    """

    kind: FaultKind
    status: int = 500
    delay_seconds: float = 30.0
    endpoint: str | None = None


@dataclasses.dataclass(kw_only=True)
class Registration:
    terms_version: str
    registered_at: dt.datetime | None
    consent: dict[str, Any] | None = None


class SimulatorState:
    """Thread-safe: the server runs in its own thread and tests poke it through the control API."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency_seconds = 0.0
        self._faults: list[list[Any]] = []
        self._registrations: dict[str, Registration] = {}
        self._savers = {saver.personal_number: saver for saver in SAVERS}
        self.reset()

    def reset(self) -> None:
        """Back to the data file's registrations, no latency, no faults."""
        with self._lock:
            self.latency_seconds = 0.0
            self._faults.clear()
            self._registrations = {
                saver.personal_number: Registration(terms_version=saver.terms_version, registered_at=None)
                for saver in SAVERS
                if saver.registered and saver.terms_version
            }

    def saver(self, personal_number: str) -> Saver | None:
        return self._savers.get(personal_number)

    def registration(self, personal_number: str) -> Registration | None:
        with self._lock:
            return self._registrations.get(personal_number)

    def register(self, personal_number: str, *, consent: dict[str, Any], now: dt.datetime) -> Registration:
        """Register the person (or renew their acceptance) under the current terms."""
        with self._lock:
            registration = Registration(terms_version=CURRENT_TERMS_VERSION, registered_at=now, consent=consent)
            self._registrations[personal_number] = registration
            return registration

    def deregister(self, personal_number: str) -> None:
        with self._lock:
            self._registrations.pop(personal_number, None)

    def add_fault(self, fault: Fault, *, count: int) -> None:
        with self._lock:
            self._faults.append([fault, count])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def take_fault(self, endpoint: str) -> Fault | None:
        """The next fault for this endpoint, consuming one of its uses."""
        with self._lock:
            for entry in self._faults:
                fault: Fault = entry[0]
                if fault.endpoint in (None, endpoint):
                    entry[1] -= 1
                    if entry[1] <= 0:
                        self._faults.remove(entry)
                    return fault
        return None
