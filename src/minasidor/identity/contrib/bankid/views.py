"""Pages and endpoints of the BankID login: they translate HTTP to the flow (:mod:`.flow`) and back.

``start`` (POST, after the citizen chose a device) starts an order and redirects to ``progress``, the page
that shows the QR code or the button that opens the app. With JavaScript the page asks ``status`` every
second and refreshes ``qr``; without it, reloading the page (or BankID's return to ``returned``) moves the
order on. Every failure is shown as BankID's recommended message, in the citizen's language.
"""

from __future__ import annotations

from typing import Any

import structlog
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from minasidor.identity.contrib.bankid.flow import (
    CollectDeferredError,
    StartsLimitedError,
    Step,
    alogin_advance,
    aorder_of,
    login_abandon,
    login_advance,
    login_begin,
    login_forget,
    order_of,
    qr_picture,
    user_text,
)
from minasidor.identity.contrib.bankid.rp.errors import BankIdError
from minasidor.identity.contrib.bankid.rp.messages import Rfa
from minasidor.identity.contrib.bankid.types import Flow, LoginOrder, Requester
from minasidor.identity.devices import device_id_of, device_remember
from minasidor.identity.session import current_identity, login_destination

# A collect that failed for a passing reason is tried again by the next poll, this many seconds later at the
# earliest (the page's script respects Retry-After); the order stays.
COLLECT_RETRY_SECONDS = 5

logger = structlog.get_logger(__name__)


class StartForm(forms.Form):
    flow = forms.ChoiceField(choices=[("this_device", "this_device"), ("other_device", "other_device")])


def _requester(request: HttpRequest) -> Requester:
    return Requester(
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", "")[:256],
        host=request.get_host(),
        device_id=device_id_of(request),
        return_url=request.build_absolute_uri(reverse("bankid:returned")),
    )


def _on_mobile(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return any(marker in agent for marker in ("Android", "iPhone", "iPad", "Mobile"))


def _failure(request: HttpRequest, message: str, *, status: int = 200) -> HttpResponse:
    login_forget(request.session)
    context = {"message": message, "page_title": _("Log in with BankID")}
    return render(request, "bankid/failed.html", context, status=status)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start an order again (the "try again" buttons): the flow is in the form."""
    form = StartForm(request.POST)
    if not form.is_valid():
        return redirect(settings.LOGIN_URL)
    return begin(request, form.cleaned_data["flow"])


def begin(request: HttpRequest, flow: Flow) -> HttpResponse:
    """Start an order for the device the citizen chose, in answer to their POST (never before it)."""
    requester = _requester(request)
    try:
        login_begin(request, flow=flow, requester=requester)
    except StartsLimitedError:
        message = _("Too many logins have been started from here. Wait a few minutes and try again.")
        return device_remember(_failure(request, message, status=429), requester.device_id)
    except BankIdError as error:
        logger.warning("bankid.start_failed", error_code=error.error_code)
        return device_remember(_failure(request, user_text(error.rfa), status=503), requester.device_id)
    return device_remember(redirect("bankid:progress"), requester.device_id)


def _advance(request: HttpRequest, *, force: bool = False) -> Step:
    return login_advance(request, requester=_requester(request), on_mobile=_on_mobile(request), force=force)


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    """The page that follows the order: QR code or open-the-app button, and BankID's message."""
    step = _advance(request)
    if step.logged_in:
        return redirect(login_destination(request))
    if step.failure:
        return _failure(request, step.failure)
    if step.order is None:
        return redirect(settings.LOGIN_URL)
    context: dict[str, Any] = {
        "order": step.order,
        "message": user_text(step.order.message(on_mobile=_on_mobile(request))),
        "autostart_url": _autostart_url(step.order, on_mobile=_on_mobile(request)),
        "page_title": _("Log in with BankID"),
    }
    response = render(request, "bankid/progress.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
async def status(request: HttpRequest) -> JsonResponse:
    """Where the order stands, for the page's script (asked every second, BankID asked every two).

    Asynchronous: thousands of logins poll this at once, and waiting on BankID must hold no thread. When
    BankID cannot be asked for a passing reason the answer is 503 with ``Retry-After``: the order stands,
    the page keeps its message and asks again later.
    """
    try:
        step = await alogin_advance(request, requester=_requester(request), on_mobile=_on_mobile(request))
    except CollectDeferredError as deferred:
        response = JsonResponse(pending_body(request, deferred.order), status=503)
        response["Retry-After"] = str(COLLECT_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if step.logged_in:
        body: dict[str, Any] = {"state": "complete", "next": login_destination(request)}
    elif step.failure or step.order is None:
        body = {"state": "failed", "message": step.failure or user_text(Rfa.RFA22), "next": None}
    else:
        body = pending_body(request, step.order)
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


def pending_body(request: HttpRequest, order: LoginOrder) -> dict[str, Any]:
    """What the page's script is told of an order in flight (the full and the lean status poll)."""
    return {
        "state": order.state,
        "message": user_text(order.message(on_mobile=_on_mobile(request))),
        "qr": order.shows_qr,
        "restarts": order.restarts,
        "next": None,
    }


@require_safe
async def qr(request: HttpRequest) -> HttpResponse:
    """The animated QR code as it should look this second (SVG), generated here: the secret stays here.

    Asynchronous, like ``status``: the other-device page loads one every second.
    """
    order = await aorder_of(request.session)
    if order is None or not order.shows_qr:
        raise Http404
    response = HttpResponse(qr_picture(order), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Cancel the order and go back to the choice of login method."""
    login_abandon(request.session)
    messages.info(request, _("The login was cancelled."))
    return redirect(settings.LOGIN_URL)


@require_POST
def proceed(request: HttpRequest) -> HttpResponse:
    """The "I have identified myself – continue" button (the page without JavaScript): the app is done, says
    the citizen, so collect now rather than wait for the next due collect and finish the login at once."""
    if order_of(request.session) is None:
        return redirect("bankid:progress")
    return progress_after_return(request)


@require_safe
def returned(request: HttpRequest) -> HttpResponse:
    """Where the BankID app sends the browser back after the same-device flow; checks the session nonce.

    The page may have seen the order complete before the app sent the browser back (it keeps asking while
    the app is open): the session is then logged in and the order gone, and the citizen goes on to their
    pages rather than back to the login page.
    """
    order = order_of(request.session)
    if order is None and current_identity(request) is not None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if order is None or not order.returns_with(request.GET.get("nonce", "")):
        logger.warning("bankid.return_without_matching_order")
        return redirect(settings.LOGIN_URL)
    return progress_after_return(request)


def progress_after_return(request: HttpRequest) -> HttpResponse:
    """Collect at once (the app says it is done) and continue like the progress page."""
    step = _advance(request, force=True)
    if step.logged_in:
        return redirect(login_destination(request))
    if step.failure:
        return _failure(request, step.failure)
    return redirect("bankid:progress")


def _autostart_url(order: LoginOrder, *, on_mobile: bool) -> str | None:
    if order.flow != "this_device":
        return None
    if on_mobile:
        return f"https://app.bankid.com/?autostarttoken={order.auto_start_token}&redirect=null"
    return f"bankid:///?autostarttoken={order.auto_start_token}&redirect=null"
