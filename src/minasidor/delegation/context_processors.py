"""Tells every page that its session acts for someone, for the banner that says so (decision 0180)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from minasidor.identity.session import acting_of


def acting(request: HttpRequest) -> dict[str, Any]:
    """``acting_for`` (the name of the person acted for) while the session acts for someone, and ``menu_only``
    (the pages the power opens, set by the acting guard on this request); no query."""
    if getattr(request, "session", None) is None:
        return {}
    data = acting_of(request)
    if data is None:
        return {}
    name = " ".join(part for part in (data.get("given_name", ""), data.get("family_name", "")) if part)
    context: dict[str, Any] = {"acting_for": name}
    opened = getattr(request, "acting_pages_open", None)
    if opened is not None:
        context["menu_only"] = opened  # the menu lists only the pages the power opens
    return context
