"""The BankID login flow: start an order, follow it, and turn a completed order into a login.

State lives server-side in the session (:class:`~.types.LoginOrder` under ``ORDER_KEY``); the browser never
sees ``qrStartSecret``. Following an order calls BankID's ``collect`` at most every two seconds however often
the page asks, and restarts an order that timed out before the app picked it up (``startFailed``) a few times
before giving up. A completed order is accepted only if BankID's risk assessment is not high, when the app
ran on the same device, the device's address seen by BankID is the one that started the order, and the
signature and OCSP response prove the person from BankID's signing root (:mod:`.rp.verify`); then the abuse
limits (:mod:`.abuse`) and the session's login (``identity.session.identity_login``). A failure ends the
order, and its text in the citizen's language waits in the session (``FAILURE_KEY``) until a page shows it.
The views only translate HTTP to these functions and back. The signing step's BankID orders are placed and
followed with the same pieces (:func:`order_place`, :func:`passing`, :func:`user_text`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import secrets
from collections.abc import Callable
from typing import Any

import segno
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.audit.types import Action
from minasidor.core import metrics
from minasidor.identity.contrib.bankid import abuse, connection
from minasidor.identity.contrib.bankid.rp.errors import (
    TOO_MANY_REQUESTS,
    BankIdCircuitOpenError,
    BankIdError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.rp.messages import Rfa, text
from minasidor.identity.contrib.bankid.rp.qr import qr_data_at
from minasidor.identity.contrib.bankid.rp.types import (
    AuthRequest,
    CollectResponse,
    CollectStatus,
    CompletionData,
    HintCode,
    OrderResponse,
    SignRequest,
    WebDevice,
)
from minasidor.identity.contrib.bankid.rp.verify import ProofRejectedError, completion_proof_check
from minasidor.identity.contrib.bankid.types import Flow, LoginOrder, Requester
from minasidor.identity.devices import new_device_login_tell
from minasidor.identity.session import identity_login
from minasidor.identity.types import LOA3, Identity, Method

LOGGED_IN_NEW_DEVICE = Action(
    "login.new_device",
    gettext_lazy("Logged in with BankID in a browser not used before. If it was not you, call customer service."),
)
COLLECT_INTERVAL = dt.timedelta(seconds=2)
MAX_RESTARTS = 3
ORDER_KEY = "bankid_order"
FAILURE_KEY = "bankid_failure"

logger = structlog.get_logger(__name__)


class LoginRefusedError(Exception):
    """BankID completed the order, but we do not accept it as a login (``reason`` is for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StartsLimitedError(Exception):
    """Too many logins have been started from this address or device (the abuse limits)."""


class CollectDeferredError(Exception):
    """BankID could not be asked just now for a passing reason; the order stands and is asked again later."""

    def __init__(self, order: LoginOrder) -> None:
        super().__init__("collect deferred")
        self.order = order


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """Where the login stands after the flow moved it on: the order still in flight, the login done, or the
    failure to show (the order then ended)."""

    order: LoginOrder | None
    logged_in: bool = False
    failure: str | None = None


def purpose_text() -> str:
    """The text the BankID app shows, so the citizen sees what they are logging in to."""
    return f"Logga in på Mina sidor hos {settings.AUTHORITY_NAME}"


def order_place(
    order_request: Callable[[str | None, WebDevice], AuthRequest | SignRequest],
    *,
    flow: Flow,
    requester: Requester,
    restarts: int,
) -> LoginOrder:
    """Place an order at BankID, a login's or a signature's (``order_request`` makes it from the return URL,
    with a fresh nonce on this device, and ``requester``'s device), and give the order to follow in the session;
    raises ``BankIdError`` when BankID cannot."""
    nonce = secrets.token_urlsafe(24)
    request = order_request(
        f"{requester.return_url}?nonce={nonce}" if flow == "this_device" else None,
        WebDevice(
            referring_domain=requester.host.split(":")[0],
            user_agent=requester.user_agent or None,
            device_identifier=requester.device_id,
        ),
    )
    response: OrderResponse = connection.call(
        lambda client: client.sign(request) if isinstance(request, SignRequest) else client.auth(request)
    )
    return LoginOrder(
        flow=flow,
        order_ref=response.order_ref,
        auto_start_token=response.auto_start_token,
        qr_start_token=response.qr_start_token,
        qr_start_secret=response.qr_start_secret,
        started_at=clock.now(),
        start_ip=requester.ip,
        return_nonce=nonce,
        restarts=restarts,
    )


def login_start(*, flow: Flow, requester: Requester, restarts: int = 0) -> LoginOrder:
    """Start a BankID order for ``requester``; raises ``BankIdError`` when BankID cannot."""

    def auth(return_url: str | None, web: WebDevice) -> AuthRequest:
        return AuthRequest(
            end_user_ip=requester.ip,
            user_visible_data=purpose_text(),
            return_url=return_url,
            return_risk=True,
            web=web,
        )

    order = order_place(auth, flow=flow, requester=requester, restarts=restarts)
    logger.info("bankid.order_started", flow=flow, restarts=restarts)
    metrics.bankid_order("started")
    return order


def login_follow(
    order: LoginOrder, *, requester: Requester, force: bool = False
) -> tuple[LoginOrder, CompletionData | None]:
    """Bring ``order`` up to date (collecting at most every two seconds unless ``force``).

    Returns the order as it now stands, a new order when a timed-out one was restarted, and the
    completion data once BankID says the order is complete.
    """
    now = clock.now()
    if not collect_due(order, now=now, force=force):
        return order, None
    collected: CollectResponse = connection.call(lambda client: client.collect(order.order_ref))
    completion = _apply(order, collected, now=now)
    if _restart_due(order):
        return login_start(flow=order.flow, requester=requester, restarts=order.restarts + 1), None
    return order, completion


# Where the lean status poll leaves a collect it made and does not answer itself (an ending, an error) in the
# request's ASGI scope, for the full way to use instead of asking BankID again (decision 0241).
COLLECTED = "minasidor.bankid.collected"


@dataclasses.dataclass(frozen=True, slots=True)
class Collected:
    """What one ``collect`` of ``order_ref`` at ``at`` gave: BankID's answer or the error it ended in."""

    order_ref: str
    at: dt.datetime
    response: CollectResponse | None = None
    error: BankIdError | None = None

    def result(self) -> CollectResponse:
        """BankID's answer, or its error raised as the call raised it."""
        if self.error is not None:
            raise self.error
        assert self.response is not None  # noqa: S101 - one of the two is always set
        return self.response


async def acollect(order: LoginOrder) -> Collected:
    """Ask BankID about ``order`` once; the answer or the error, never raised (the lean status poll)."""
    now = clock.now()
    try:
        response: CollectResponse = await connection.acall(lambda client: client.collect(order.order_ref))
    except BankIdError as error:
        return Collected(order.order_ref, now, error=error)
    return Collected(order.order_ref, now, response=response)


def collected_take(request: HttpRequest) -> Collected | None:
    """The collect made for this request before Django saw it, if any (taken: it is used once)."""
    scope = getattr(request, "scope", None)
    found = scope.pop(COLLECTED, None) if isinstance(scope, dict) else None
    return found if isinstance(found, Collected) else None


def collect_apply(order: LoginOrder, collected: Collected) -> CompletionData | None:
    """Record in ``order`` what ``collected`` said (raising its error); the completion data when complete."""
    return _apply(order, collected.result(), now=collected.at)


async def alogin_follow(
    order: LoginOrder, *, requester: Requester, force: bool = False, collected: Collected | None = None
) -> tuple[LoginOrder, CompletionData | None]:
    """:func:`login_follow` for async views: waiting on BankID holds no thread. A collect of this order
    already made for the request (``collected``) is used instead of asking BankID again."""
    if collected is None or collected.order_ref != order.order_ref:
        if not collect_due(order, now=clock.now(), force=force):
            return order, None
        collected = await acollect(order)
    completion = collect_apply(order, collected)
    if _restart_due(order):
        restart = sync_to_async(login_start, thread_sensitive=False)
        return await restart(flow=order.flow, requester=requester, restarts=order.restarts + 1), None
    return order, completion


def collect_due(order: LoginOrder, *, now: dt.datetime, force: bool) -> bool:
    """Whether to ask BankID about the pending ``order`` now: at most every two seconds, unless ``force``."""
    if order.state != "pending":
        return False
    return force or order.collected_at is None or now - order.collected_at >= COLLECT_INTERVAL


def _apply(order: LoginOrder, collected: CollectResponse, *, now: dt.datetime) -> CompletionData | None:
    """Record what ``collect`` said; the completion data when the order is complete."""
    order.collected_at = now
    order.hint_code = collected.hint_code
    if collected.status is CollectStatus.COMPLETE:
        order.state = "complete"
        metrics.bankid_order("complete")
        return collected.completion_data
    if collected.status is CollectStatus.FAILED:
        order.state = "failed"
        metrics.bankid_order("failed")
        logger.info("bankid.order_failed", hint_code=collected.hint_code, restarts=order.restarts)
    return None


def _restart_due(order: LoginOrder) -> bool:
    return order.state == "failed" and order.hint_code == HintCode.START_FAILED.value and order.restarts < MAX_RESTARTS


def login_cancel(order: LoginOrder) -> None:
    """Cancel the order at BankID (nothing is kept of it)."""
    if order.state == "pending":
        connection.call(lambda client: client.cancel(order.order_ref))


def _proof_check(completion: CompletionData) -> None:
    """The signature and OCSP response must prove the login, from BankID's signing root (fail closed)."""
    try:
        completion_proof_check(
            signature_b64=completion.signature,
            ocsp_b64=completion.ocsp_response,
            personal_number=completion.user.personal_number,
            root_file=settings.BANKID_SIGNING_ROOT_FILE,
        )
    except ProofRejectedError as error:
        raise LoginRefusedError(f"BankID's signature or OCSP response did not hold: {error.reason}") from error
    except OSError as error:
        logger.error("bankid.signing_root_unreadable", error=type(error).__name__)
        raise LoginRefusedError("the BankID signing root cannot be read") from error


def identity_from(completion: CompletionData, *, order: LoginOrder) -> Identity:
    """The identity a completed order proves, or :class:`LoginRefusedError` when we do not accept it."""
    if completion.risk == "high":
        raise LoginRefusedError("BankID assessed the order as high risk")
    if order.flow == "this_device" and completion.device.ip_address != order.start_ip:
        raise LoginRefusedError("the app's address differs from the address that started the order")
    _proof_check(completion)
    try:
        number = PersonalNumber(completion.user.personal_number)
    except PersonalNumberError as error:
        raise LoginRefusedError("BankID returned an invalid personal number") from error
    return Identity(
        method=Method.BANKID,
        provider="bankid",
        level_of_assurance=LOA3,
        personal_number=number,
        given_name=completion.user.given_name,
        family_name=completion.user.surname,
        birth_date=number.birth_date,
        authenticated_at=clock.now(),
        transaction_id=order.order_ref,
    )


# --- The order in the session -----------------------------------------------------------------------


def user_text(rfa: Rfa) -> str:
    """BankID's recommended message ``rfa`` in the citizen's language."""
    return text(rfa, language="en" if get_language() == "en" else "sv")


def order_of(session: SessionBase) -> LoginOrder | None:
    """The order in flight for this browser session, if any."""
    data = session.get(ORDER_KEY)
    return LoginOrder.from_session(data) if data else None


async def aorder_of(session: SessionBase) -> LoginOrder | None:
    """:func:`order_of` for async views."""
    data = await session.aget(ORDER_KEY)
    return LoginOrder.from_session(data) if data else None


def _keep(session: SessionBase, order: LoginOrder | None) -> None:
    """Keep ``order`` in the session; an unchanged order is not written again (most status polls)."""
    if order is None:
        session.pop(ORDER_KEY, None)
        return
    data = order.to_session()
    if session.get(ORDER_KEY) != data:
        session[ORDER_KEY] = data


def login_forget(session: SessionBase) -> None:
    """Forget the order and any failure waiting to be shown (a failure page is shown now)."""
    _keep(session, None)
    session.pop(FAILURE_KEY, None)


def login_begin(request: HttpRequest, *, flow: Flow, requester: Requester) -> None:
    """Start an order for the device the citizen chose, in answer to their POST (never before it).

    An order already in flight for this session is cancelled; the session gets a new id. Raises
    :class:`StartsLimitedError` past the abuse limits, and ``BankIdError`` when BankID cannot start it.
    """
    if not abuse.start_allowed(ip=requester.ip, device_id=requester.device_id):
        raise StartsLimitedError
    previous = order_of(request.session)
    request.session.pop(FAILURE_KEY, None)
    if previous is not None:
        login_cancel(previous)
    order = login_start(flow=flow, requester=requester)
    request.session.cycle_key()
    _keep(request.session, order)


def login_advance(request: HttpRequest, *, requester: Requester, on_mobile: bool, force: bool = False) -> Step:
    """Move the session's order on (collecting now if ``force``: the app says it is done).

    A failure ends the order; its text stays in the session until the progress page has shown it.
    """
    order = order_of(request.session)
    if order is None:
        return Step(None, failure=request.session.get(FAILURE_KEY))
    try:
        order, completion = login_follow(order, requester=requester, force=force)
    except BankIdError as error:
        logger.warning("bankid.collect_failed", error_code=error.error_code)
        metrics.bankid_order("collect_error")
        return _ended(request.session, user_text(error.rfa))
    if completion is not None:
        return _finish(request, order, completion, requester)
    if order.state == "failed":
        return _ended(request.session, user_text(order.message(on_mobile=on_mobile)))
    _keep(request.session, order)
    return Step(order)


def passing(error: BankIdError) -> bool:
    """Failures after which collecting again later is right (collect only reads an order): BankID out of
    reach, our breaker open, BankID in maintenance or asking us to slow down. The order stands: a login or a
    signature the person may already have made is not thrown away."""
    return isinstance(error, BankIdTransportError | BankIdCircuitOpenError) or error.error_code in (
        "maintenance",
        TOO_MANY_REQUESTS,
    )


async def alogin_advance(request: HttpRequest, *, requester: Requester, on_mobile: bool) -> Step:
    """:func:`login_advance` for the async status endpoint; the rare endings run as synchronous code.

    Unlike the page, it keeps the order through a passing failure (:class:`CollectDeferredError`). A collect
    the lean status poll made for this request (:func:`collected_take`) is used, not made again.
    """
    collected = collected_take(request)
    data = await request.session.aget(ORDER_KEY)
    if data is None:
        return Step(None, failure=await request.session.aget(FAILURE_KEY))
    resting = order_at_rest(data) if collected is None else None
    if resting is not None:
        return Step(resting)
    order = LoginOrder.from_session(data)
    try:
        order, completion = await alogin_follow(order, requester=requester, collected=collected)
    except BankIdError as error:
        logger.warning("bankid.collect_failed", error_code=error.error_code)
        metrics.bankid_order("collect_error")
        if passing(error):
            raise CollectDeferredError(LoginOrder.from_session(data)) from error
        return await sync_to_async(_ended)(request.session, user_text(error.rfa))
    if completion is not None:
        return await sync_to_async(_finish)(request, order, completion, requester)
    if order.state == "failed":
        return await sync_to_async(_ended)(request.session, user_text(order.message(on_mobile=on_mobile)))
    if order.to_session() != data:
        await request.session.aset(ORDER_KEY, order.to_session())
    return Step(order)


def order_at_rest(data: dict[str, Any]) -> LoginOrder | None:
    """The session's order (``data``) when a poll has nothing to do but tell where it stands: pending, and no
    collect due. Most polls; the lean status poll answers exactly these (decision 0205), the rest go the full way.
    """
    order = LoginOrder.from_session(data)
    if order.state == "pending" and not collect_due(order, now=clock.now(), force=False):
        return order
    return None


def _finish(request: HttpRequest, order: LoginOrder, completion: CompletionData, requester: Requester) -> Step:
    """Accept a completed order as a login, or refuse it with a reason the citizen can act on."""
    _keep(request.session, None)
    try:
        identity = identity_from(completion, order=order)
    except LoginRefusedError as refused:
        logger.warning("bankid.login_refused", reason=refused.reason)
        metrics.bankid_order("refused")
        return _ended(request.session, _("The login was stopped for your safety. Please try again on your own device."))
    if not abuse.login_allowed(device_id=requester.device_id, subject_pseudonym=identity.pseudonym):
        return _ended(
            request.session, _("Too many different people have logged in from this device. Logins are paused here.")
        )
    identity_login(request, identity)
    new_device_login_tell(
        identity=identity,
        device_id=requester.device_id,
        login=order.order_ref,
        action=LOGGED_IN_NEW_DEVICE,
        sender=_finish,
    )
    metrics.bankid_order("logged_in")
    return Step(order, logged_in=True)


def _ended(session: SessionBase, failure: str) -> Step:
    _keep(session, None)
    session[FAILURE_KEY] = failure
    return Step(None, failure=failure)


def login_abandon(session: SessionBase) -> None:
    """The citizen cancelled: the order is forgotten here and cancelled at BankID (a failure there is logged)."""
    order = order_of(session)
    _keep(session, None)
    if order is not None:
        try:
            login_cancel(order)
        except BankIdError as error:
            logger.info("bankid.cancel_failed", error_code=error.error_code)


# The QR code's mask pattern, fixed: choosing the best of the eight for every picture took four fifths of
# the picture's CPU time (the page loads one a second). Any mask is valid; readers handle each.
QR_MASK = 2


def qr_picture(order: LoginOrder) -> bytes:
    """The order's QR code as it should look this second, an SVG: the login's QR picture (full and lean way)
    and the signing step's."""
    text = qr_data_at(
        qr_start_token=order.qr_start_token,
        qr_start_secret=order.qr_start_secret,
        started_at=order.started_at,
        now=clock.now(),
    )
    buffer = io.BytesIO()
    segno.make(text, error="l", mask=QR_MASK).save(buffer, kind="svg", scale=6, border=4, light="white", xmldecl=False)
    return buffer.getvalue()
