"""Requirement: the HTTP registers time out, retry only the idempotent read, and open a circuit breaker.

A fake back office (httpx.MockTransport) answers with failures; the tests count the requests it sees.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pybreaker
import pytest

from kernel import clock
from kernel.personal_number import PersonalNumber
from kernel.service_tokens import public_key, token_verify
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers.http import HttpRegisters
from minasidor.registers.tests.conftest import API_BASE_URL, TEST_SIGNING_KEY
from minasidor.registers.types import RegistersUnavailableError, TaxSettingsChange

KARIN = PersonalNumber("196201082697")
AGENT = Principal(kind=PrincipalKind.AGENT, ref="staff-1")
TEST_PUBLIC_KEY = "Cn1ffXoxfKund/L0QRa+Tc543N1HpfNPUBpJWJw0nYw="


def registers_answering(status: int | Exception, seen: list[httpx.Request], **kwargs: object) -> HttpRegisters:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(status, Exception):
            raise status
        return httpx.Response(status, json={"error": "x", "message": "x"})

    return HttpRegisters(
        base_url=API_BASE_URL,
        signing_key=TEST_SIGNING_KEY,
        timeout_seconds=0.5,
        transport=httpx.MockTransport(answer),
        retry_pause_seconds=0.0,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("failure", [503, 502, httpx.ReadTimeout("slow"), httpx.ConnectError("refused")])
def test_the_snapshot_read_is_retried_twice(failure: int | Exception) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(RegistersUnavailableError):
        registers_answering(failure, seen).person_snapshot(AGENT, KARIN)
    assert len(seen) == 3


def test_a_plain_server_error_is_not_retried() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(RegistersUnavailableError):
        registers_answering(500, seen).person_snapshot(AGENT, KARIN)
    assert len(seen) == 1


@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout("slow")])
def test_writes_are_never_retried(failure: int | Exception) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(RegistersUnavailableError):
        registers_answering(failure, seen).tax_settings_update(AGENT, KARIN, TaxSettingsChange(Decimal(0), None))
    assert len(seen) == 1


def test_the_circuit_opens_after_five_failures_and_stops_calling() -> None:
    seen: list[httpx.Request] = []
    breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)
    registers = registers_answering(500, seen, breaker=breaker)
    for _ in range(5):
        with pytest.raises(RegistersUnavailableError):
            registers.person_snapshot(AGENT, KARIN)
    assert breaker.current_state == pybreaker.STATE_OPEN
    calls = len(seen)
    with pytest.raises(RegistersUnavailableError, match="circuit open"):
        registers.person_snapshot(AGENT, KARIN)
    assert len(seen) == calls


def test_each_request_carries_a_token_for_itself_and_the_subject_header() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(RegistersUnavailableError):
        registers_answering(500, seen).person_snapshot(AGENT, KARIN)
    request = seen[0]
    assert request.headers["X-Personal-Number"] == KARIN.value
    assert KARIN.value not in str(request.url)
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = token_verify(
        token,
        [public_key(TEST_PUBLIC_KEY)],
        method="GET",
        path="/internal/v1/person/snapshot",
        now=clock.now().timestamp(),
    )
    assert (claims.principal_kind, claims.principal_ref, claims.service) == ("agent", "staff-1", "portal")


def test_a_refused_service_token_is_the_back_office_unreachable_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    """Decision 0253: with this host's clock minutes apart from the back office's, every token is refused
    (401). The citizen is told the back office cannot be reached (not the 500 page), the call is not repeated,
    and the operator reads why in the log."""
    seen: list[httpx.Request] = []
    with pytest.raises(RegistersUnavailableError, match="refused our service token"):
        registers_answering(401, seen).person_snapshot(AGENT, KARIN)
    assert len(seen) == 1, "a refused token is not retried"
    assert "registers.token_refused" in caplog.text
    assert "clocks" in caplog.text
