"""Tells every page that its session acts for someone, for the banner that says so (decision 0180)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from minasidor.identity.session import acting_of


def acting(request: HttpRequest) -> dict[str, Any]:
    """``acting_for`` (the name of the person acted for) while the session acts for someone; no query."""
    if getattr(request, "session", None) is None:
        return {}
    data = acting_of(request)
    if data is None:
        return {}
    name = " ".join(part for part in (data.get("given_name", ""), data.get("family_name", "")) if part)
    return {"acting_for": name}
