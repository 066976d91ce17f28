"""Values page templates need about the citizen's session: when to warn that it is about to end."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from minasidor.identity.expiry import remaining
from minasidor.identity.session import SESSION_KEY


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """``session_timeout`` (seconds left, when to warn) on pages of a logged-in session; nothing otherwise."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return {}
    return {
        "session_timeout": {
            "remaining": max(remaining(session).seconds, 0),
            "warn": settings.SESSION_WARNING_SECONDS,
        }
    }
