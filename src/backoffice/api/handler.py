"""The internal API as its own WSGI application: its own URLs and no portal middleware.

Run it beside the portal (``python -m backoffice.api --port 8001``) or on its own machine; tests call it
in-process through ``httpx.WSGITransport``. It shares the Django settings (databases, keys) but none of
the portal's middleware: no sessions, cookies, CSRF or language prefixes — the token is the only
credential.

Each request's ``X-Request-ID`` (the portal's id of the citizen's request) is bound to the log context, so
the back office's log lines carry the same id as the portal's; with tracing on, the request's span
continues the portal's trace (``traceparent``).
"""

from __future__ import annotations

import re
import time
from typing import Any

import structlog
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

from backoffice.api import metrics
from kernel import tracing

URLCONF = "backoffice.api.urls"
_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request: HttpRequest) -> str:
    """The caller's request id when well-formed, else ``-`` (never a value the caller could shape freely)."""
    offered = request.headers.get("X-Request-ID", "")
    return offered if _WELL_FORMED_REQUEST_ID.fullmatch(offered) else "-"


class InternalApiHandler(WSGIHandler):
    """Django's WSGI handler with the internal API's URLs and an empty middleware chain."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        setattr(request, "urlconf", URLCONF)  # noqa: B010 - the stubs do not declare it
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id_of(request)):
            response = super().get_response(request)
        metrics.request_observe(request, response, time.perf_counter() - started)
        return response


def application() -> Any:
    """A new WSGI application of the internal API (Django must be set up); traced when tracing is on."""
    handler = InternalApiHandler()
    if not tracing.enabled():
        return handler
    from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware  # noqa: PLC0415 - only when on

    return OpenTelemetryMiddleware(handler)
