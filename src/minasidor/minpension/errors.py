"""Errors of the Min Pension client. Pages show every one of them as "could not be fetched right now"."""

from __future__ import annotations


class MinPensionError(Exception):
    """Any failure talking to Min Pension. ``code`` is Min Pension's error code or one of ours."""

    def __init__(self, code: str, *, status_code: int | None = None) -> None:
        super().__init__(f"Min Pension {code} ({status_code})" if status_code else f"Min Pension {code}")
        self.code = code
        self.status_code = status_code


class MinPensionUnavailableError(MinPensionError):
    """No usable answer: timeout, connection failure, a 5xx answer, or the circuit breaker is open."""


class MinPensionRefusedError(MinPensionError):
    """Min Pension answered 4xx: ``notRegistered``, ``termsNotAccepted``, ``termsVersionOutdated``, …"""


class MinPensionProtocolError(MinPensionError):
    """Min Pension answered 2xx with a body that does not follow the contract."""
