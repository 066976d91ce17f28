"""The citizen's landing page after login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity


@require_safe
@citizen_required
def home(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Who is logged in, and what they can do here."""
    return render(request, "overview/home.html", {"identity": identity, "page_title": _("My pages")})
