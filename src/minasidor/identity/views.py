"""The login page (the choice of login method), logging out, and the session's time limits: time left,
extending, and the page that says it ended.

(Each login method has its own views under ``contrib/``; the login page begins the one chosen.)
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minasidor.identity.expiry import Ending, remaining
from minasidor.identity.forms import LoginMethod
from minasidor.identity.middleware import session_passive
from minasidor.identity.providers import login_begin
from minasidor.identity.session import ENDED_KEY, KEPT_FORM_KEY, current_identity, identity_logout


@require_http_methods(["GET", "POST"])
def login_choice(request: HttpRequest) -> HttpResponse:
    """Ask how to log in; a valid answer begins that method's login (redirect after POST).

    A citizen who is already logged in is sent on to their pages. That also covers a race at the end of a
    BankID login: the browser may come back from the app with the session cookie of just before the page's
    own poll finished the login (and renewed the session id), land here, and then carry the new cookie.
    """
    if request.method == "GET" and current_identity(request) is not None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginMethod(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return login_begin(request, form.cleaned_data["method"])
    return render(request, "identity/login_choice.html", {"form": form, "page_title": _("Log in")})


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
    return HttpResponseRedirect(back if safe else reverse(settings.LOGIN_REDIRECT_URL))


@require_safe
def session_ended(request: HttpRequest) -> HttpResponse:
    """The page that says the session ended by itself, why, and that a form's contents were kept."""
    if current_identity(request) is not None:
        return redirect(settings.LOGIN_REDIRECT_URL)
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
