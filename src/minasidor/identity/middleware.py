"""Ends citizens' sessions at their time limits, before any view sees them.

Runs after ``CsrfViewMiddleware`` (in ``process_view``), so a form it keeps from a timed-out session has
passed the CSRF check: a cross-site POST can neither keep a form nor extend a session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from minasidor.core.middleware import AsyncViewHook
from minasidor.identity.expiry import Remaining, remaining, session_touch
from minasidor.identity.session import SESSION_KEY, current_identity, identity_expire
from minasidor.security import counters

# Fields never kept from a form: the CSRF token belongs to the old session.
_NOT_KEPT = {"csrfmiddlewaretoken"}
_MAX_KEPT_FIELDS = 100


def session_passive(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose requests are not the citizen's activity (the timeout warning's poll)."""
    view.session_passive = True  # type: ignore[attr-defined]
    return view


class SessionExpiryMiddleware(AsyncViewHook, MiddlewareMixin):
    """Idle and absolute limits on a logged-in session; every other request counts as activity.

    Only ``process_view``. In async chains it reads the session with the store's async methods and needs
    no thread, except to end a session (the access log is written to the database).
    """

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if SESSION_KEY in request.session:
            _apply(request, view, remaining(request.session))

    async def aprocess_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if not await request.session.ahas_key(SESSION_KEY):
            return
        left = remaining(request.session)
        if left.seconds <= 0:
            await sync_to_async(_apply, thread_sensitive=True)(request, view, left)
        else:
            _apply(request, view, left)


def _apply(request: HttpRequest, view: Callable[..., Any], left: Remaining) -> None:
    """End the session at its limit, or count this request as activity (unless the view is passive)."""
    if left.seconds <= 0:
        kept = _kept_form(request) if request.method == "POST" else None
        identity_expire(request, ending=left.ending, kept_form=kept)
        request.session_ended = left.ending  # type: ignore[attr-defined]
    else:
        identity = current_identity(request)
        if identity is not None:
            counters.person_set(request, identity.pseudonym)
        if not getattr(view, "session_passive", False):
            session_touch(request.session)


def _kept_form(request: HttpRequest) -> dict[str, Any] | None:
    """What a timed-out form held (text fields only, no files), to give back after the next login."""
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    data = {key: request.POST.getlist(key) for key in list(request.POST)[:_MAX_KEPT_FIELDS] if key not in _NOT_KEPT}
    return {"path": request.path, "data": data} if data else None
