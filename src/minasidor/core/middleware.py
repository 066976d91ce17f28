"""Middleware every request passes through."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse

from minasidor.core import request_id

logger = structlog.get_logger(__name__)


class RequestIdMiddleware:
    """Gives each request an id, binds it to the log context, and returns it in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.accept_or_create(request.headers.get("X-Request-ID"))
        token = request_id.bind(rid)
        structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            return response
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            request_id.reset(token)
