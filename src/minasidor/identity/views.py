"""Logging out. (Each login method has its own views under ``contrib/``.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from minasidor.identity.session import identity_logout


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the session on the server, then show that it has ended (redirect after POST)."""
    identity_logout(request)
    return redirect("identity:logged-out")


@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    """The page that confirms the session has ended."""
    return render(request, "identity/logged_out.html", {"page_title": _("You are logged out")})
