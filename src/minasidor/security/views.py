"""Error views of the security baseline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF check failed), explained in the reader's language; the reason stays in the log."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
