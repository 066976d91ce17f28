"""The order book: BankID's order state machine, on an injectable clock.

An order is ``pending`` with a hint code until it ends ``failed`` (with a hint code) or ``complete``
(with completion data). The RP side starts, collects and cancels orders; the virtual app side (see
``app_actions``) picks them up and acts on them. Time never advances by itself: every operation first
applies what the clock says has happened (``startFailed``, ``expiredTransaction``, forgetting old orders).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from simulators.bankid.errors import ApiError, invalid_parameters
from simulators.bankid.persons import Person

Clock = Callable[[], dt.datetime]


class OrderKind(StrEnum):
    AUTH = "auth"
    SIGN = "sign"
    PHONE_AUTH = "phone/auth"
    PHONE_SIGN = "phone/sign"

    @property
    def is_phone(self) -> bool:
        return self in (OrderKind.PHONE_AUTH, OrderKind.PHONE_SIGN)

    @property
    def is_sign(self) -> bool:
        return self in (OrderKind.SIGN, OrderKind.PHONE_SIGN)


@dataclass(frozen=True, kw_only=True)
class OrderRequest:
    """A validated start request (base64 fields kept as sent)."""

    kind: OrderKind
    end_user_ip: str | None = None
    personal_number: str | None = None  # requirement.personalNumber, or the phone personalNumber
    call_initiator: str | None = None
    requirement: dict[str, Any] = field(default_factory=dict)
    user_visible_data: str | None = None
    user_visible_data_format: str | None = None
    user_non_visible_data: str | None = None
    return_url: str | None = None
    return_risk: bool = False
    rp_subject: str = ""  # the RP certificate's subject DN, for srvInfo/name
    rp_display_name: str = ""

    @property
    def risk_requirement(self) -> str | None:
        risk = self.requirement.get("risk")
        return risk.lower() if isinstance(risk, str) else None


@dataclass(frozen=True, kw_only=True)
class Timings:
    """Time limits of the order state machine (BankID's figures; see docs/decisions/0023)."""

    start_timeout: dt.timedelta = dt.timedelta(seconds=30)
    order_lifetime: dt.timedelta = dt.timedelta(minutes=3)
    complete_retention: dt.timedelta = dt.timedelta(minutes=3)
    failed_retention: dt.timedelta = dt.timedelta(minutes=5)
    qr_tolerance_seconds: int = 3
    wrong_code_limit: int = 3
    collect_once: bool = False


@dataclass(kw_only=True)
class Order:
    """One order and everything the app has done to it."""

    order_ref: str
    request: OrderRequest
    created_at: dt.datetime
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = field(repr=False)
    status: str = "pending"
    hint_code: str | None = "outstandingTransaction"
    picked_up_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    person: Person | None = None
    via_autostart: bool = False
    launch_redirect: str | None = None
    call_confirmed: bool = False
    mrtd_passed: bool | None = None
    wrong_codes: int = 0
    device_ip: str | None = None
    risk: str | None = None
    completion_data: dict[str, Any] | None = None

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def is_picked_up(self) -> bool:
        return self.picked_up_at is not None

    def collect_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"orderRef": self.order_ref, "status": self.status}
        if self.status == "complete":
            body["completionData"] = self.completion_data
        else:
            body["hintCode"] = self.hint_code
        return body


class CompletionBuilder(Protocol):
    """Builds ``completionData`` (signature, OCSP response, …) for an approved order."""

    def __call__(self, order: Order, *, now: dt.datetime) -> dict[str, Any]: ...


def minimal_completion(order: Order, *, now: dt.datetime) -> dict[str, Any]:
    """completionData without signature or OCSP response (for state-machine tests)."""
    assert order.person is not None  # noqa: S101 - only called for approved orders
    return {
        "user": {
            "personalNumber": order.person.personal_number,
            "name": order.person.name,
            "givenName": order.person.given_name,
            "surname": order.person.surname,
        },
        "device": {"ipAddress": order.device_ip, "uhi": "simulated"},
        "bankIdIssueDate": order.person.bank_id_issue_date.isoformat(),
        "signature": "",
        "ocspResponse": "",
    }


class OrderBook:
    """All orders of one simulator, with BankID's rules between them."""

    def __init__(
        self,
        *,
        clock: Clock,
        timings: Timings | None = None,
        completion: CompletionBuilder = minimal_completion,
    ) -> None:
        self.clock = clock
        self.timings = timings or Timings()
        self.completion = completion
        self._orders: dict[str, Order] = {}
        # When something may next happen to an order, earliest first; stale entries are harmless.
        self._deadlines: list[tuple[dt.datetime, int, str]] = []
        self._sequence = itertools.count()

    # --- RP side -------------------------------------------------------------------------------

    def start(self, request: OrderRequest) -> Order:
        """Create an order, or refuse with ``alreadyInProgress`` (cancelling the running one)."""
        now = self.refresh()
        if request.personal_number:
            running = self.pending_for(request.personal_number)
            if running:
                for order in running:
                    self.fail(order, "cancelled", now=now)
                raise ApiError(
                    status=400,
                    error_code="alreadyInProgress",
                    details="Order already in progress for pno",
                )
        order = Order(
            order_ref=str(uuid.uuid4()),
            request=request,
            created_at=now,
            auto_start_token=str(uuid.uuid4()),
            qr_start_token=str(uuid.uuid4()),
            qr_start_secret=str(uuid.uuid4()),
        )
        self._orders[order.order_ref] = order
        self._schedule(order)
        return order

    def collect(self, order_ref: str) -> dict[str, Any]:
        """The collect body, or ``invalidParameters`` for unknown, cancelled or forgotten orders."""
        self.refresh()
        order = self._orders.get(order_ref)
        if order is None:
            raise invalid_parameters("No such order")
        body = order.collect_body()
        if not order.is_pending and self.timings.collect_once:
            del self._orders[order_ref]
        return body

    def cancel(self, order_ref: str) -> None:
        """Cancel (forget) an order; a second cancel or an unknown order is ``invalidParameters``."""
        self.refresh()
        if self._orders.pop(order_ref, None) is None:
            raise invalid_parameters("No such order")

    # --- state ---------------------------------------------------------------------------------

    def refresh(self) -> dt.datetime:
        """Apply what the clock says has happened; return the current time."""
        now = self.clock()
        while self._deadlines and self._deadlines[0][0] <= now:
            _, _, order_ref = heapq.heappop(self._deadlines)
            order = self._orders.get(order_ref)
            if order is not None:
                self._apply_time(order, now)
        return now

    def _apply_time(self, order: Order, now: dt.datetime) -> None:
        t = self.timings
        if order.is_pending and not order.is_picked_up and now - order.created_at >= t.start_timeout:
            self.fail(order, "startFailed", now=order.created_at + t.start_timeout)
        elif order.is_pending and now - order.created_at >= t.order_lifetime:
            self.fail(order, "expiredTransaction", now=order.created_at + t.order_lifetime)
        if order.ended_at is not None:
            keep = t.complete_retention if order.status == "complete" else t.failed_retention
            if now - order.ended_at >= keep:
                del self._orders[order.order_ref]
                return
        self._schedule(order)

    def _schedule(self, order: Order) -> None:
        t = self.timings
        if order.ended_at is not None:
            keep = t.complete_retention if order.status == "complete" else t.failed_retention
            when = order.ended_at + keep
        elif order.is_picked_up:
            when = order.created_at + t.order_lifetime
        else:
            when = order.created_at + t.start_timeout
        heapq.heappush(self._deadlines, (when, next(self._sequence), order.order_ref))

    def get(self, order_ref: str) -> Order | None:
        self.refresh()
        return self._orders.get(order_ref)

    def orders(self) -> list[Order]:
        self.refresh()
        return list(self._orders.values())

    def pending_for(self, personal_number: str) -> list[Order]:
        """Pending orders bound to this person (by requirement, phone number or pick-up)."""
        return [
            o
            for o in self._orders.values()
            if o.is_pending
            and personal_number in (o.request.personal_number, o.person.personal_number if o.person else None)
        ]

    def fail(self, order: Order, hint_code: str, *, now: dt.datetime) -> None:
        order.status = "failed"
        order.hint_code = hint_code
        order.ended_at = now
        self._schedule(order)

    def complete(self, order: Order, *, now: dt.datetime) -> None:
        order.status = "complete"
        order.hint_code = None
        order.ended_at = now
        order.completion_data = self.completion(order, now=now)
        self._schedule(order)

    def clear(self) -> None:
        self._orders.clear()
        self._deadlines.clear()

    def by_qr_token(self, token: str) -> Order | None:
        self.refresh()
        return next((o for o in self._orders.values() if o.qr_start_token == token), None)

    def by_auto_start_token(self, token: str) -> Order | None:
        self.refresh()
        return next((o for o in self._orders.values() if o.auto_start_token == token), None)
