"""The internal API as its own WSGI application: its own URLs and no portal middleware.

Run it beside the portal (``python -m backoffice.api --port 8001``) or on its own machine; tests call it
in-process through ``httpx.WSGITransport``. It shares the Django settings (databases, keys) but none of
the portal's middleware: no sessions, cookies, CSRF or language prefixes — the token is the only
credential.
"""

from __future__ import annotations

from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

URLCONF = "backoffice.api.urls"


class InternalApiHandler(WSGIHandler):
    """Django's WSGI handler with the internal API's URLs and an empty middleware chain."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        setattr(request, "urlconf", URLCONF)  # noqa: B010 - the stubs do not declare it
        return super().get_response(request)


def application() -> InternalApiHandler:
    """A new WSGI application of the internal API (Django must be set up)."""
    return InternalApiHandler()
