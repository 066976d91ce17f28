"""A thin async client for the BankID RP API v6.0 (auth, sign, phone/auth, phone/sign, collect, cancel).

One explicit TLS context (our RP certificate, BankID's root pinned), ``Content-Type: application/json``
exactly, timeouts on every call, a circuit breaker against outages, and BankID's error rules:
``maintenance`` is retried silently a few times; ``requestTimeout`` and ``internalError`` are never
retried; every error carries the recommended user message (``BankIdError.rfa``).
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import anyio
import httpx
import pybreaker

from minasidor.identity.contrib.bankid.rp import parsing
from minasidor.identity.contrib.bankid.rp.errors import (
    TOO_MANY_REQUESTS,
    BankIdApiError,
    BankIdCircuitOpenError,
    BankIdError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.rp.tls import rp_ssl_context
from minasidor.identity.contrib.bankid.rp.types import (
    AuthRequest,
    CollectResponse,
    OrderResponse,
    PhoneAuthRequest,
    PhoneOrderResponse,
    PhoneSignRequest,
    SignRequest,
)

logger = logging.getLogger(__name__)

TEST_BASE_URL = "https://appapi2.test.bankid.com/rp/v6.0/"
PRODUCTION_BASE_URL = "https://appapi2.bankid.com/rp/v6.0/"

_CODES_BY_STATUS = {
    400: "invalidParameters",
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    405: "methodNotAllowed",
    408: "requestTimeout",
    415: "unsupportedMediaType",
    429: TOO_MANY_REQUESTS,
    500: "internalError",
    503: "maintenance",
}

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


@dataclass(frozen=True, kw_only=True)
class BankIdSettings:
    """Where BankID is and how to reach it. Defaults are for BankID's own servers."""

    base_url: str = TEST_BASE_URL
    cert_file: Path
    key_file: Path
    ca_file: Path
    key_password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 5.0
    connect_timeout_seconds: float = 2.0
    maintenance_retries: int = 2
    maintenance_retry_delay_seconds: float = 0.5
    breaker_fail_max: int = 5
    breaker_reset_seconds: float = 30.0
    max_connections: int = 32


def _is_not_outage(error: BaseException) -> bool:
    """Errors that say nothing about BankID's health do not trip the breaker."""
    return isinstance(error, BankIdApiError) and not error.counts_as_outage


def make_breaker(settings: BankIdSettings) -> pybreaker.CircuitBreaker:
    """The circuit breaker of the client; one may be shared by several clients of the process."""
    return pybreaker.CircuitBreaker(
        fail_max=settings.breaker_fail_max,
        reset_timeout=settings.breaker_reset_seconds,
        exclude=[_is_not_outage],
        throw_new_error_on_trip=False,
        name="bankid",
    )


class BankIdClient:
    """Talks to one BankID RP API. Create one per process and close it with ``aclose()``."""

    def __init__(
        self,
        *,
        settings: BankIdSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        ssl_context: ssl.SSLContext | None = None,
        breaker: pybreaker.CircuitBreaker | None = None,
        sleep: Sleep = anyio.sleep,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        """The TLS context is built from the settings' PEM files unless ``ssl_context`` is given (e.g. from
        :func:`~minasidor.identity.contrib.bankid.rp.tls.rp_ssl_context_from_pkcs12`); ``transport`` replaces
        the network altogether (tests)."""
        self.settings = settings
        base_url = settings.base_url if settings.base_url.endswith("/") else f"{settings.base_url}/"
        timeout = httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds)
        if transport is None:
            context = ssl_context or rp_ssl_context(
                cert_file=settings.cert_file,
                key_file=settings.key_file,
                ca_file=settings.ca_file,
                key_password=settings.key_password,
            )
            # Keep every connection open between calls: a connection closed after use costs a new mutual-TLS
            # handshake at the next. Not many more: httpx looks at each pooled connection on every call.
            limits = httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
                keepalive_expiry=30.0,
            )
            self._http = httpx.AsyncClient(
                base_url=base_url, verify=context, timeout=timeout, limits=limits, trust_env=False
            )
        else:
            self._http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout, trust_env=False)
        self.breaker = breaker or make_breaker(settings)
        self._sleep = sleep
        self._monotonic = monotonic

    async def auth(self, request: AuthRequest) -> OrderResponse:
        """Start an authentication order."""
        return parsing.order_response(await self._call("auth", request.to_json()))

    async def sign(self, request: SignRequest) -> OrderResponse:
        """Start a signing order."""
        return parsing.order_response(await self._call("sign", request.to_json()))

    async def phone_auth(self, request: PhoneAuthRequest) -> PhoneOrderResponse:
        """Start an authentication order for the person you are in a phone call with."""
        return parsing.phone_order_response(await self._call("phone/auth", request.to_json()))

    async def phone_sign(self, request: PhoneSignRequest) -> PhoneOrderResponse:
        """Start a signing order for the person you are in a phone call with."""
        return parsing.phone_order_response(await self._call("phone/sign", request.to_json()))

    async def collect(self, order_ref: str) -> CollectResponse:
        """The order's state. Call at most once a second (BankID advises every two seconds)."""
        return parsing.collect_response(await self._call("collect", {"orderRef": order_ref}))

    async def cancel(self, order_ref: str) -> None:
        """Cancel a pending order."""
        await self._call("cancel", {"orderRef": order_ref})

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> BankIdClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(self, endpoint: str, payload: dict[str, Any]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return await self._call_once(endpoint, payload)
            except BankIdApiError as error:
                if error.error_code != "maintenance" or attempt >= self.settings.maintenance_retries:
                    raise
                attempt += 1
                logger.info("bankid.maintenance_retry", extra={"endpoint": endpoint, "attempt": attempt})
                await self._sleep(self.settings.maintenance_retry_delay_seconds * attempt)

    async def _call_once(self, endpoint: str, payload: dict[str, Any]) -> dict[str, Any]:
        started = self._monotonic()
        try:
            with self.breaker.calling():
                response = await self._send(endpoint, payload)
                if response.status_code >= 400:
                    raise _api_error(response)
        except pybreaker.CircuitBreakerError:
            logger.warning("bankid.circuit_open", extra={"endpoint": endpoint})
            raise BankIdCircuitOpenError() from None
        except BankIdError as error:
            logger.warning(
                "bankid.error",
                extra={
                    "endpoint": endpoint,
                    "error_code": error.error_code,
                    "status_code": error.status_code,
                    "duration_ms": round((self._monotonic() - started) * 1000),
                },
            )
            raise
        logger.debug(
            "bankid.call",
            extra={"endpoint": endpoint, "duration_ms": round((self._monotonic() - started) * 1000)},
        )
        return parsing.json_object(response.content)

    async def _send(self, endpoint: str, payload: dict[str, Any]) -> httpx.Response:
        content = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        try:
            return await self._http.post(endpoint, content=content, headers={"Content-Type": "application/json"})
        except httpx.TimeoutException as error:
            raise BankIdTransportError(f"timeout: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise BankIdTransportError(f"transport: {type(error).__name__}") from error


def _api_error(response: httpx.Response) -> BankIdApiError:
    """The error of a non-2xx answer; bodies are not always JSON."""
    code: object = None
    details: object = ""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict):
        code = body.get("errorCode")
        details = body.get("details", "")
    if not isinstance(code, str) or not code:
        code = _CODES_BY_STATUS.get(response.status_code, "unknownError")
    return BankIdApiError(error_code=code, details=str(details)[:500], status_code=response.status_code)
