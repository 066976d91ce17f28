"""Ends citizens' sessions at their time limits, before any view sees them.

Runs after ``CsrfViewMiddleware`` (in ``process_view``), so a form it keeps from a timed-out session has
passed the CSRF check: a cross-site POST can neither keep a form nor extend a session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from minasidor.identity.expiry import remaining, session_touch
from minasidor.identity.session import SESSION_KEY, identity_expire

# Fields never kept from a form: the CSRF token belongs to the old session.
_NOT_KEPT = {"csrfmiddlewaretoken"}
_MAX_KEPT_FIELDS = 100


def session_passive(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose requests are not the citizen's activity (the timeout warning's poll)."""
    view.session_passive = True  # type: ignore[attr-defined]
    return view


class SessionExpiryMiddleware(MiddlewareMixin):
    """Idle and absolute limits on a logged-in session; every other request counts as activity.

    Only ``process_view`` (sync- and async-capable through the mixin; Django runs it in a thread under ASGI).
    """

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        session = request.session
        if SESSION_KEY not in session:
            return
        left = remaining(session)
        if left.seconds <= 0:
            kept = _kept_form(request) if request.method == "POST" else None
            identity_expire(request, ending=left.ending, kept_form=kept)
            request.session_ended = left.ending  # type: ignore[attr-defined]
        elif not getattr(view, "session_passive", False):
            session_touch(session)


def _kept_form(request: HttpRequest) -> dict[str, Any] | None:
    """What a timed-out form held (text fields only, no files), to give back after the next login."""
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    data = {key: request.POST.getlist(key) for key in list(request.POST)[:_MAX_KEPT_FIELDS] if key not in _NOT_KEPT}
    return {"path": request.path, "data": data} if data else None
