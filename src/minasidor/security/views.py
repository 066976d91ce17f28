"""Error views of the security baseline."""

from __future__ import annotations

import structlog
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = structlog.get_logger(__name__)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF check failed), explained in the reader's language; the reason stays in the log."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def too_many_requests(
    request: HttpRequest, *, json: bool, retry_after: int, endpoint: str, message: str | None = None
) -> HttpResponse:
    """429 in the reader's language (JSON for a script, else a page), with ``Retry-After``; logged."""
    logger.warning("ratelimit.exceeded", endpoint=endpoint)
    if message is None:
        message = _("You have made too many requests in a short time. Wait a minute and try again.")
    response: HttpResponse
    if json:
        response = JsonResponse({"error": "too_many_requests", "message": message}, status=429)
    else:
        context = {"status": 429, "page_title": _("Too many requests"), "message": message}
        response = render(request, "security/error.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
