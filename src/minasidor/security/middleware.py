"""Middleware of the security baseline: the Permissions-Policy header and rate limits by URL name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from minasidor.core.middleware import AsyncViewHook, WrappingMiddleware
from minasidor.security import ratelimit

logger = structlog.get_logger(__name__)


class PermissionsPolicyMiddleware(WrappingMiddleware):
    """Switches off the browser features no page uses (camera, microphone, geolocation, payment, ...)."""

    def leave(self, request: HttpRequest, response: HttpResponseBase, state: Any) -> None:
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)


class RateLimitMiddleware(AsyncViewHook, MiddlewareMixin):
    """Answers 429, in the reader's language, when a client asks a costly endpoint too often.

    The endpoints and their limits per minute are the setting ``RATE_LIMITS`` (URL name to limit). Only
    ``process_view``; in async chains it counts with the cache's async methods (no thread with the Redis
    cache of ``minasidor.core.cache``) and builds a refusal in a thread.
    """

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        name, limit = _limit_for(request)
        if limit is None or ratelimit.hit(request, scope=name, limit=limit):
            return None
        return _refusal(request, name)

    async def aprocess_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        name, limit = _limit_for(request)
        if limit is None or await ratelimit.ahit(request, scope=name, limit=limit):
            return None
        return await sync_to_async(_refusal, thread_sensitive=True)(request, name)


def _limit_for(request: HttpRequest) -> tuple[str, int | None]:
    match = request.resolver_match
    name = match.view_name if match else ""
    return name, settings.RATE_LIMITS.get(name)


def _refusal(request: HttpRequest, name: str) -> HttpResponse:
    logger.warning("ratelimit.exceeded", endpoint=name)
    message = _("You have made too many requests in a short time. Wait a minute and try again.")
    response: HttpResponse
    if request.headers.get("Accept", "").startswith("application/json") or name.endswith("status"):
        response = JsonResponse({"error": "too_many_requests", "message": message}, status=429)
    else:
        response = render(request, "security/error.html", _error_context(429, message), status=429)
    response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


def _error_context(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "page_title": _("Too many requests"), "message": message}
