"""Middleware every request passes through, and the base for light middleware of our own.

Every middleware in the chain is both sync- and async-capable (a test checks), so that under ASGI the chain
stays asynchronous and async views (the BankID status endpoint) never wait inside Django's single thread
for synchronous code (see docs/decisions/0007).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from minasidor.core import request_id

GetResponse = Callable[[HttpRequest], HttpResponseBase] | Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class WrappingMiddleware:
    """A middleware that does a little work around the rest of the chain, in sync and async chains alike,
    without a hop to another thread. Subclasses override the three hooks; none of them may do I/O."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def enter(self, request: HttpRequest) -> Any:
        """Before the rest of the chain; what it returns is handed to the other hooks."""

    def leave(self, request: HttpRequest, response: HttpResponseBase, state: Any) -> None:
        """After the rest of the chain answered."""

    def close(self, state: Any) -> None:
        """Always, last, even when the rest of the chain raised."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self._acall(request)
        state = self.enter(request)
        try:
            response = self.get_response(request)
            assert isinstance(response, HttpResponseBase)  # noqa: S101 - the sync chain returns responses
            self.leave(request, response, state)
            return response
        finally:
            self.close(state)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        state = self.enter(request)
        try:
            response: HttpResponseBase = await self.get_response(request)  # type: ignore[misc]
            self.leave(request, response, state)
            return response
        finally:
            self.close(state)


class AsyncViewHook:
    """Mixin for a ``MiddlewareMixin`` with ``process_view`` and ``aprocess_view``: in async chains Django
    awaits ``aprocess_view`` instead of running ``process_view`` in a thread (it adapts the hook it finds,
    and a coroutine function needs no adapting). Put it before ``MiddlewareMixin`` in the bases."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)  # type: ignore[call-arg]
        if iscoroutinefunction(get_response):
            self.__dict__["process_view"] = self.aprocess_view

    async def aprocess_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponseBase | None:
        raise NotImplementedError


class RequestIdMiddleware(WrappingMiddleware):
    """Gives each request an id, binds it to the log context, and returns it in ``X-Request-ID``."""

    def enter(self, request: HttpRequest) -> Any:
        return request_id.enter(request.headers.get("X-Request-ID"))

    def leave(self, request: HttpRequest, response: HttpResponseBase, state: Any) -> None:
        response["X-Request-ID"] = state[0]

    def close(self, state: Any) -> None:
        request_id.leave(state)
