"""Values every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The authority's name, for the header, title and footer."""
    return {"authority_name": settings.AUTHORITY_NAME}
