"""The portal's answer to an error: "not available right now" (503) when a store of its own is away.

When PostgreSQL or Redis cannot be reached (restarting, stopped, cut off), a page cannot be served right,
and it is no fault of the citizen's nor a bug to report: the portal answers 503 with ``Retry-After`` and a
page saying, in the citizen's language, that Mina sidor is not available right now and nothing they did is
lost. Every other unexpected error keeps Django's 500 page (``500.html``). Neither page shows details.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is a database or Redis that cannot be reached."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OUTAGES):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 "not available right now" for an outage of the portal's stores, else the 500 page."""
    if is_outage(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("operations/unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
