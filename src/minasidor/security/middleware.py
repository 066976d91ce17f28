"""Middleware of the security baseline: the Permissions-Policy header and rate limits by URL name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

from minasidor.core.middleware import AsyncViewHook, WrappingMiddleware
from minasidor.security import counters
from minasidor.security.views import too_many_requests

logger = structlog.get_logger(__name__)

WINDOW = 60


class PermissionsPolicyMiddleware(WrappingMiddleware):
    """Switches off the browser features no page uses (camera, microphone, geolocation, payment, ...)."""

    def leave(self, request: HttpRequest, response: HttpResponseBase, state: Any) -> None:
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)


class RateLimitMiddleware(AsyncViewHook, MiddlewareMixin):
    """Answers 429, in the reader's language, when a client asks a costly endpoint too often.

    The endpoints and their limits per minute are the setting ``RATE_LIMITS`` (URL name to limit), counted
    by :mod:`minasidor.security.counters` per logged-in person, or per client address before login (never per
    session). Only
    ``process_view``; in async chains it counts with the cache's async methods (no thread with the Redis
    cache of ``minasidor.core.cache``) and builds a refusal in a thread.
    """

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        name, limit = _limit_for(request)
        if limit is None or counters.hit(**_counted(request, name, limit)):
            return None
        return too_many_requests(request, json=_wants_json(request, name), retry_after=WINDOW, endpoint=name)

    async def aprocess_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        name, limit = _limit_for(request)
        if limit is None:
            return None
        if await counters.ahit_once(**_counted(request, name, limit), precount=counters.precount_take(request)):
            return None
        return await sync_to_async(too_many_requests, thread_sensitive=True)(
            request, json=_wants_json(request, name), retry_after=WINDOW, endpoint=name
        )


def _limit_for(request: HttpRequest) -> tuple[str, int | None]:
    match = request.resolver_match
    name = match.view_name if match else ""
    return name, settings.RATE_LIMITS.get(name)


def _counted(request: HttpRequest, name: str, limit: int) -> dict[str, Any]:
    return {
        "scope": counters.url_scope(name),
        "subject": counters.subject(request),
        "limit": limit,
        "window_seconds": WINDOW,
    }


def _wants_json(request: HttpRequest, name: str) -> bool:
    return request.headers.get("Accept", "").startswith("application/json") or name.endswith("status")
