"""Django's own middleware, run in the event loop (no thread) in async chains when their hooks do no I/O.

Django's ``MiddlewareMixin`` runs every ``process_request``/``process_response`` of an async chain in a
thread (``sync_to_async``), and the handler does the same with every synchronous ``process_view``: under
ASGI a request crosses into a thread for each of them, and every request's first crossing starts a new
thread. Most of these hooks only read headers and set a few: they are safe to call straight from the event
loop. The classes here are Django's (and django-csp's) middleware unchanged in synchronous chains; in
async chains they call those same hooks inline, and cross into a thread only where a hook may do I/O (a
session or messages that must be stored, an unsafe-method CSRF check that reads the body).

Only middleware whose hooks were read and found free of blocking I/O belong here; see
docs/decisions/0070-status-poll-without-threads.md. A hook that raises behaves as in Django's mixin
(``convert_exception_to_response`` wraps each middleware either way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware as _XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware as _CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware as _CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware as _LocaleMiddleware
from django.middleware.security import SecurityMiddleware as _SecurityMiddleware

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class Inline:
    """Mixin for a ``MiddlewareMixin`` subclass: in async chains, call its hooks without a thread.

    ``response_in_thread`` says, per response, whether ``process_response`` must still run in a thread.
    """

    get_response: Callable[[HttpRequest], Any]

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase | None = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        if response is None:
            response = await self.get_response(request)
        if hasattr(self, "process_response"):
            if self.response_in_thread(request, response):
                response = await sync_to_async(self.process_response, thread_sensitive=True)(request, response)
            else:
                response = self.process_response(request, response)
        assert response is not None  # noqa: S101 - every chain ends in a response
        return response

    def response_in_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return False


class SecurityMiddleware(Inline, _SecurityMiddleware):
    """Django's SecurityMiddleware (headers and the HTTPS redirect: no I/O)."""


class CSPMiddleware(Inline, _CSPMiddleware):
    """django-csp's middleware (a nonce and a header: no I/O)."""


class LocaleMiddleware(Inline, _LocaleMiddleware):
    """Django's LocaleMiddleware (language from the path, cookie or header; catalogues read once)."""


class CommonMiddleware(Inline, _CommonMiddleware):
    """Django's CommonMiddleware (host check, slash redirect by URL resolution, Content-Length)."""


class AuthenticationMiddleware(Inline, _AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (sets lazy ``request.user``; the user is read only when used)."""


class XFrameOptionsMiddleware(Inline, _XFrameOptionsMiddleware):
    """Django's XFrameOptionsMiddleware (one header)."""


class MessageMiddleware(Inline, _MessageMiddleware):
    """Django's MessageMiddleware; storing messages (session, cookie) still runs in a thread."""

    def response_in_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and bool(storage.used or storage.added_new)


class CsrfViewMiddleware(Inline, _CsrfViewMiddleware):
    """Django's CSRF middleware. Safe methods are accepted without a thread; unsafe ones read the body and
    are checked in a thread as before. With ``CSRF_USE_SESSIONS`` (the token in the session) every hook
    runs in a thread."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        if iscoroutinefunction(get_response):
            self.__dict__["process_view"] = self._aprocess_view

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.CSRF_USE_SESSIONS:
            response: HttpResponseBase = await _CsrfViewMiddleware.__acall__(self, request)
            return response
        return await super().__acall__(request)

    async def _aprocess_view(
        self, request: HttpRequest, callback: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponseBase | None:
        check = _CsrfViewMiddleware.process_view
        if request.method in SAFE_METHODS and not settings.CSRF_USE_SESSIONS:
            return check(self, request, callback, args, kwargs)
        return await sync_to_async(check, thread_sensitive=True)(self, request, callback, args, kwargs)


class SessionMiddleware(Inline, _SessionMiddleware):
    """Django's SessionMiddleware. A session that changed is stored with the store's async ``asave`` (no
    thread with the Redis cache of :mod:`minasidor.core.cache`; the database store still uses one), then
    Django's own ``process_response`` sets the cookie and headers. An unchanged session costs no I/O."""

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        self.process_request(request)
        response: Any = await self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and self._must_store(session, response):
            try:
                await session.asave()
            except UpdateError as error:
                raise SessionInterrupted(
                    "The session was deleted before the request completed (a logout in a concurrent request)."
                ) from error
            session.save = _already_stored  # Django's hook below would store it a second time
        stored: HttpResponseBase = self.process_response(request, response)
        return stored

    @staticmethod
    def _must_store(session: Any, response: HttpResponseBase) -> bool:
        """When Django's ``process_response`` stores the session: changed (or always), not empty, no 5xx."""
        changed = session.modified or settings.SESSION_SAVE_EVERY_REQUEST
        return bool(changed and not session.is_empty() and response.status_code < 500)


def _already_stored(must_create: bool = False) -> None:
    """Stands in for ``session.save`` once the session was stored asynchronously."""
