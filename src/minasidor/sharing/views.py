"""The citizen's pages of consented sharing: the consent page a third party sends them to (the authorization
endpoint), and "Shared access" listing every consent with its last use and a button to withdraw it.

The consent page is OAuth's authorization endpoint: django-oauth-toolkit checks the request (client,
redirect URI, PKCE with S256, scopes) and makes the code; the citizen is the one logged in with their own
e-ID. Each scope asked for is a ticked checkbox: the citizen may untick some (the code, the consent and the
tokens then cover only those left, and the token answer's ``scope`` says which) or all (a refusal). Someone
not logged in is sent to log in and brought back here afterwards.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from csp.constants import SELF
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin

from kernel import clock
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import login_return_remember, page_identity
from minasidor.identity.types import Identity
from minasidor.sharing.forms import ConsentForm
from minasidor.sharing.selectors import consents_for_citizen
from minasidor.sharing.services import consent_give, consent_withdraw
from minasidor.sharing.types import CONSENT_LIFETIME

PENDING_KEY = "sharing.pending"
# What of a checked authorization request is kept in the session between the consent page and the answer.
_KEPT = ("client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method")
CONSENT_TITLE = _("A service asks to read your pension data")
SHARED_TITLE = _("Shared access")


class _Authorization(OAuthLibMixin):  # type: ignore[misc]  # the toolkit has no type hints
    """The toolkit's checks and code issuing, without its pages (ours are in both languages)."""


def _refusal(request: HttpRequest, error: OAuthToolkitError) -> HttpResponse:
    """Back to the client with the error, or, when the client or its redirect URI is wrong, a page saying so."""
    redirect_allowed, info = _Authorization().error_response(error)
    if redirect_allowed and info.get("url"):
        return _client_redirect(info["url"])
    context = {"page_title": _("The request cannot be answered")}
    return render(request, "sharing/authorize_error.html", context, status=400)


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """Ask the citizen (GET) and take their answer (POST): a code for the client, or its refusal."""
    identity = page_identity(request)
    if identity is None:
        if request.method == "GET":
            login_return_remember(request, request.get_full_path())
        return redirect(settings.LOGIN_URL)
    if isinstance(identity, HttpResponse):  # acting for someone: a power of attorney never covers consenting
        return identity
    response = _ask(request, identity) if request.method == "GET" else _answer(request, identity)
    response["Cache-Control"] = "no-store"
    return response


def _ask(request: HttpRequest, identity: Identity) -> HttpResponse:
    try:
        scopes, credentials = _Authorization().validate_authorization_request(request)
    except OAuthToolkitError as error:
        return _refusal(request, error)
    if credentials.get("code_challenge_method") != "S256":
        return _refusal(request, _plain_pkce_error(credentials))
    application = Application.objects.get(client_id=credentials["client_id"])
    if identity.personal_number is None:
        context = {"page_title": CONSENT_TITLE, "no_number": True, "client_name": application.name}
        return render(request, "sharing/authorize.html", context)
    ticket = secrets.token_urlsafe(16)
    request.session[PENDING_KEY] = {
        "ticket": ticket,
        "scopes": list(scopes),
        "credentials": {key: credentials[key] for key in _KEPT if credentials.get(key) is not None},
    }
    context = {
        "page_title": CONSENT_TITLE,
        "client_name": application.name,
        "form": ConsentForm(asked=list(scopes)),
        "until": clock.now() + CONSENT_LIFETIME,
        "ticket": ticket,
    }
    response = render(request, "sharing/authorize.html", context)
    # The answer is posted here and then sent on to the client's registered redirect URI: browsers hold a form's
    # redirects to form-action too, so this page allows that one origin besides our own (the rest of the policy
    # stays).
    response._csp_replace = {"form-action": [SELF, _origin(credentials["redirect_uri"])]}  # type: ignore[attr-defined]
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _plain_pkce_error(credentials: dict[str, Any]) -> OAuthToolkitError:
    from oauthlib.oauth2.rfc6749 import errors  # noqa: PLC0415 - only on this refusal

    error = errors.InvalidRequestError(description="code_challenge_method must be S256", state=credentials.get("state"))
    error.redirect_uri = credentials.get("redirect_uri")
    return OAuthToolkitError(error=error, redirect_uri=credentials.get("redirect_uri"))


def _answer(request: HttpRequest, identity: Identity) -> HttpResponse:
    pending = request.session.pop(PENDING_KEY, None)
    if not pending or not secrets.compare_digest(str(pending.get("ticket")), request.POST.get("ticket", "")):
        context = {"page_title": _("The request cannot be answered"), "stale": True}
        return render(request, "sharing/authorize_error.html", context, status=400)
    credentials = dict(pending["credentials"])
    scopes = ConsentForm(request.POST, asked=list(pending["scopes"])).chosen()
    allow = request.POST.get("decision") == "allow" and bool(scopes) and identity.personal_number is not None
    if allow:
        application = Application.objects.get(client_id=credentials["client_id"])
        consent = consent_give(identity=identity, application=application, scopes=scopes)
        request.user = consent.account.user
    try:
        uri, _headers, _body, _status = _Authorization().create_authorization_response(
            request, " ".join(scopes), credentials, allow
        )
    except OAuthToolkitError as error:
        return _refusal(request, error)
    return _client_redirect(uri)


def _client_redirect(url: str) -> HttpResponse:
    """A redirect to the client's registered URI (the toolkit checked it), with only the allowed schemes."""
    response: HttpResponse = OAuth2ResponseRedirect(url, oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES)
    return response


@require_safe
@citizen_required
def consents(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Every consent the citizen has given, live ones first, each with its last use and a way to withdraw it."""
    rows = consents_for_citizen(identity=identity)
    context = {
        "page_title": SHARED_TITLE,
        "live": [row for row in rows if row.live],
        "ended": [row for row in rows if not row.live],
    }
    return render(request, "sharing/consents.html", context)


@require_POST
@citizen_required
def withdraw(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Withdraw one consent: its service can read nothing more from now on."""
    try:
        reference = uuid.UUID(request.POST.get("reference", ""))
    except ValueError:
        reference = None
    if reference is not None and consent_withdraw(identity=identity, reference=reference):
        messages.success(request, _("The access is withdrawn. The service can no longer read your data."))
    else:
        messages.error(request, _("That access was already withdrawn or has ended."))
    return redirect("sharing:consents")
