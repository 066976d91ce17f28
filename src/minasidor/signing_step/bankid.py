"""Signing with BankID: a sign order for the pending document, followed like a login, and its completion
turned into a :class:`~minasidor.signing_step.flow.Signature` only when it proves the logged-in person signed
exactly that document.

The order lives server-side in the session (``ORDER_KEY``, with the hash of the document it signs), as the
login's does: the browser never sees ``qrStartSecret``; ``collect`` is called at most every two seconds
however often the page asks; an order that timed out before the app picked it up (``startFailed``) is started
again up to three times; starts count against the login's abuse limits. The order asks BankID to let only the
logged-in person sign (``requirement.personalNumber``), shows the document's summary (``userVisibleData``,
simpleMarkdownV1) and carries its hash (``userNonVisibleData``).

A completed order is accepted only if BankID's risk is not high, on the same device the app's address is the
one that started the order, :func:`~minasidor.signing.bankid_evidence.sign_completion_check` holds (signer,
XML signature and chain to the signing root, OCSP, signed text and hash), and neither the order nor its
signature has been accepted before (:func:`~minasidor.signing_step.services.signature_record_create`, which
also writes the access record). A failure ends the order; the text for the citizen waits in the session
(``FAILURE_KEY``) until a page shows it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import structlog
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kernel import clock
from minasidor.identity.contrib.bankid import abuse, connection
from minasidor.identity.contrib.bankid.flow import COLLECT_INTERVAL, order_place, passing, user_text
from minasidor.identity.contrib.bankid.rp.errors import BankIdError
from minasidor.identity.contrib.bankid.rp.types import (
    CollectResponse,
    CollectStatus,
    CompletionData,
    HintCode,
    Requirement,
    SignRequest,
    WebDevice,
)
from minasidor.identity.contrib.bankid.types import Flow, LoginOrder, Requester
from minasidor.identity.types import Identity
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing.bankid_evidence import SignatureRefusedError, sign_completion_check
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import PendingRequest, Signature, pending_forget, signature_keep, signer_of
from minasidor.signing_step.services import signature_record_create

ORDER_KEY = "signing_step_bankid_order"
FAILURE_KEY = "signing_step_bankid_failure"
MAX_RESTARTS = 3

logger = structlog.get_logger(__name__)


class SignRefusedError(Exception):
    """BankID completed the order, but it does not prove the signature (``reason`` is for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StartsLimitedError(Exception):
    """Too many orders have been started from this address or device (the login's abuse limits)."""


@dataclasses.dataclass(frozen=True, slots=True)
class SignStep:
    """Where the signing stands: the order in flight, the signature done, or the failure to show."""

    order: LoginOrder | None
    signature: Signature | None = None
    failure: str | None = None


def sign_order_start(
    *, flow: Flow, requester: Requester, document: SignableDocument, signer: str, restarts: int = 0
) -> LoginOrder:
    """Start a sign order of ``document`` that only ``signer`` (a personal number) can sign."""

    def sign(return_url: str | None, web: WebDevice) -> SignRequest:
        return SignRequest(
            end_user_ip=requester.ip,
            requirement=Requirement(personal_number=signer),
            user_visible_data=document.summary,
            user_visible_data_format="simpleMarkdownV1",
            user_non_visible_data=document.non_visible_data,
            return_url=return_url,
            return_risk=True,
            web=web,
        )

    order = order_place(sign, flow=flow, requester=requester, restarts=restarts)
    logger.info("signing.bankid_order_started", flow=flow, restarts=restarts)
    return order


# --- The order in the session -----------------------------------------------------------------------


def order_of(session: SessionBase) -> tuple[LoginOrder, str] | None:
    """The order in flight and the hash of the document it signs, if any."""
    data = session.get(ORDER_KEY)
    if not data:
        return None
    return LoginOrder.from_session(data["order"]), data["hash"]


def _keep(session: SessionBase, order: LoginOrder | None, *, hash_hex: str = "") -> None:
    if order is None:
        session.pop(ORDER_KEY, None)
        return
    data: dict[str, Any] = {"order": order.to_session(), "hash": hash_hex}
    if session.get(ORDER_KEY) != data:
        session[ORDER_KEY] = data


def _cancel_at_bankid(order: LoginOrder) -> None:
    if order.state != "pending":
        return
    try:
        connection.call(lambda client: client.cancel(order.order_ref))
    except BankIdError as error:
        logger.info("signing.bankid_cancel_failed", error_code=error.error_code)


def sign_begin_order(
    request: HttpRequest, *, pending: PendingRequest, identity: Identity, flow: Flow, requester: Requester
) -> None:
    """Start the order for the device the person chose, in answer to their POST; an order already in
    flight is cancelled. Raises :class:`StartsLimitedError` past the abuse limits, ``BankIdError`` when
    BankID cannot start it."""
    if identity.personal_number is None:
        raise SignRefusedError("BankID signs only for a Swedish personal number")
    if not abuse.start_allowed(ip=requester.ip, device_id=requester.device_id):
        raise StartsLimitedError
    request.session.pop(FAILURE_KEY, None)
    previous = order_of(request.session)
    if previous is not None:
        _cancel_at_bankid(previous[0])
    order = sign_order_start(flow=flow, requester=requester, document=pending.document, signer=signer_of(identity))
    _keep(request.session, order, hash_hex=pending.document.hash_hex)


def sign_abandon(session: SessionBase) -> None:
    """The person cancelled: the order is forgotten here and cancelled at BankID."""
    current = order_of(session)
    _keep(session, None)
    session.pop(FAILURE_KEY, None)
    if current is not None:
        _cancel_at_bankid(current[0])


def failure_forget(session: SessionBase) -> None:
    """Forget a failure that a page has now shown."""
    session.pop(FAILURE_KEY, None)


def sign_advance(
    request: HttpRequest,
    *,
    pending: PendingRequest | None,
    identity: Identity,
    requester: Requester,
    on_mobile: bool,
    force: bool = False,
) -> SignStep:
    """Move the session's order on (collecting now if ``force``: the app says it is done)."""
    current = order_of(request.session)
    if current is None:
        return SignStep(None, failure=request.session.get(FAILURE_KEY))
    order, hash_hex = current
    if pending is None or pending.document.hash_hex != hash_hex:
        # The document changed under the order (another tab asked for another signature): it cannot finish.
        _cancel_at_bankid(order)
        return _ended(request.session, _("What you were signing has changed. Nothing was signed."))
    now = clock.now()
    if not (force or order.collected_at is None or now - order.collected_at >= COLLECT_INTERVAL):
        return SignStep(order)
    return _collect(request, order, pending=pending, identity=identity, requester=requester, on_mobile=on_mobile)


def _collect(
    request: HttpRequest,
    order: LoginOrder,
    *,
    pending: PendingRequest,
    identity: Identity,
    requester: Requester,
    on_mobile: bool,
) -> SignStep:
    now = clock.now()
    try:
        collected: CollectResponse = connection.call(lambda client: client.collect(order.order_ref))
    except BankIdError as error:
        logger.warning("signing.bankid_collect_failed", error_code=error.error_code)
        if passing(error):
            return SignStep(order)
        _cancel_at_bankid(order)
        return _ended(request.session, user_text(error.rfa))
    order.collected_at = now
    order.hint_code = collected.hint_code
    if collected.status is CollectStatus.COMPLETE and collected.completion_data is not None:
        order.state = "complete"
        return _finish(request, order=order, completion=collected.completion_data, pending=pending, identity=identity)
    if collected.status is CollectStatus.FAILED:
        return _failed_or_restarted(
            request, order, pending=pending, identity=identity, requester=requester, on_mobile=on_mobile
        )
    _keep(request.session, order, hash_hex=pending.document.hash_hex)
    return SignStep(order)


def _failed_or_restarted(
    request: HttpRequest,
    order: LoginOrder,
    *,
    pending: PendingRequest,
    identity: Identity,
    requester: Requester,
    on_mobile: bool,
) -> SignStep:
    """An order that failed ends, unless it timed out before the app picked it up: then a new one starts."""
    order.state = "failed"
    logger.info("signing.bankid_order_failed", hint_code=order.hint_code, restarts=order.restarts)
    if order.hint_code != HintCode.START_FAILED.value or order.restarts >= MAX_RESTARTS:
        return _ended(request.session, user_text(order.message(on_mobile=on_mobile)))
    try:
        restarted = sign_order_start(
            flow=order.flow,
            requester=requester,
            document=pending.document,
            signer=signer_of(identity),
            restarts=order.restarts + 1,
        )
    except BankIdError as error:
        return _ended(request.session, user_text(error.rfa))
    _keep(request.session, restarted, hash_hex=pending.document.hash_hex)
    return SignStep(restarted)


def completion_accept(
    *, order: LoginOrder, completion: CompletionData, document: SignableDocument, identity: Identity
) -> Signature:
    """The signature a completed order proves, recorded once; :class:`SignRefusedError` otherwise."""
    if identity.personal_number is None:
        raise SignRefusedError("BankID signs only for a Swedish personal number")
    if completion.risk == "high":
        raise SignRefusedError("BankID assessed the order as high risk")
    if order.flow == "this_device" and completion.device.ip_address != order.start_ip:
        raise SignRefusedError("the app's address differs from the address that started the order")
    signer = signer_of(identity)
    completed_at = clock.now()
    try:
        sign_completion_check(
            completion=completion,
            order_ref=order.order_ref,
            document=document,
            signer=signer,
            root_file=settings.BANKID_SIGNING_ROOT_FILE,
            completed_at=completed_at,
        )
    except SignatureRefusedError as error:
        raise SignRefusedError(error.reason) from error
    except OSError as error:
        logger.error("signing.bankid_root_unreadable", error=type(error).__name__)
        raise SignRefusedError("the BankID signing root cannot be read") from error
    try:
        signature_record_create(
            identity=identity, order_ref=order.order_ref, signature=completion.signature, document=document
        )
    except IntegrityError as error:
        raise SignRefusedError("this order or signature has been accepted before (a replay)") from error
    return Signature(
        method="bankid",
        document=document,
        evidence=SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=signer,
            signed_at=completed_at,
            signature=completion.signature,
            ocsp_response=completion.ocsp_response,
        ),
        signed_at=completed_at,
        signer=signer,
    )


def _finish(
    request: HttpRequest, *, order: LoginOrder, completion: CompletionData, pending: PendingRequest, identity: Identity
) -> SignStep:
    _keep(request.session, None)
    try:
        signature = completion_accept(order=order, completion=completion, document=pending.document, identity=identity)
    except SignRefusedError as refused:
        logger.warning("signing.bankid_refused", reason=refused.reason)
        return _ended(
            request.session,
            _("The signature was stopped for your safety and nothing was signed. Please try again on your own device."),
        )
    signature_keep(request, signature)
    pending_forget(request)
    logger.info("signing.bankid_signed", kind=pending.document.kind.value)
    return SignStep(order, signature=signature)


def _ended(session: SessionBase, failure: str) -> SignStep:
    _keep(session, None)
    session[FAILURE_KEY] = failure
    return SignStep(None, failure=failure)
