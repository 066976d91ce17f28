"""What the virtual BankID app does to orders: scan a QR, open an autostart link, take a phone order,
then approve, cancel, enter a wrong code, confirm or decline a call, scan an ID document.

These are the rules of the app, shared by the JSON control API and the HTML page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from enum import StrEnum

from simulators.bankid.errors import AppError
from simulators.bankid.orders import Order, OrderBook
from simulators.bankid.persons import Person, find_person

RISK_LEVELS = ("low", "moderate", "high")


class Action(StrEnum):
    APPROVE = "approve"
    CANCEL = "cancel"
    WRONG_CODE = "wrongCode"
    CONFIRM_CALL = "confirmCall"
    DECLINE_CALL = "declineCall"
    SCAN_DOCUMENT = "scanDocument"


@dataclass(frozen=True, kw_only=True)
class ActionOptions:
    """Options the tester sets when acting: the device's IP, the risk BankID computes, MRTD outcome."""

    device_ip: str | None = None
    risk: str = "low"
    mrtd_passed: bool = True


def qr_auth_code(*, qr_start_secret: str, seconds: int) -> str:
    """BankID's animated-QR HMAC: hex(HMAC-SHA256(key=secret, msg=str(seconds)))."""
    return hmac.new(qr_start_secret.encode("ascii"), str(seconds).encode("ascii"), hashlib.sha256).hexdigest()


def _person(personal_number: str | None) -> Person:
    person = find_person(personal_number or "")
    if person is None:
        raise AppError(status=400, code="unknownPerson", message="Choose one of the test persons.")
    return person


def _require_pick_up(order: Order | None, *, what: str) -> Order:
    if order is None:
        raise AppError(status=404, code="unknownOrder", message=f"No order has this {what}.")
    if not order.is_pending:
        raise AppError(status=410, code="orderEnded", message=f"The order has ended ({order.hint_code}).")
    return order


def scan(book: OrderBook, *, qr_data: str, personal_number: str | None, old_app: bool = False) -> Order:
    """Scan an animated QR code: the HMAC must match and the time must be current."""
    parts = qr_data.strip().split(".")
    if len(parts) != 4 or parts[0] != "bankid" or not parts[2].isdigit():
        raise AppError(status=400, code="invalidQr", message="This is not a BankID QR code.")
    _, token, seconds_text, auth_code = parts
    order = _require_pick_up(book.by_qr_token(token), what="QR code")
    seconds = int(seconds_text)
    expected = qr_auth_code(qr_start_secret=order.qr_start_secret, seconds=seconds)
    if not hmac.compare_digest(expected, auth_code.lower()):
        raise AppError(status=400, code="invalidQr", message="The QR code's check value is wrong.")
    now = book.refresh()
    elapsed = math.floor((now - order.created_at).total_seconds())
    if seconds > elapsed + 1 or seconds < elapsed - book.timings.qr_tolerance_seconds:
        raise AppError(status=400, code="staleQr", message="The QR code is too old.")
    if order.is_picked_up:
        raise AppError(status=409, code="alreadyScanned", message="Another device has this order.")
    if order.request.kind.is_phone:
        raise AppError(status=409, code="phoneOrder", message="Phone orders are not scanned.")
    return _pick_up(book, order, person=_person(personal_number), old_app=old_app)


def open_autostart(
    book: OrderBook,
    *,
    auto_start_token: str,
    personal_number: str | None,
    redirect: str | None = None,
    old_app: bool = False,
) -> Order:
    """Open the app with an autostart token; without a person the order waits in ``started``."""
    order = _require_pick_up(book.by_auto_start_token(auto_start_token), what="autostart token")
    if order.request.kind.is_phone:
        raise AppError(status=409, code="phoneOrder", message="Phone orders have no autostart token.")
    if order.person is not None:
        raise AppError(status=409, code="alreadyOpened", message="The app already has this order.")
    order.via_autostart = True
    if redirect and redirect != "null":
        order.launch_redirect = redirect
    if personal_number is None:
        order.picked_up_at = order.picked_up_at or book.refresh()
        order.hint_code = "started"
        return order
    return _pick_up(book, order, person=_person(personal_number), old_app=old_app)


def take_phone_order(book: OrderBook, *, personal_number: str | None) -> Order:
    """The app of this person receives its pending phone order."""
    person = _person(personal_number)
    book.refresh()
    for order in book.pending_for(person.personal_number):
        if order.request.kind.is_phone and not order.is_picked_up:
            return _pick_up(book, order, person=person, old_app=False)
    raise AppError(status=404, code="unknownOrder", message="No phone order waits for this person.")


def _pick_up(book: OrderBook, order: Order, *, person: Person, old_app: bool) -> Order:
    required = order.request.personal_number
    if required and required != person.personal_number:
        raise AppError(status=409, code="otherPerson", message="The order is for another person.")
    now = book.refresh()
    for other in book.pending_for(person.personal_number):
        if other is not order:
            book.fail(other, "cancelled", now=now)
    order.person = person
    order.picked_up_at = order.picked_up_at or now
    order.device_ip = order.request.end_user_ip or "127.0.0.1"
    if old_app and (order.request.return_url or order.request.requirement.get("mrtd")):
        book.fail(order, "notSupportedByUserApp", now=now)
        return order
    order.hint_code = _next_hint(order)
    return order


def _next_hint(order: Order) -> str:
    if order.request.kind.is_phone and not order.call_confirmed:
        return "userCallConfirm"
    if order.request.requirement.get("mrtd") and order.mrtd_passed is None:
        return "userMrtd"
    return "userSign"


def act(book: OrderBook, *, order_ref: str, action: Action, options: ActionOptions) -> Order:
    """Act in the app on an order it has picked up."""
    order = _require_pick_up(book.get(order_ref), what="orderRef")
    if order.person is None:
        raise AppError(status=409, code="noPerson", message="Choose a person in the app first.")
    now = book.refresh()
    if action is Action.CANCEL:
        book.fail(order, "userCancel", now=now)
    elif action is Action.DECLINE_CALL:
        _expect(order, "userCallConfirm")
        book.fail(order, "userDeclinedCall", now=now)
    elif action is Action.CONFIRM_CALL:
        _expect(order, "userCallConfirm")
        order.call_confirmed = True
        order.hint_code = _next_hint(order)
    elif action is Action.SCAN_DOCUMENT:
        _expect(order, "userMrtd")
        order.mrtd_passed = options.mrtd_passed
        order.hint_code = _next_hint(order)
    elif action is Action.WRONG_CODE:
        _expect(order, "userSign")
        order.wrong_codes += 1
        if order.wrong_codes >= book.timings.wrong_code_limit:
            book.fail(order, "certificateErr", now=now)
    else:
        _approve(book, order, options=options, now=now)
    return order


def _expect(order: Order, hint_code: str) -> None:
    if order.hint_code != hint_code:
        raise AppError(status=409, code="wrongStep", message=f"The order is at {order.hint_code}, not {hint_code}.")


def _approve(book: OrderBook, order: Order, *, options: ActionOptions, now: dt.datetime) -> None:
    if options.risk not in RISK_LEVELS:
        raise AppError(status=400, code="invalidRisk", message="Risk must be low, moderate or high.")
    if options.device_ip is not None:
        try:
            ipaddress.ip_address(options.device_ip)
        except ValueError:
            raise AppError(status=400, code="invalidIp", message="deviceIp is not an IP address.") from None
        order.device_ip = options.device_ip
    if order.request.kind.is_phone:
        order.call_confirmed = True
    if order.request.requirement.get("mrtd") and order.mrtd_passed is None:
        order.mrtd_passed = options.mrtd_passed
    order.risk = options.risk
    limit = order.request.risk_requirement
    if limit in RISK_LEVELS and RISK_LEVELS.index(options.risk) > RISK_LEVELS.index(limit):
        book.fail(order, "transactionRiskBlocked", now=now)
        return
    book.complete(order, now=now)


def return_url(order: Order) -> str | None:
    """Where the app sends the user after completion on the same device, if anywhere."""
    if order.status != "complete" or not order.via_autostart:
        return None
    return order.request.return_url or order.launch_redirect


def decoded_text(value: str | None) -> str | None:
    """Base64 user data as text (or None if absent or not UTF-8)."""
    if value is None:
        return None
    try:
        return base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
