"""The signing step's pages: what is to be signed and how, BankID's progress (QR code or open-the-app), and
the page for people who cannot sign here yet.

The views translate HTTP to :mod:`.flow` and :mod:`.bankid` and back; a caller sends the browser here with
``flow.sign_begin``. Without JavaScript the progress page moves on when reloaded (or when BankID sends the
browser back on the same device); with it, the page asks ``status`` every second and refreshes the QR code.
"""

from __future__ import annotations

import secrets
from typing import Any

import structlog
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from minasidor.identity.contrib.bankid.flow import qr_picture, user_text
from minasidor.identity.contrib.bankid.rp.errors import BankIdError
from minasidor.identity.contrib.bankid.rp.messages import Rfa
from minasidor.identity.contrib.bankid.types import LoginOrder, Requester
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import current_identity
from minasidor.identity.types import Identity
from minasidor.signing_step import sigservice
from minasidor.signing_step.bankid import (
    SignRefusedError,
    SignStep,
    StartsLimitedError,
    failure_forget,
    order_of,
    sign_abandon,
    sign_advance,
    sign_begin_order,
)
from minasidor.signing_step.flow import PendingRequest, method_for, pending_forget, pending_of

logger = structlog.get_logger(__name__)


class StartForm(forms.Form):
    flow = forms.ChoiceField(choices=[("this_device", "this_device"), ("other_device", "other_device")])


def _nothing_to_sign(request: HttpRequest) -> HttpResponse:
    return render(request, "signing_step/nothing.html", {"page_title": _("Nothing to sign")})


def _requester(request: HttpRequest) -> Requester:
    cookie = request.COOKIES.get(settings.DEVICE_COOKIE_NAME, "")
    return Requester(
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", "")[:256],
        host=request.get_host(),
        device_id=cookie if 16 <= len(cookie) <= 64 and cookie.isalnum() else secrets.token_hex(16),
        return_url=request.build_absolute_uri(reverse("signing_step:bankid-returned")),
    )


def _signer(request: HttpRequest, identity: Identity) -> Identity:
    """Who signs: the logged-in person, also while they act for someone with a power of attorney (a delegate
    signs with their own e-ID what the page made for the other person, decision 0216)."""
    if identity.acting is None:
        return identity
    return current_identity(request) or identity


def _on_mobile(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return any(marker in agent for marker in ("Android", "iPhone", "iPad", "Mobile"))


@require_safe
@citizen_required
def start(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What the person is about to sign, and how they sign it (chosen by how they logged in)."""
    identity = _signer(request, identity)
    pending = pending_of(request)
    if pending is None:
        return _nothing_to_sign(request)
    context: dict[str, Any] = {"summary": pending.document.summary}
    if method_for(identity) == "signature_service" and sigservice.connected():
        context["page_title"] = _("Sign with your e-ID")
        return render(request, "signing_step/sigservice.html", context)
    if method_for(identity) == "signature_service" or identity.personal_number is None:
        context |= {"page_title": _("Apply on paper"), "customer_service_phone": settings.CUSTOMER_SERVICE_PHONE}
        return render(request, "signing_step/paper.html", context)
    context["page_title"] = _("Sign with BankID")
    return render(request, "signing_step/start.html", context)


@require_POST
@citizen_required
def cancel(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The person does not sign now: any order is cancelled, and they go back to the caller (answers kept)."""
    pending = pending_of(request)
    sign_abandon(request.session)
    pending_forget(request)
    if pending is None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    messages.info(request, _("Nothing was signed. What you have filled in is kept."))
    return redirect(pending.cancel_url)


def _failed(
    request: HttpRequest,
    message: str,
    *,
    pending: PendingRequest | None,
    status: int = 200,
    method: str = "bankid",
) -> HttpResponse:
    failure_forget(request.session)
    context = {
        "message": message,
        "can_retry": pending is not None,
        "method": method,
        "page_title": _("The signing did not go through"),
    }
    return render(request, "signing_step/failed.html", context, status=status)


@require_POST
@citizen_required
def bankid_start(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Start a sign order on the device the person chose (never before their POST)."""
    identity = _signer(request, identity)
    pending = pending_of(request)
    form = StartForm(request.POST)
    if pending is None or method_for(identity) != "bankid":
        return redirect("signing_step:start")
    if not form.is_valid():
        return redirect("signing_step:start")
    try:
        sign_begin_order(
            request, pending=pending, identity=identity, flow=form.cleaned_data["flow"], requester=_requester(request)
        )
    except StartsLimitedError:
        message = _("Too many signings have been started from here. Wait a few minutes and try again.")
        return _failed(request, message, pending=pending, status=429)
    except SignRefusedError:
        return redirect("signing_step:start")
    except BankIdError as error:
        logger.warning("signing.bankid_start_failed", error_code=error.error_code)
        return _failed(request, user_text(error.rfa), pending=pending, status=503)
    return redirect("signing_step:bankid-progress")


def _advance(
    request: HttpRequest, identity: Identity, pending: PendingRequest | None, *, force: bool = False
) -> SignStep:
    return sign_advance(
        request,
        pending=pending,
        identity=_signer(request, identity),
        requester=_requester(request),
        on_mobile=_on_mobile(request),
        force=force,
    )


def _autostart_url(order: LoginOrder, *, on_mobile: bool) -> str | None:
    if order.flow != "this_device":
        return None
    if on_mobile:
        return f"https://app.bankid.com/?autostarttoken={order.auto_start_token}&redirect=null"
    return f"bankid:///?autostarttoken={order.auto_start_token}&redirect=null"


@require_safe
@citizen_required
def bankid_progress(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The page that follows the order: QR code or open-the-app button, and BankID's message."""
    pending = pending_of(request)
    step = _advance(request, identity, pending)
    if step.signature is not None and pending is not None:
        return redirect(pending.return_url)
    if step.failure:
        return _failed(request, step.failure, pending=pending_of(request))
    if step.order is None or pending is None:
        return redirect("signing_step:start")
    on_mobile = _on_mobile(request)
    context: dict[str, Any] = {
        "order": step.order,
        "summary": pending.document.summary,
        "message": user_text(step.order.message(on_mobile=on_mobile)),
        "autostart_url": _autostart_url(step.order, on_mobile=on_mobile),
        "page_title": _("Sign with BankID"),
    }
    return render(request, "signing_step/progress.html", context)


@require_safe
@citizen_required
def bankid_status(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the order stands, for the page's script (asked every second; BankID is asked every two)."""
    pending = pending_of(request)
    step = _advance(request, identity, pending)
    if step.signature is not None and pending is not None:
        body: dict[str, Any] = {"state": "complete", "next": pending.return_url}
    elif step.failure or step.order is None:
        body = {"state": "failed", "message": step.failure or user_text(Rfa.RFA22), "next": None}
    else:
        body = {
            "state": step.order.state,
            "message": user_text(step.order.message(on_mobile=_on_mobile(request))),
            "qr": step.order.shows_qr,
            "restarts": step.order.restarts,
            "next": None,
        }
    return JsonResponse(body)


@require_safe
@citizen_required
def bankid_qr(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The animated QR code as it should look this second (SVG), made here: the secret stays here."""
    current = order_of(request.session)
    if current is None or not current[0].shows_qr:
        raise Http404
    return HttpResponse(qr_picture(current[0]), content_type="image/svg+xml")


@require_safe
@citizen_required
def bankid_returned(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the BankID app sends the browser back on the same device; the order's nonce must match."""
    pending = pending_of(request)
    current = order_of(request.session)
    if current is None:
        # The page may have seen the order complete before the app sent the browser back.
        return redirect("signing_step:bankid-progress")
    if not current[0].returns_with(request.GET.get("nonce", "")):
        logger.warning("signing.bankid_return_without_matching_order")
        return redirect("signing_step:start")
    return _collected_now(request, identity, pending)


@require_POST
@citizen_required
def bankid_proceed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The "I have signed – continue" button (the page without JavaScript): the app is done, says the person,
    so collect now rather than wait for the next due collect, and go on at the first press."""
    if order_of(request.session) is None:
        return redirect("signing_step:bankid-progress")
    return _collected_now(request, identity, pending_of(request))


def _collected_now(request: HttpRequest, identity: Identity, pending: PendingRequest | None) -> HttpResponse:
    """Collect at once (the person or the app says the signing is done) and continue like the progress page."""
    step = _advance(request, identity, pending, force=True)
    if step.signature is not None and pending is not None:
        return redirect(pending.return_url)
    if step.failure:
        return _failed(request, step.failure, pending=pending_of(request))
    return redirect("signing_step:bankid-progress")


# --- The signature service (SAML logins) ----------------------------------------------------------------


@require_POST
@citizen_required
def sigservice_start(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Make the signed request and hand it to the browser, to post to the signature service."""
    identity = _signer(request, identity)
    pending = pending_of(request)
    if pending is None or method_for(identity) != "signature_service" or not sigservice.connected():
        return redirect("signing_step:start")
    try:
        sent = sigservice.sigservice_request_make(request, pending=pending, identity=identity)
    except OSError as error:
        logger.error("signing.sigservice_unavailable", error=type(error).__name__)
        message = _("The signature service cannot be reached just now. Please try again later.")
        return _failed(request, message, pending=pending, status=503, method="signature_service")
    context = {
        "service_url": settings.SIGSERVICE_URL,
        "request_id": sent.request_id,
        "sign_request": sent.form_value,
        "page_title": _("Sign with your e-ID"),
    }
    response = render(request, "signing_step/sigservice_post.html", context)
    # The form goes to the service, and the service sends the browser on to the person's identity provider:
    # browsers hold a form's redirects to form-action too, and the identity providers are not known here.
    # This page holds no one's input but ours, so it drops form-action (everything else of the policy stays).
    response._csp_replace = {"form-action": None}  # type: ignore[attr-defined]
    return response


@csrf_exempt  # the signature service posts here; the response's signature and our request id protect it
@require_POST
def sigservice_response(request: HttpRequest) -> HttpResponse:
    """Where the signature service posts its answer (``EidSignResponse``); checked in the person's session."""
    token = sigservice.response_stash(request.POST.get("EidSignResponse", "")[:1_000_000])
    return redirect(f"{reverse('signing_step:sigservice-complete')}?token={token}")


@require_safe
@citizen_required
def sigservice_complete(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Check the service's answer in the person's session; on to the caller, or the failure page."""
    identity = _signer(request, identity)
    pending = pending_of(request)
    form_value = sigservice.response_take(request.GET.get("token", ""))
    if form_value is None:
        return redirect("signing_step:start")
    try:
        sigservice.sigservice_complete(request, pending=pending, identity=identity, form_value=form_value)
    except sigservice.SignCancelledError:
        message = _("You cancelled the signing.")
        return _failed(request, message, pending=pending_of(request), method="signature_service")
    except SignRefusedError as refused:
        logger.warning("signing.sigservice_refused", reason=refused.reason)
        message = _("The signature was stopped for your safety and nothing was signed. Please try again.")
        return _failed(request, message, pending=pending_of(request), method="signature_service")
    assert pending is not None  # noqa: S101 - sigservice_complete refuses without one
    return redirect(pending.return_url)
