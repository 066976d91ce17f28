"""The portal's ASGI handler: Django's, except that the polling endpoints start no thread per request.

Django runs every ASGI request in its own "thread-sensitive context": the first time the request needs
synchronous code, a new thread is started for it. Even a request whose middleware and view are all
asynchronous still needs that thread twice, for Django's own request signals (``request_started``, and
``request_finished`` when the response is closed). Under load, starting a thread per request stalls the
event loop (``Thread.start`` waits until the new thread runs, and the loop thread holds the GIL), which at
1000 logins polling once a second was the largest cost left.

For the endpoints named in ``THREAD_FREE_URL_NAMES`` the handler skips that context: their few synchronous
calls (the signals, and the rare endings of a login) run on asgiref's one shared synchronous thread, which
exists already. Every other request is handled exactly as by Django. See docs/decisions/0070.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.urls import reverse
from django.utils import translation

THREAD_FREE_URL_NAMES = ("bankid:status",)


class PortalASGIHandler(ASGIHandler):
    """Django's ASGI handler with thread-free polling endpoints."""

    def __init__(self) -> None:
        super().__init__()
        self._thread_free_paths: frozenset[str] | None = None

    def thread_free_paths(self) -> frozenset[str]:
        """The paths of ``THREAD_FREE_URL_NAMES`` in every language (resolved on first use)."""
        if self._thread_free_paths is None:
            paths: set[str] = set()
            for language, _ in settings.LANGUAGES:
                with translation.override(language):
                    paths.update(reverse(name) for name in THREAD_FREE_URL_NAMES)
            self._thread_free_paths = frozenset(paths)
        return self._thread_free_paths

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("path") in self.thread_free_paths():
            await self.handle(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)
