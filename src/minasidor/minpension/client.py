"""A thin synchronous client for Min Pension's authority API (docs/minpension-contract.md).

Explicit timeouts on every call, a circuit breaker against outages, and no retries: reads are cheap to
ask again on the next page view, and the one write (registration) must never be sent twice by us.
Service-to-service authentication is mutual TLS: our organisation certificate, Min Pension's root pinned
(decision 0061). Personal numbers go only in request bodies, never in URLs or log lines.
"""

from __future__ import annotations

import dataclasses
import json
import ssl
import time
from pathlib import Path
from typing import Any

import httpx
import pybreaker
import structlog

from minasidor.minpension import parsing
from minasidor.minpension.errors import (
    MinPensionError,
    MinPensionRefusedError,
    MinPensionUnavailableError,
)
from minasidor.minpension.types import PensionHoldings, Registration, UserStatus

logger = structlog.get_logger(__name__)

ACCEPTANCES = ("assignmentAgreement", "powerOfAttorney", "personalDataConsent")


@dataclasses.dataclass(frozen=True, kw_only=True)
class MinPensionSettings:
    """Where Min Pension is and how to reach it. Certificate files are needed for an ``https`` URL."""

    base_url: str
    cert_file: Path | None = None
    key_file: Path | None = None
    ca_file: Path | None = None
    timeout_seconds: float = 3.0
    connect_timeout_seconds: float = 1.0
    breaker_fail_max: int = 5
    breaker_reset_seconds: float = 30.0


def _tls_context(settings: MinPensionSettings) -> ssl.SSLContext | bool:
    if not settings.base_url.startswith("https:"):
        return False
    if settings.ca_file is None or settings.cert_file is None or settings.key_file is None:
        raise ValueError("Min Pension over https needs our certificate, its key and Min Pension's root")
    context = ssl.create_default_context(cafile=str(settings.ca_file))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(settings.cert_file), str(settings.key_file))
    return context


def _is_not_outage(error: BaseException) -> bool:
    """A refusal (4xx) says nothing about Min Pension's health; it does not trip the breaker."""
    return isinstance(error, MinPensionRefusedError)


class MinPensionClient:
    """Talks to one Min Pension API. Create one per process (the breaker is per client); ``close()`` it."""

    def __init__(
        self,
        *,
        settings: MinPensionSettings,
        transport: httpx.BaseTransport | None = None,
        breaker: pybreaker.CircuitBreaker | None = None,
    ) -> None:
        self.settings = settings
        base_url = settings.base_url if settings.base_url.endswith("/") else f"{settings.base_url}/"
        timeout = httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds)
        verify = True if transport is not None else _tls_context(settings)
        self._http = httpx.Client(
            base_url=base_url, timeout=timeout, transport=transport, verify=verify, trust_env=False
        )
        self.breaker = breaker or pybreaker.CircuitBreaker(
            fail_max=settings.breaker_fail_max,
            reset_timeout=settings.breaker_reset_seconds,
            exclude=[_is_not_outage],
            throw_new_error_on_trip=False,
            name="minpension",
        )

    def user_status(self, personal_number: str) -> UserStatus:
        """Whether the person is a registered user who accepted the current terms."""
        return parsing.user_status(self._call("users/status", {"personalNumber": personal_number}))

    def user_register(self, personal_number: str, registration: Registration) -> UserStatus:
        """Register the person (or renew their acceptance) after their consent in Mina sidor. Never retried."""
        payload = {
            "personalNumber": personal_number,
            "termsVersion": registration.terms_version,
            "acceptances": dict.fromkeys(ACCEPTANCES, True),
            "consentReference": registration.consent_reference,
            "consentGivenAt": registration.consent_given_at.isoformat(),
        }
        return parsing.user_status(self._call("users/register", payload))

    def pensions(self, personal_number: str) -> PensionHoldings:
        """The person's occupational and private pensions with forecasts; refused unless registered."""
        return parsing.pension_holdings(self._call("pensions", {"personalNumber": personal_number}))

    def close(self) -> None:
        self._http.close()

    def _call(self, endpoint: str, payload: dict[str, Any]) -> dict[str, Any]:
        started = time.monotonic()
        try:
            with self.breaker.calling():
                response = self._send(endpoint, payload)
                if response.status_code >= 500:
                    raise MinPensionUnavailableError("serverError", status_code=response.status_code)
                if response.status_code >= 400:
                    raise MinPensionRefusedError(_error_code(response), status_code=response.status_code)
        except pybreaker.CircuitBreakerError:
            logger.warning("minpension.circuit_open", endpoint=endpoint)
            raise MinPensionUnavailableError("circuitOpen") from None
        except MinPensionError as error:
            logger.warning(
                "minpension.error",
                endpoint=endpoint,
                error_code=error.code,
                status_code=error.status_code,
                duration_ms=round((time.monotonic() - started) * 1000),
            )
            raise
        logger.info("minpension.call", endpoint=endpoint, duration_ms=round((time.monotonic() - started) * 1000))
        return parsing.json_object(response.content)

    def _send(self, endpoint: str, payload: dict[str, Any]) -> httpx.Response:
        content = json.dumps(payload, separators=(",", ":")).encode()
        try:
            return self._http.post(endpoint, content=content, headers={"Content-Type": "application/json"})
        except httpx.TimeoutException as error:
            raise MinPensionUnavailableError(f"timeout:{type(error).__name__}") from error
        except httpx.TransportError as error:
            raise MinPensionUnavailableError(f"transport:{type(error).__name__}") from error


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) and code else f"http{response.status_code}"
