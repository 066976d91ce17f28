"""Requirement: one trace follows a citizen's request from the portal through the back office's API, and the
back office's log lines carry the portal's request id.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import structlog
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from backoffice.api.handler import InternalApiHandler, request_id_of
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.core import request_id
from minasidor.registers.http import HttpRegisters

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

KARIN = PersonalNumber("196201082697")
TEST_SIGNING_KEY = "0NvzfLWxJjrerYR5Z+1/nyHAdTAHK1pQZh1HwEU9WJ0="  # test-only, the settings' development key


@pytest.fixture
def same_thread_api() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class _Recording(InternalApiHandler):
    """The API's handler, remembering the log context each request was served in."""

    seen: list[dict[str, Any]]

    def _get_response(self, request: Any) -> Any:
        self.seen.append(structlog.contextvars.get_contextvars())
        return super()._get_response(request)  # type: ignore[misc]


def _elsewhere(app: Any) -> Any:
    """``app`` run in a fresh context, as in its own process: only the headers carry the trace and the id."""

    def run(environ: Any, start_response: Any) -> Any:
        return contextvars.Context().run(lambda: list(app(environ, start_response)))

    return run


def test_the_trace_and_the_request_id_go_on_in_the_back_office(
    same_thread_api: None, frozen_clock: clock.FrozenClock
) -> None:
    demo_persons_create()
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    api = _Recording()
    api.seen = []
    registers = HttpRegisters(
        base_url="http://127.0.0.1/internal/v1/",
        signing_key=TEST_SIGNING_KEY,
        timeout_seconds=2.0,
        transport=httpx.WSGITransport(app=_elsewhere(OpenTelemetryMiddleware(api, tracer_provider=provider))),
    )
    token = request_id.bind("portal-request-1234")
    try:
        with provider.get_tracer("test").start_as_current_span("portal request") as portal_span:
            registers.person_snapshot(Principal(PrincipalKind.CITIZEN, "pseudonym"), KARIN)
    finally:
        request_id.reset(token)
    server_spans = [span for span in exporter.get_finished_spans() if span.kind is SpanKind.SERVER]
    assert len(server_spans) == 1
    server = server_spans[0]
    assert server.context.trace_id == portal_span.get_span_context().trace_id
    assert server.parent is not None
    assert server.parent.span_id == portal_span.get_span_context().span_id
    assert "196201082697" not in str(server.attributes), "a span names no person"
    assert api.seen[0]["request_id"] == "portal-request-1234"


def test_a_malformed_request_id_is_not_taken() -> None:
    class _Request:
        def __init__(self, offered: str) -> None:
            self.headers = {"X-Request-ID": offered}

    assert request_id_of(_Request("a b\nc")) == "-"  # type: ignore[arg-type]
    assert request_id_of(_Request("portal-request-1234")) == "portal-request-1234"  # type: ignore[arg-type]
