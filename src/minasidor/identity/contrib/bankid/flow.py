"""The BankID login flow: start an order, follow it, and turn a completed order into an identity.

State lives server-side in the session (:class:`LoginOrder`); the browser never sees ``qrStartSecret``.
Following an order calls BankID's ``collect`` at most every two seconds however often the page asks, and
restarts an order that timed out before the app picked it up (``startFailed``) a few times before giving
up. A completed order is accepted only if BankID's risk assessment is not high, when the app ran on the
same device, the device's address seen by BankID is the one that started the order, and the signature and
OCSP response prove the person from BankID's signing root (:mod:`.verify`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any, Literal

import structlog
from asgiref.sync import sync_to_async
from django.conf import settings

from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.identity.contrib.bankid import service
from minasidor.identity.contrib.bankid.messages import Rfa, message_for_failed, message_for_pending
from minasidor.identity.contrib.bankid.models import (
    AuthRequest,
    CollectResponse,
    CollectStatus,
    CompletionData,
    HintCode,
    OrderResponse,
    WebDevice,
)
from minasidor.identity.contrib.bankid.verify import ProofRejectedError, completion_proof_check
from minasidor.identity.types import LOA3, Identity, Method

Flow = Literal["this_device", "other_device"]
State = Literal["pending", "failed", "complete"]

COLLECT_INTERVAL = dt.timedelta(seconds=2)
MAX_RESTARTS = 3

logger = structlog.get_logger(__name__)


class LoginRefusedError(Exception):
    """BankID completed the order, but we do not accept it as a login (``reason`` is for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(kw_only=True)
class LoginOrder:
    """One BankID order in flight for this browser session."""

    flow: Flow
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = dataclasses.field(repr=False)
    started_at: dt.datetime
    start_ip: str
    return_nonce: str = dataclasses.field(repr=False)
    restarts: int = 0
    collected_at: dt.datetime | None = None
    state: State = "pending"
    hint_code: str | None = HintCode.OUTSTANDING_TRANSACTION.value

    @property
    def shows_qr(self) -> bool:
        """The QR is shown only on the other-device flow, until the app has picked the order up."""
        return (
            self.flow == "other_device"
            and self.state == "pending"
            and self.hint_code in (HintCode.OUTSTANDING_TRANSACTION.value, HintCode.NO_CLIENT.value)
        )

    def message(self, *, on_mobile: bool) -> Rfa:
        """BankID's recommended message for where the order stands."""
        autostarted = self.flow == "this_device"
        if self.state == "failed":
            return message_for_failed(self.hint_code, autostarted=autostarted)
        return message_for_pending(self.hint_code, autostarted=autostarted, on_mobile=on_mobile)

    def to_session(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["collected_at"] = self.collected_at.isoformat() if self.collected_at else None
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> LoginOrder:
        values = dict(data)
        values["started_at"] = dt.datetime.fromisoformat(data["started_at"])
        values["collected_at"] = dt.datetime.fromisoformat(data["collected_at"]) if data["collected_at"] else None
        return cls(**values)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Requester:
    """What we know of the browser that asks to log in (sent to BankID for its risk assessment)."""

    ip: str
    user_agent: str
    host: str
    device_id: str
    return_url: str


def purpose_text() -> str:
    """The text the BankID app shows, so the citizen sees what they are logging in to."""
    return f"Logga in på Mina sidor hos {settings.AUTHORITY_NAME}"


def login_start(*, flow: Flow, requester: Requester, restarts: int = 0) -> LoginOrder:
    """Start a BankID order for ``requester``; raises ``BankIdError`` when BankID cannot."""
    nonce = secrets.token_urlsafe(24)
    request = AuthRequest(
        end_user_ip=requester.ip,
        user_visible_data=purpose_text(),
        return_url=f"{requester.return_url}?nonce={nonce}" if flow == "this_device" else None,
        return_risk=True,
        web=WebDevice(
            referring_domain=requester.host.split(":")[0],
            user_agent=requester.user_agent or None,
            device_identifier=requester.device_id,
        ),
    )
    response: OrderResponse = service.call(lambda client: client.auth(request))
    logger.info("bankid.order_started", flow=flow, restarts=restarts)
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


def login_follow(
    order: LoginOrder, *, requester: Requester, force: bool = False
) -> tuple[LoginOrder, CompletionData | None]:
    """Bring ``order`` up to date (collecting at most every two seconds unless ``force``).

    Returns the order as it now stands, a new order when a timed-out one was restarted, and the
    completion data once BankID says the order is complete.
    """
    now = clock.now()
    if not _collect_due(order, now=now, force=force):
        return order, None
    collected: CollectResponse = service.call(lambda client: client.collect(order.order_ref))
    completion = _apply(order, collected, now=now)
    if _restart_due(order):
        return login_start(flow=order.flow, requester=requester, restarts=order.restarts + 1), None
    return order, completion


async def alogin_follow(
    order: LoginOrder, *, requester: Requester, force: bool = False
) -> tuple[LoginOrder, CompletionData | None]:
    """:func:`login_follow` for async views: waiting on BankID holds no thread."""
    now = clock.now()
    if not _collect_due(order, now=now, force=force):
        return order, None
    collected: CollectResponse = await service.acall(lambda client: client.collect(order.order_ref))
    completion = _apply(order, collected, now=now)
    if _restart_due(order):
        restart = sync_to_async(login_start, thread_sensitive=False)
        return await restart(flow=order.flow, requester=requester, restarts=order.restarts + 1), None
    return order, completion


def _collect_due(order: LoginOrder, *, now: dt.datetime, force: bool) -> bool:
    if order.state != "pending":
        return False
    return force or order.collected_at is None or now - order.collected_at >= COLLECT_INTERVAL


def _apply(order: LoginOrder, collected: CollectResponse, *, now: dt.datetime) -> CompletionData | None:
    """Record what ``collect`` said; the completion data when the order is complete."""
    order.collected_at = now
    order.hint_code = collected.hint_code
    if collected.status is CollectStatus.COMPLETE:
        order.state = "complete"
        return collected.completion_data
    if collected.status is CollectStatus.FAILED:
        order.state = "failed"
        logger.info("bankid.order_failed", hint_code=collected.hint_code, restarts=order.restarts)
    return None


def _restart_due(order: LoginOrder) -> bool:
    return order.state == "failed" and order.hint_code == HintCode.START_FAILED.value and order.restarts < MAX_RESTARTS


def login_cancel(order: LoginOrder) -> None:
    """Cancel the order at BankID (nothing is kept of it)."""
    if order.state == "pending":
        service.call(lambda client: client.cancel(order.order_ref))


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
