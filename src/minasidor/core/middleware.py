"""Middleware every request passes through. Each is both sync- and async-capable, so that under ASGI the
chain stays asynchronous and async views (the BankID status endpoint) never wait inside Django's single
thread for synchronous code (see docs/decisions/0007)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

from minasidor.core import request_id

logger = structlog.get_logger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse] | Callable[[HttpRequest], Awaitable[HttpResponse]]


class RequestIdMiddleware:
    """Gives each request an id, binds it to the log context, and returns it in ``X-Request-ID``."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self._acall(request)
        rid = request_id.accept_or_create(request.headers.get("X-Request-ID"))
        token = request_id.bind(rid)
        structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            response = self.get_response(request)
            assert isinstance(response, HttpResponse)  # noqa: S101 - the sync chain returns responses
            response["X-Request-ID"] = rid
            return response
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            request_id.reset(token)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.accept_or_create(request.headers.get("X-Request-ID"))
        token = request_id.bind(rid)
        structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            response = await self.get_response(request)  # type: ignore[misc]
            response["X-Request-ID"] = rid
            return response  # type: ignore[no-any-return]
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            request_id.reset(token)
