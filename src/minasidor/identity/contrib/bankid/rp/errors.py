"""Errors of the BankID client. Each carries the recommended user message to show (``rfa``)."""

from __future__ import annotations

from minasidor.identity.contrib.bankid.rp.messages import Rfa, message_for_error

# Our own codes for failures that have no BankID errorCode.
TRANSPORT_ERROR = "transportError"
CIRCUIT_OPEN = "circuitOpen"
TOO_MANY_REQUESTS = "tooManyRequests"
PROTOCOL_ERROR = "protocolError"


class BankIdError(Exception):
    """Any failure talking to BankID. ``rfa`` is the message for the user; never show ``details``."""

    def __init__(self, *, error_code: str, details: str = "", status_code: int | None = None) -> None:
        super().__init__(f"BankID {error_code} ({status_code}): {details}" if status_code else error_code)
        self.error_code = error_code
        self.details = details
        self.status_code = status_code

    @property
    def rfa(self) -> Rfa:
        return message_for_error(self.error_code)


class BankIdApiError(BankIdError):
    """BankID answered with an error status (the ``errorCode`` is BankID's, or derived from the status)."""

    @property
    def counts_as_outage(self) -> bool:
        """Whether this error says BankID is unwell (trips the circuit breaker), not that we erred."""
        return self.status_code is not None and (self.status_code >= 500 or self.status_code in (408, 429))


class BankIdTransportError(BankIdError):
    """No usable answer: connection refused, TLS failure, timeout."""

    def __init__(self, details: str) -> None:
        super().__init__(error_code=TRANSPORT_ERROR, details=details)


class BankIdCircuitOpenError(BankIdError):
    """Calls are paused after repeated outages; BankID is not called."""

    def __init__(self) -> None:
        super().__init__(error_code=CIRCUIT_OPEN, details="BankID calls paused after repeated failures")


class BankIdProtocolError(BankIdError):
    """BankID answered 200 with a body we cannot read."""

    def __init__(self, details: str) -> None:
        super().__init__(error_code=PROTOCOL_ERROR, details=details)
