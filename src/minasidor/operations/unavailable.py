"""The portal's answer to an error: "not available right now" (503) when a store of its own is away.

When PostgreSQL or Redis cannot be reached (restarting, stopped, cut off), or a disk is full, a page cannot
be served right, and it is no fault of the citizen's nor a bug to report: the portal answers 503 with
``Retry-After`` and a page saying, in the citizen's language, that Mina sidor is not available right now and
nothing they did is lost. Every other unexpected error keeps Django's 500 page (``500.html``). Neither page
shows details.
"""

from __future__ import annotations

import errno
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
# A disk with no room left (a large attachment is written to a temporary file while the request is read):
# nothing can be saved just now, and it passes once there is room again (decision 0252).
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is a database or Redis that cannot be reached, or a full disk."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OUTAGES):
            return True
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _uploads_discard(request: HttpRequest) -> None:
    """Remove the temporary files of the request's attachments now: on a full disk, one cut short would stay
    until the garbage collector breaks the failed request's reference cycle, holding space (decision 0252)."""
    for handler in request.__dict__.get("_upload_handlers", ()):
        if hasattr(handler, "upload_interrupted"):
            handler.upload_interrupted()


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 "not available right now" for an outage of the portal's stores, else the 500 page."""
    _uploads_discard(request)
    if is_outage(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("operations/unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
