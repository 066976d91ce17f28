"""Logging out, and the session's time limits: time left, extending, and the page that says it ended.

(Each login method has its own views under ``contrib/``.)
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from minasidor.identity.expiry import Ending, remaining
from minasidor.identity.middleware import session_passive
from minasidor.identity.session import ENDED_KEY, KEPT_FORM_KEY, current_identity, identity_logout


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the session on the server, then show that it has ended (redirect after POST)."""
    identity_logout(request)
    return redirect("identity:logged-out")


@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    """The page that confirms the session has ended."""
    return render(request, "identity/logged_out.html", {"page_title": _("You are logged out")})


def _time_left(request: HttpRequest) -> JsonResponse:
    if current_identity(request) is None:
        body: dict[str, object] = {"active": False, "remaining": 0, "ending": None}
    else:
        left = remaining(request.session)
        body = {"active": left.seconds > 0, "remaining": max(left.seconds, 0), "ending": left.ending.value}
    body["warn"] = settings.SESSION_WARNING_SECONDS
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@session_passive
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left in the session, for the timeout warning; asking is not activity."""
    return _time_left(request)


@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """Stay logged in: the request itself is activity (the middleware restarted the idle limit).

    The warning's script asks for JSON; without JavaScript the form returns to the page it was on.
    """
    if request.headers.get("Accept", "").startswith("application/json"):
        return _time_left(request)
    if current_identity(request) is None:
        return redirect("identity:session-ended")
    back = request.POST.get("next", "")
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A literal path, never a name for redirect() to resolve (a bare word would be looked up as a URL name).
    return HttpResponseRedirect(back if safe else reverse("pensions:home"))


@require_safe
def session_ended(request: HttpRequest) -> HttpResponse:
    """The page that says the session ended by itself, why, and that a form's contents were kept."""
    if current_identity(request) is not None:
        return redirect("pensions:home")
    ending = request.session.get(ENDED_KEY)
    context = {
        "page_title": _("Your session has ended"),
        "idle": ending == Ending.IDLE.value,
        "absolute": ending == Ending.ABSOLUTE.value,
        "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        "form_kept": KEPT_FORM_KEY in request.session,
    }
    response = render(request, "identity/session_ended.html", context)
    response["Cache-Control"] = "no-store"
    return response
