"""Pages and endpoints of the SAML login (foreign eID through the eIDAS connector; other Swedish e-IDs).

``begin`` (after the citizen's POST on the login page) sends the browser to the identity provider with a
signed AuthnRequest. The IdP posts its answer to ``acs`` — a cross-site POST without the session cookie —
which checks it strictly (:mod:`protocol`), parks the result under a one-time token and redirects to
``complete``, which logs the citizen in only in the browser session that made the request — and, as a BankID
login does, tells them when the browser is one they have not logged in from before (``identity.devices``). Errors and
cancellations at the IdP lead to ``failed``, in the language the citizen started in. A foreign-eID user
without an accepted Swedish number lands on ``no_swedish_number``.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import structlog
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minasidor.audit.types import Action
from minasidor.identity.contrib.saml import config, protocol
from minasidor.identity.contrib.saml.checks import ResponseRefusedError
from minasidor.identity.contrib.saml.federation import MetadataError, display_name
from minasidor.identity.contrib.saml.forms import MessageForm, ProviderForm
from minasidor.identity.contrib.saml.keys import KeysMissingError
from minasidor.identity.contrib.saml.protocol import IdpStatusError, Kind
from minasidor.identity.contrib.saml.services import foreign_eid_message_create
from minasidor.identity.decorators import citizen_required
from minasidor.identity.devices import device_id_of, device_remember, new_device_login_tell
from minasidor.identity.session import identity_login, login_destination
from minasidor.identity.types import Identity
from minasidor.security import counters
from minasidor.security.store import security_cache
from minasidor.security.views import too_many_requests

REQUEST_KEY = "saml_request_id"
RESULT_PREFIX = "saml:result:"
RESULT_LIFETIME_SECONDS = 120
START_WINDOW_SECONDS = 10 * 60
LOGGED_DETAIL_CHARS = 200
MESSAGE_WINDOW_SECONDS = 24 * 60 * 60
KINDS: tuple[Kind, ...] = ("eidas", "swedish_eid")

LOGGED_IN_NEW_DEVICE = Action(
    "login.new_device_eid",
    gettext_lazy("Logged in with an e-ID in a browser not used before. If it was not you, call customer service."),
)

logger = structlog.get_logger(__name__)


def _language() -> str:
    return "en" if get_language() == "en" else "sv"


def _title(kind: str) -> str:
    return _("Log in with a foreign eID") if kind == "eidas" else _("Log in with another Swedish e-ID")


def _failed_url(language: str, reason: str, kind: str) -> str:
    with translation.override(language):
        return f"{reverse('saml:failed')}?reason={reason}&kind={kind}"


def begin(request: HttpRequest, kind: Kind, idp: str | None = None) -> HttpResponse:
    """Send the browser to the identity provider, in answer to the citizen's POST (never before it)."""
    if idp is None:
        providers = (
            tuple(settings.SAML_SWEDISH_EID_PROVIDERS) if kind == "swedish_eid" else (settings.SAML_EIDAS_CONNECTOR,)
        )
        if len(providers) != 1:
            return redirect("saml:choose")
        idp = providers[0]
    if not counters.hit(
        scope="saml:begin",
        subject=counters.address(request),
        limit=settings.SAML_STARTS_PER_ADDRESS,
        window_seconds=START_WINDOW_SECONDS,
    ):
        message = _("Too many logins have been started from your network. Wait ten minutes and try again.")
        return too_many_requests(
            request, json=False, retry_after=START_WINDOW_SECONDS, endpoint="saml:begin", message=message
        )
    try:
        location, outstanding = protocol.login_request_create(
            base=config.base_url(request), kind=kind, idp=idp, language=_language()
        )
    except (MetadataError, KeysMissingError) as error:
        logger.error("saml.unavailable", error=str(error))
        return redirect(_failed_url(_language(), "unavailable", kind))
    except Exception as error:  # e.g. the IdP is not in the metadata; the citizen sees one message
        logger.error("saml.request_failed", error=f"{type(error).__name__}: {error}")
        return redirect(_failed_url(_language(), "unavailable", kind))
    request.session[REQUEST_KEY] = outstanding.request_id
    # A page that sends the browser on (HTTP-Redirect binding), not a 302 answer to the form: the portal's
    # Content-Security-Policy (form-action 'self') forbids a form submission to end at another site.
    response = render(request, "saml/redirect.html", {"location": location, "page_title": _title(kind)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start again (the "try again" button): the kind of login is in the form."""
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        return redirect(settings.LOGIN_URL)
    return begin(request, kind)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """Which Swedish e-ID provider, when more than one is offered."""
    try:
        choices = [(idp, display_name(idp, _language())) for idp in settings.SAML_SWEDISH_EID_PROVIDERS]
    except MetadataError as error:
        logger.error("saml.unavailable", error=str(error))
        return redirect(_failed_url(_language(), "unavailable", "swedish_eid"))
    form = ProviderForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        return begin(request, "swedish_eid", form.cleaned_data["provider"])
    return render(request, "saml/choose.html", {"form": form, "page_title": _title("swedish_eid")})


@csrf_exempt  # the identity provider posts here; the response's signature and InResponseTo protect it
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """Where the identity provider posts its answer (HTTP-POST binding)."""
    saml_response = request.POST.get("SAMLResponse", "")
    outstanding = protocol.outstanding_for(saml_response)
    language = outstanding.language if outstanding else "sv"
    kind = outstanding.kind if outstanding else "eidas"
    try:
        result = protocol.login_response_consume(saml_response=saml_response)
    except IdpStatusError as error:
        reason = "cancelled" if error.status.cancelled else "failed"
        logger.info("saml.idp_status", status=error.status.code, subcode=error.status.subcode)
        return redirect(_failed_url(language, reason, kind))
    except ResponseRefusedError as refused:
        # The reason, a short detail and a digest of what was posted: never the response itself (44 kB lines).
        logger.warning(
            "saml.response_refused",
            reason=refused.reason.value,
            detail=refused.detail[:LOGGED_DETAIL_CHARS],
            response_sha256=hashlib.sha256(saml_response.encode()).hexdigest(),
            response_chars=len(saml_response),
        )
        return redirect(_failed_url(language, "refused", kind))
    except (MetadataError, KeysMissingError) as error:
        logger.error("saml.unavailable", error=str(error))
        return redirect(_failed_url(language, "unavailable", kind))
    token = secrets.token_urlsafe(32)
    security_cache().set(
        f"{RESULT_PREFIX}{token}",
        {"identity": result.identity.to_session(), "request_id": result.outstanding.request_id},
        timeout=RESULT_LIFETIME_SECONDS,
    )
    with translation.override(language):
        return redirect(f"{reverse('saml:complete')}?token={token}")


@require_safe
def complete(request: HttpRequest) -> HttpResponse:
    """Log the citizen in, in the browser session that asked the identity provider (one-time token)."""
    key = f"{RESULT_PREFIX}{request.GET.get('token', '')[:64]}"
    data: dict[str, Any] | None = security_cache().get(key)
    security_cache().delete(key)
    expected = request.session.pop(REQUEST_KEY, None)
    if not data or not expected or not secrets.compare_digest(str(expected), str(data["request_id"])):
        logger.warning("saml.complete_without_matching_request")
        return redirect(_failed_url(_language(), "session", "eidas"))
    identity = Identity.from_session(data["identity"])
    identity_login(request, identity)
    device_id = device_id_of(request)
    login = f"saml:{data['request_id']}"
    new_device_login_tell(
        identity=identity, device_id=device_id, login=login, action=LOGGED_IN_NEW_DEVICE, sender=complete
    )
    if identity.personal_number is None:
        return device_remember(redirect("saml:no-swedish-number"), device_id)
    return device_remember(redirect(login_destination(request)), device_id)


_FAILURES = {
    "cancelled": lambda: _("You cancelled the login. Nothing has been saved."),
    "failed": lambda: _("The e-ID service could not log you in. Try again, or choose another way to log in."),
    "refused": lambda: _(
        "We could not accept the answer from the e-ID service, so you have not been logged in. Try again."
    ),
    "unavailable": lambda: _("This way of logging in is not available right now. Try again later."),
    "session": lambda: _("The login could not be finished in this browser window. Start again from the login page."),
}


@require_safe
def failed(request: HttpRequest) -> HttpResponse:
    """A clear message after a cancelled, failed or refused login, with a way to try again."""
    reason = request.GET.get("reason", "failed")
    kind = request.GET.get("kind", "eidas")
    kind = kind if kind in KINDS else "eidas"
    message = _FAILURES.get(reason, _FAILURES["failed"])()
    context = {"message": message, "kind": kind, "cancelled": reason == "cancelled", "page_title": _title(kind)}
    return render(request, "saml/failed.html", context)


@require_http_methods(["GET", "POST"])
@citizen_required
def no_swedish_number(request: HttpRequest, identity: Identity) -> HttpResponse:
    """For a foreign-eID user the portal cannot connect to a Swedish number: what that means, what to do."""
    if identity.personal_number is not None or identity.foreign is None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not counters.hit(
            scope="saml:message",
            subject=identity.pseudonym,
            limit=settings.SAML_MESSAGES_PER_DAY,
            window_seconds=MESSAGE_WINDOW_SECONDS,
        ):
            message = _("You have sent as many messages as we accept in a day. Try again tomorrow, or call us.")
            return too_many_requests(
                request, json=False, retry_after=MESSAGE_WINDOW_SECONDS, endpoint="saml:message", message=message
            )
        foreign_eid_message_create(
            identity=identity,
            text=form.cleaned_data["text"],
            contact=form.cleaned_data["contact"],
            language=_language(),
        )
        messages.success(request, _("Your message has been sent to customer service."))
        return redirect("saml:no-swedish-number")
    context = {
        "identity": identity,
        "form": form,
        "content_template": f"saml/content/no_swedish_number.{_language()}.html",
        "page_title": _("We cannot find your pension details"),
    }
    return render(request, "saml/no_swedish_number.html", context)


@require_safe
def metadata(request: HttpRequest) -> HttpResponse:
    """The SP's metadata, for the federation operator (and the test IdPs)."""
    try:
        document = config.sp_metadata(config.base_url(request))
    except KeysMissingError:
        return HttpResponse("SAML is not configured", status=503, content_type="text/plain")
    return HttpResponse(document, content_type="application/samlmetadata+xml")
