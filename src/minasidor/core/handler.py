"""The portal's ASGI handler: Django's, except that the polling endpoints start no thread per request.

Django runs every ASGI request in its own "thread-sensitive context": the first time the request needs
synchronous code, a new thread is started for it. Even a request whose middleware and view are all
asynchronous still needs that thread twice, for Django's own request signals (``request_started``, and
``request_finished`` when the response is closed). Under load, starting a thread per request stalls the
event loop (``Thread.start`` waits until the new thread runs, and the loop thread holds the GIL), which at
1000 logins polling once a second was the largest cost left.

For the endpoints named in ``THREAD_FREE_URL_NAMES`` (the status poll and the QR picture the other-device
page loads every second) the handler skips that context: their few synchronous
calls (the signals, and the rare endings of a login) run on asgiref's one shared synchronous thread, which
exists already. Every other request is handled exactly as by Django. See docs/decisions/0070.

It also sheds load on those endpoints: with ``POLLS_IN_FLIGHT_MAX`` of them already in progress in this
worker, a further one is answered at once with 503 and ``Retry-After`` (the login page then waits), before
any middleware, session or BankID call. Otherwise an overloaded worker queues polls until they time out,
and its own queueing makes BankID's answers late enough to open the circuit breaker (decision 0072).

And it caps every request's body, on every route, before Django reads it: Django's ASGI handler spools the
whole body (to disk past a point) before any middleware runs, and its own size settings only apply to
parsed forms, not to file parts or to a view that reads the body itself. A body announced larger than
``REQUEST_BODY_MAX_BYTES`` is answered 413 at once, unread; one that grows past it while arriving (no or a
false ``Content-Length``) is cut off and answered 413 as well.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.urls import reverse
from django.utils import translation

from minasidor.core import metrics

THREAD_FREE_URL_NAMES = ("bankid:status", "bankid:qr")
# The full way through Django, as the lean path of a route calls it when it does not answer itself.
FullPath = Callable[[dict[str, Any], Any, Any], Awaitable[Any]]
LeanPath = Callable[[dict[str, Any], Any, Any, FullPath], Awaitable[None]]
_lean_paths: dict[str, LeanPath] = {}
SHED_RETRY_AFTER_SECONDS = 2
SHED_LOG_INTERVAL_SECONDS = 10.0
# A 503 with no content worth framing or sniffing; the headers the portal's responses carry.
_SHED_HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"no-store"),
    (b"retry-after", str(SHED_RETRY_AFTER_SECONDS).encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]
_SHED_BODY = b'{"state": "busy", "next": null}'

logger = structlog.get_logger(__name__)


def lean_path_add(url_name: str, lean: LeanPath) -> None:
    """Let ``lean`` answer the requests of ``url_name`` (one of ``THREAD_FREE_URL_NAMES``) ahead of Django.

    ``lean(scope, receive, send, full)`` answers the cases it was built for and hands every other request to
    ``full``, Django's whole way (decision 0205). A feature registers its lean path from its ``ready()``; the
    setting ``LEAN_STATUS_POLL`` switches them all off.
    """
    if url_name not in THREAD_FREE_URL_NAMES:
        raise ValueError(f"{url_name} is not a thread-free URL name")
    _lean_paths[url_name] = lean


class PortalASGIHandler(ASGIHandler):
    """Django's ASGI handler with thread-free polling endpoints."""

    def __init__(self) -> None:
        super().__init__()
        self._thread_free_paths: frozenset[str] | None = None
        self._names: dict[str, str] = {}
        self.polls_in_flight = 0
        self._shed = 0
        self._shed_logged_at = 0.0

    def thread_free_paths(self) -> frozenset[str]:
        """The paths of ``THREAD_FREE_URL_NAMES`` in every language (resolved on first use)."""
        if self._thread_free_paths is None:
            names: dict[str, str] = {}
            for language, _ in settings.LANGUAGES:
                with translation.override(language):
                    names.update((reverse(name), name) for name in THREAD_FREE_URL_NAMES)
            self._names = names
            self._thread_free_paths = frozenset(names)
        return self._thread_free_paths

    def lean_path(self, path: str) -> LeanPath | None:
        """The lean path registered for this (thread-free) path, if any and if lean paths are on."""
        if not settings.LEAN_STATUS_POLL:
            return None
        self.thread_free_paths()
        name = self._names.get(path)
        return _lean_paths.get(name) if name else None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if _announced_length(scope) > settings.REQUEST_BODY_MAX_BYTES:
            await _too_large(send)
            return
        if scope.get("path") not in self.thread_free_paths():
            await self._capped(super().__call__, scope, receive, send)
            return
        if self.polls_in_flight >= settings.POLLS_IN_FLIGHT_MAX:
            await self._shed_load(send)
            return
        self.polls_in_flight += 1
        try:
            lean = self.lean_path(scope["path"])
            if lean is None:
                await self.capped_handle(scope, receive, send)
            else:  # it reads no body; what it hands on is capped
                await lean(scope, receive, send, self.capped_handle)
        finally:
            self.polls_in_flight -= 1

    async def capped_handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Django's handling of a request whose body is capped (``REQUEST_BODY_MAX_BYTES``)."""
        await self._capped(self.handle, scope, receive, send)

    @staticmethod
    async def _capped(handle: FullPath, scope: dict[str, Any], receive: Any, send: Any) -> None:
        receive, send, over = _capped(receive, send, settings.REQUEST_BODY_MAX_BYTES)
        await handle(scope, receive, send)
        if over.is_set() and not over.responded:
            await _too_large(send)

    async def _shed_load(self, send: Any) -> None:
        """Answer 503 at once, asking the page to come back later; log how many, now and then."""
        self._shed += 1
        metrics.POLLS_SHED.inc()
        now = time.monotonic()
        if now - self._shed_logged_at >= SHED_LOG_INTERVAL_SECONDS:
            logger.warning("polls.shed", shed=self._shed, in_flight=self.polls_in_flight)
            self._shed, self._shed_logged_at = 0, now
        headers = [*_SHED_HEADERS, (b"content-length", str(len(_SHED_BODY)).encode())]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": _SHED_BODY})


class _Over:
    """Whether a body went past the cap, and whether a response was started anyway."""

    def __init__(self) -> None:
        self._set = False
        self.responded = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


def _announced_length(scope: dict[str, Any]) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


def _capped(receive: Any, send: Any, limit: int) -> tuple[Any, Any, _Over]:
    """``receive`` that ends the request (as if the client left) once more than ``limit`` bytes came, and
    ``send`` that notes whether a response was started."""
    over = _Over()
    seen = 0

    async def capped_receive() -> dict[str, Any]:
        nonlocal seen
        if over.is_set():
            return {"type": "http.disconnect"}
        message: dict[str, Any] = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                over.set()
                logger.warning("request.body_too_large", received=seen, limit=limit)
                return {"type": "http.disconnect"}
        return message

    async def noting_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            over.responded = True
        await send(message)

    return capped_receive, noting_send, over


async def _too_large(send: Any) -> None:
    """413 with no body worth framing or sniffing; the request's body is not read."""
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *_SHED_HEADERS[1:2], *_SHED_HEADERS[3:]]
    await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": b"Request body too large.\n"})
