"""Pages and endpoints of the BankID login.

``start`` (POST, after the citizen chose a device) starts an order and redirects to ``progress``, the page
that shows the QR code or the button that opens the app. With JavaScript the page asks ``status`` every
second and refreshes ``qr``; without it, reloading the page (or BankID's return to ``returned``) moves the
order on. Every failure is shown as BankID's recommended message, in the citizen's language.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import segno
import structlog
from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kernel import clock
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.identity.contrib.bankid import abuse
from minasidor.identity.contrib.bankid.errors import (
    TOO_MANY_REQUESTS,
    BankIdCircuitOpenError,
    BankIdError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.flow import (
    Flow,
    LoginOrder,
    LoginRefusedError,
    Requester,
    alogin_follow,
    identity_from,
    login_cancel,
    login_follow,
    login_start,
)
from minasidor.identity.contrib.bankid.messages import Rfa, text
from minasidor.identity.contrib.bankid.models import CompletionData
from minasidor.identity.contrib.bankid.qr import qr_data_at
from minasidor.identity.session import current_identity, identity_login

# A collect that failed for a passing reason is tried again by the next poll, this many seconds later at the
# earliest (the page's script respects Retry-After); the order stays.
COLLECT_RETRY_SECONDS = 5
ORDER_KEY = "bankid_order"
FAILURE_KEY = "bankid_failure"
DEVICE_COOKIE_AGE = 399 * 24 * 60 * 60

logger = structlog.get_logger(__name__)


class StartForm(forms.Form):
    flow = forms.ChoiceField(choices=[("this_device", "this_device"), ("other_device", "other_device")])


def _device_id(request: HttpRequest) -> str:
    cookie = request.COOKIES.get(settings.DEVICE_COOKIE_NAME, "")
    return cookie if 16 <= len(cookie) <= 64 and cookie.isalnum() else secrets.token_hex(16)


def _remember_device(response: HttpResponse, device_id: str) -> HttpResponse:
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        device_id,
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite="Lax",
    )
    return response


def _requester(request: HttpRequest) -> Requester:
    return Requester(
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", "")[:256],
        host=request.get_host(),
        device_id=_device_id(request),
        return_url=request.build_absolute_uri(reverse("bankid:returned")),
    )


def _on_mobile(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return any(marker in agent for marker in ("Android", "iPhone", "iPad", "Mobile"))


def _language() -> str:
    return "en" if get_language() == "en" else "sv"


def _rfa_text(rfa: Rfa) -> str:
    return text(rfa, language="en" if _language() == "en" else "sv")


def _order(request: HttpRequest) -> LoginOrder | None:
    data = request.session.get(ORDER_KEY)
    return LoginOrder.from_session(data) if data else None


def _save(request: HttpRequest, order: LoginOrder | None) -> None:
    """Keep ``order`` in the session; an unchanged order is not written again (most status polls)."""
    if order is None:
        request.session.pop(ORDER_KEY, None)
        return
    data = order.to_session()
    if request.session.get(ORDER_KEY) != data:
        request.session[ORDER_KEY] = data


def _failure(request: HttpRequest, message: str, *, status: int = 200) -> HttpResponse:
    _save(request, None)
    request.session.pop(FAILURE_KEY, None)
    context = {"message": message, "page_title": _("Log in with BankID")}
    return render(request, "bankid/failed.html", context, status=status)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start an order again (the "try again" buttons): the flow is in the form."""
    form = StartForm(request.POST)
    if not form.is_valid():
        return redirect("ui:login")
    return begin(request, form.cleaned_data["flow"])


def begin(request: HttpRequest, flow: Flow) -> HttpResponse:
    """Start an order for the device the citizen chose, in answer to their POST (never before it)."""
    requester = _requester(request)
    if not abuse.start_allowed(ip=requester.ip, device_id=requester.device_id):
        message = _("Too many logins have been started from here. Wait a few minutes and try again.")
        return _remember_device(_failure(request, message, status=429), requester.device_id)
    previous = _order(request)
    request.session.pop(FAILURE_KEY, None)
    try:
        if previous is not None:
            login_cancel(previous)
        order = login_start(flow=flow, requester=requester)
    except BankIdError as error:
        logger.warning("bankid.start_failed", error_code=error.error_code)
        return _remember_device(_failure(request, _rfa_text(error.rfa), status=503), requester.device_id)
    request.session.cycle_key()
    _save(request, order)
    return _remember_device(redirect("bankid:progress"), requester.device_id)


def _advance(request: HttpRequest, *, force: bool = False) -> tuple[LoginOrder | None, str | None, str | None]:
    """Move the order on. Returns the order, where to go once logged in, and a failure to show.

    A failure ends the order; its text stays in the session until the progress page has shown it.
    """
    order = _order(request)
    if order is None:
        return None, None, request.session.get(FAILURE_KEY)
    requester = _requester(request)
    try:
        order, completion = login_follow(order, requester=requester, force=force)
    except BankIdError as error:
        logger.warning("bankid.collect_failed", error_code=error.error_code)
        return _ended(request, _rfa_text(error.rfa))
    if completion is not None:
        return _finish(request, order, completion, requester)
    if order.state == "failed":
        return _ended(request, _rfa_text(order.message(on_mobile=_on_mobile(request))))
    _save(request, order)
    return order, None, None


class CollectDeferredError(Exception):
    """BankID could not be asked just now for a passing reason; the order stands and is asked again later."""

    def __init__(self, order: LoginOrder) -> None:
        super().__init__("collect deferred")
        self.order = order


def _passing(error: BankIdError) -> bool:
    """Failures after which collecting again later is right (collect only reads an order): BankID out of
    reach, our breaker open, BankID in maintenance or asking us to slow down."""
    return isinstance(error, BankIdTransportError | BankIdCircuitOpenError) or error.error_code in (
        "maintenance",
        TOO_MANY_REQUESTS,
    )


async def _aadvance(request: HttpRequest) -> tuple[LoginOrder | None, str | None, str | None]:
    """:func:`_advance` for the async status endpoint; the rare endings run as synchronous code.

    Unlike the page, it keeps the order through a passing failure (:class:`CollectDeferredError`).
    """
    data = await request.session.aget(ORDER_KEY)
    if data is None:
        return None, None, await request.session.aget(FAILURE_KEY)
    order = LoginOrder.from_session(data)
    requester = _requester(request)
    try:
        order, completion = await alogin_follow(order, requester=requester)
    except BankIdError as error:
        logger.warning("bankid.collect_failed", error_code=error.error_code)
        if _passing(error):
            raise CollectDeferredError(LoginOrder.from_session(data)) from error
        return await sync_to_async(_ended)(request, _rfa_text(error.rfa))
    if completion is not None:
        return await sync_to_async(_finish)(request, order, completion, requester)
    if order.state == "failed":
        return await sync_to_async(_ended)(request, _rfa_text(order.message(on_mobile=_on_mobile(request))))
    if order.to_session() != data:
        await request.session.aset(ORDER_KEY, order.to_session())
    return order, None, None


def _finish(
    request: HttpRequest, order: LoginOrder, completion: CompletionData, requester: Requester
) -> tuple[LoginOrder | None, str | None, str | None]:
    """Accept a completed order as a login, or refuse it with a reason the citizen can act on."""
    _save(request, None)
    try:
        identity = identity_from(completion, order=order)
    except LoginRefusedError as refused:
        logger.warning("bankid.login_refused", reason=refused.reason)
        return _ended(request, _("The login was stopped for your safety. Please try again on your own device."))
    if not abuse.login_allowed(device_id=requester.device_id, subject_pseudonym=pseudonym_for(identity.subject_key)):
        return _ended(request, _("Too many different people have logged in from this device. Logins are paused here."))
    identity_login(request, identity)
    return order, reverse("pensions:home"), None


def _ended(request: HttpRequest, failure: str) -> tuple[None, None, str]:
    _save(request, None)
    request.session[FAILURE_KEY] = failure
    return None, None, failure


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    """The page that follows the order: QR code or open-the-app button, and BankID's message."""
    order, next_url, failure = _advance(request)
    if next_url:
        return redirect(next_url)
    if failure:
        return _failure(request, failure)
    if order is None:
        return redirect("ui:login")
    context: dict[str, Any] = {
        "order": order,
        "message": _rfa_text(order.message(on_mobile=_on_mobile(request))),
        "autostart_url": _autostart_url(order, on_mobile=_on_mobile(request)),
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
        order, next_url, failure = await _aadvance(request)
    except CollectDeferredError as deferred:
        response = JsonResponse(_pending_body(request, deferred.order), status=503)
        response["Retry-After"] = str(COLLECT_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if next_url:
        body: dict[str, Any] = {"state": "complete", "next": next_url}
    elif failure or order is None:
        body = {"state": "failed", "message": failure or _rfa_text(Rfa.RFA22), "next": None}
    else:
        body = _pending_body(request, order)
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


def _pending_body(request: HttpRequest, order: LoginOrder) -> dict[str, Any]:
    return {
        "state": order.state,
        "message": _rfa_text(order.message(on_mobile=_on_mobile(request))),
        "qr": order.shows_qr,
        "restarts": order.restarts,
        "next": None,
    }


# The QR code's mask pattern, fixed: choosing the best of the eight for every picture took four fifths of
# the picture's CPU time (the page loads one a second). Any mask is valid; readers handle each.
QR_MASK = 2


@require_safe
async def qr(request: HttpRequest) -> HttpResponse:
    """The animated QR code as it should look this second (SVG), generated here: the secret stays here.

    Asynchronous, like ``status``: the other-device page loads one every second.
    """
    data = await request.session.aget(ORDER_KEY)
    order = LoginOrder.from_session(data) if data else None
    if order is None or not order.shows_qr:
        raise Http404
    text = qr_data_at(
        qr_start_token=order.qr_start_token,
        qr_start_secret=order.qr_start_secret,
        started_at=order.started_at,
        now=clock.now(),
    )
    buffer = io.BytesIO()
    segno.make(text, error="l", mask=QR_MASK).save(buffer, kind="svg", scale=6, border=4, light="white", xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Cancel the order and go back to the choice of login method."""
    order = _order(request)
    _save(request, None)
    if order is not None:
        try:
            login_cancel(order)
        except BankIdError as error:
            logger.info("bankid.cancel_failed", error_code=error.error_code)
    messages.info(request, _("The login was cancelled."))
    return redirect("ui:login")


@require_safe
def returned(request: HttpRequest) -> HttpResponse:
    """Where the BankID app sends the browser back after the same-device flow; checks the session nonce.

    The page may have seen the order complete before the app sent the browser back (it keeps asking while
    the app is open): the session is then logged in and the order gone, and the citizen goes on to their
    pages rather than back to the login page.
    """
    order = _order(request)
    if order is None and current_identity(request) is not None:
        return redirect("pensions:home")
    if order is None or not secrets.compare_digest(request.GET.get("nonce", ""), order.return_nonce):
        logger.warning("bankid.return_without_matching_order")
        return redirect("ui:login")
    return progress_after_return(request)


def progress_after_return(request: HttpRequest) -> HttpResponse:
    """Collect at once (the app says it is done) and continue like the progress page."""
    _, next_url, failure = _advance(request, force=True)
    if next_url:
        return redirect(next_url)
    if failure:
        return _failure(request, failure)
    return redirect("bankid:progress")


def _autostart_url(order: LoginOrder, *, on_mobile: bool) -> str | None:
    if order.flow != "this_device":
        return None
    if on_mobile:
        return f"https://app.bankid.com/?autostarttoken={order.auto_start_token}&redirect=null"
    return f"bankid:///?autostarttoken={order.auto_start_token}&redirect=null"
