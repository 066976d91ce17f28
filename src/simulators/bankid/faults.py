"""Error injection: queued faults the RP API answers with instead of (or before) the real answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from simulators.bankid.errors import AppError

ERROR_CODES = {
    400: "invalidParameters",
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    405: "methodNotAllowed",
    408: "requestTimeout",
    415: "unsupportedMediaType",
    429: "tooManyRequests",
    500: "internalError",
    503: "maintenance",
}


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One injected fault: an error status and/or a delay, for one endpoint or all of them.

    ``status=None`` with a delay gives a slow but correct answer. ``raw_body`` replaces the JSON body
    (BankID does not promise JSON on non-400 errors).
    """

    endpoint: str | None = None
    status: int | None = None
    error_code: str | None = None
    details: str = "Injected by the BankID test server"
    delay_seconds: float = 0.0
    raw_body: str | None = None

    def body(self) -> dict[str, Any]:
        code = self.error_code or ERROR_CODES.get(self.status or 0, "unknownError")
        return {"errorCode": code, "details": self.details}


def fault_from_json(data: dict[str, Any]) -> tuple[Fault, int]:
    """A fault and how many requests it applies to, from the control API's JSON."""
    status = data.get("status")
    if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
        raise AppError(status=400, code="invalidFault", message="status must be an HTTP error status.")
    delay = data.get("delaySeconds", 0.0)
    count = data.get("count", 1)
    if not isinstance(delay, int | float) or delay < 0 or delay > 120:
        raise AppError(status=400, code="invalidFault", message="delaySeconds must be 0–120.")
    if not isinstance(count, int) or count < 1:
        raise AppError(status=400, code="invalidFault", message="count must be a positive integer.")
    if status is None and not delay:
        raise AppError(status=400, code="invalidFault", message="Give a status, a delay or both.")
    fault = Fault(
        endpoint=data.get("endpoint"),
        status=status,
        error_code=data.get("errorCode"),
        details=str(data.get("details", Fault.details)),
        delay_seconds=float(delay),
        raw_body=data.get("rawBody"),
    )
    return fault, count


class FaultPlan:
    """Faults waiting to be served, first in first out, each for a number of requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[list[Any]] = []

    def add(self, fault: Fault, *, count: int = 1) -> None:
        with self._lock:
            self._queue.append([fault, count])

    def take(self, endpoint: str) -> Fault | None:
        """The next fault for this endpoint, consuming one of its uses."""
        with self._lock:
            for entry in self._queue:
                fault: Fault = entry[0]
                if fault.endpoint in (None, endpoint):
                    entry[1] -= 1
                    if entry[1] <= 0:
                        self._queue.remove(entry)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> int:
        with self._lock:
            return sum(entry[1] for entry in self._queue)
