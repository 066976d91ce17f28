"""Fixtures for the registers: both implementations, the demo persons in the back office."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from backoffice.api.handler import InternalApiHandler
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from minasidor.registers.http import HttpRegisters
from minasidor.registers.in_process import InProcessRegisters
from minasidor.registers.types import Registers

API_BASE_URL = "http://127.0.0.1/internal/v1/"
# A test-only key pair for service tokens (the settings' development pair is used by default too).
TEST_SIGNING_KEY = "0NvzfLWxJjrerYR5Z+1/nyHAdTAHK1pQZh1HwEU9WJ0="


@pytest.fixture
def internal_api() -> Iterator[InternalApiHandler]:
    """The back office's internal API as a WSGI app, called in this thread (it sees the test's data)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield InternalApiHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def http_registers(app: InternalApiHandler, **kwargs: object) -> HttpRegisters:
    """The HTTP implementation talking to ``app`` in-process."""
    return HttpRegisters(
        base_url=API_BASE_URL,
        signing_key=TEST_SIGNING_KEY,
        timeout_seconds=2.0,
        transport=httpx.WSGITransport(app=app),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(params=["in_process", "http"])
def registers(request: pytest.FixtureRequest, internal_api: InternalApiHandler) -> Registers:
    """Each implementation of the registers in turn: the contract suite runs against both."""
    if request.param == "http":
        return http_registers(internal_api)
    return InProcessRegisters()


@pytest.fixture
def demo_register(frozen_clock: clock.FrozenClock) -> None:
    """The demo persons, with their incomes, statements, pensions and customer records."""
    demo_persons_create()
