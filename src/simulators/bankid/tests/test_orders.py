"""The order state machine (§6.4–6.6): pick-up, timeouts on the injectable clock, newer orders, collect/cancel."""

from __future__ import annotations

import pytest

from simulators.bankid.app_actions import (
    Action,
    ActionOptions,
    act,
    open_autostart,
    qr_auth_code,
    scan,
    take_phone_order,
)
from simulators.bankid.clock import ManualClock
from simulators.bankid.errors import ApiError, AppError
from simulators.bankid.orders import Order, OrderBook, OrderKind, OrderRequest, Timings

TOLVAN = "191212121212"
KARL = "190000000000"


def start(book: OrderBook, **fields: object) -> Order:
    values: dict[str, object] = {"kind": OrderKind.AUTH, "end_user_ip": "192.0.2.1", **fields}
    return book.start(OrderRequest(**values))  # type: ignore[arg-type]


def qr_of(order: Order, seconds: int) -> str:
    code = qr_auth_code(qr_start_secret=order.qr_start_secret, seconds=seconds)
    return f"bankid.{order.qr_start_token}.{seconds}.{code}"


def approve(book: OrderBook, order: Order, **options: object) -> Order:
    return act(book, order_ref=order.order_ref, action=Action.APPROVE, options=ActionOptions(**options))  # type: ignore[arg-type]


def test_new_order_is_outstanding(book: OrderBook) -> None:
    order = start(book)
    assert book.collect(order.order_ref) == {
        "orderRef": order.order_ref,
        "status": "pending",
        "hintCode": "outstandingTransaction",
    }


def test_start_failed_after_30_seconds_without_pick_up(book: OrderBook, clock: ManualClock) -> None:
    order = start(book)
    clock.advance(29.9)
    assert book.collect(order.order_ref)["status"] == "pending"
    clock.advance(0.1)
    assert book.collect(order.order_ref) == {
        "orderRef": order.order_ref,
        "status": "failed",
        "hintCode": "startFailed",
    }


def test_scanned_order_does_not_start_fail_but_expires(book: OrderBook, clock: ManualClock) -> None:
    order = start(book)
    clock.advance(2)
    scan(book, qr_data=qr_of(order, 2), personal_number=TOLVAN)
    assert book.collect(order.order_ref)["hintCode"] == "userSign"
    clock.advance(60)
    assert book.collect(order.order_ref)["hintCode"] == "userSign"
    clock.advance(118)
    assert book.collect(order.order_ref)["hintCode"] == "expiredTransaction"


def test_approve_completes_with_person_and_device(book: OrderBook) -> None:
    order = start(book)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    approve(book, order, device_ip="198.51.100.7")
    body = book.collect(order.order_ref)
    assert body["status"] == "complete"
    assert "hintCode" not in body
    assert body["completionData"]["user"]["personalNumber"] == TOLVAN
    assert body["completionData"]["device"]["ipAddress"] == "198.51.100.7"


def test_user_cancel(book: OrderBook) -> None:
    order = start(book)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    act(book, order_ref=order.order_ref, action=Action.CANCEL, options=ActionOptions())
    assert book.collect(order.order_ref)["hintCode"] == "userCancel"


def test_wrong_code_three_times_is_certificate_error(book: OrderBook) -> None:
    order = start(book)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    for _ in range(2):
        act(book, order_ref=order.order_ref, action=Action.WRONG_CODE, options=ActionOptions())
        assert book.collect(order.order_ref)["hintCode"] == "userSign"
    act(book, order_ref=order.order_ref, action=Action.WRONG_CODE, options=ActionOptions())
    assert book.collect(order.order_ref)["hintCode"] == "certificateErr"


def test_newer_order_picked_up_by_same_person_cancels_older(book: OrderBook) -> None:
    first = start(book)
    scan(book, qr_data=qr_of(first, 0), personal_number=TOLVAN)
    second = start(book)
    scan(book, qr_data=qr_of(second, 0), personal_number=TOLVAN)
    assert book.collect(first.order_ref)["hintCode"] == "cancelled"
    assert book.collect(second.order_ref)["hintCode"] == "userSign"


def test_other_persons_order_is_untouched(book: OrderBook) -> None:
    first = start(book)
    scan(book, qr_data=qr_of(first, 0), personal_number=KARL)
    second = start(book)
    scan(book, qr_data=qr_of(second, 0), personal_number=TOLVAN)
    assert book.collect(first.order_ref)["hintCode"] == "userSign"


def test_already_in_progress_for_same_personal_number(book: OrderBook) -> None:
    first = start(book, personal_number=TOLVAN, requirement={"personalNumber": TOLVAN})
    with pytest.raises(ApiError) as caught:
        start(book, personal_number=TOLVAN, requirement={"personalNumber": TOLVAN})
    assert (caught.value.status, caught.value.error_code) == (400, "alreadyInProgress")
    assert book.collect(first.order_ref)["hintCode"] == "cancelled"
    assert len(book.orders()) == 1


def test_requirement_person_must_match(book: OrderBook) -> None:
    order = start(book, personal_number=TOLVAN, requirement={"personalNumber": TOLVAN})
    with pytest.raises(AppError) as caught:
        scan(book, qr_data=qr_of(order, 0), personal_number=KARL)
    assert caught.value.code == "otherPerson"
    assert book.collect(order.order_ref)["hintCode"] == "outstandingTransaction"


@pytest.mark.parametrize(
    ("collect_once", "second_collect_ok"), [(False, True), (True, False)], ids=["repeatable", "once"]
)
def test_completed_order_collectable_for_three_minutes(
    clock: ManualClock, collect_once: bool, second_collect_ok: bool
) -> None:
    book = OrderBook(clock=clock, timings=Timings(collect_once=collect_once))
    order = start(book)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    approve(book, order)
    assert book.collect(order.order_ref)["status"] == "complete"
    clock.advance(179)
    if second_collect_ok:
        assert book.collect(order.order_ref)["status"] == "complete"
        clock.advance(1)
    with pytest.raises(ApiError, match="invalidParameters"):
        book.collect(order.order_ref)


def test_failed_order_collectable_for_five_minutes(book: OrderBook, clock: ManualClock) -> None:
    order = start(book)
    clock.advance(30 + 299)
    assert book.collect(order.order_ref)["hintCode"] == "startFailed"
    clock.advance(1)
    with pytest.raises(ApiError, match="invalidParameters"):
        book.collect(order.order_ref)


def test_cancel_then_collect_and_cancel_again_are_invalid(book: OrderBook) -> None:
    order = start(book)
    book.cancel(order.order_ref)
    with pytest.raises(ApiError, match="invalidParameters"):
        book.collect(order.order_ref)
    with pytest.raises(ApiError, match="invalidParameters"):
        book.cancel(order.order_ref)


def test_qr_with_wrong_hmac_is_refused(book: OrderBook) -> None:
    order = start(book)
    forged = qr_of(order, 0)[:-4] + "0000"
    with pytest.raises(AppError) as caught:
        scan(book, qr_data=forged, personal_number=TOLVAN)
    assert caught.value.code == "invalidQr"


def test_stale_and_future_qr_codes_are_refused(book: OrderBook, clock: ManualClock) -> None:
    order = start(book)
    clock.advance(10)
    for seconds in (6, 12):
        with pytest.raises(AppError) as caught:
            scan(book, qr_data=qr_of(order, seconds), personal_number=TOLVAN)
        assert caught.value.code == "staleQr"
    scan(book, qr_data=qr_of(order, 8), personal_number=TOLVAN)
    assert book.collect(order.order_ref)["hintCode"] == "userSign"


def test_second_scan_is_refused(book: OrderBook) -> None:
    order = start(book)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    with pytest.raises(AppError) as caught:
        scan(book, qr_data=qr_of(order, 0), personal_number=KARL)
    assert caught.value.code == "alreadyScanned"


def test_autostart_without_person_is_started_then_user_sign(book: OrderBook, clock: ManualClock) -> None:
    order = start(book, return_url="https://portal.example/bankid/return?n=abc")
    open_autostart(book, auto_start_token=order.auto_start_token, personal_number=None)
    assert book.collect(order.order_ref)["hintCode"] == "started"
    clock.advance(31)
    assert book.collect(order.order_ref)["hintCode"] == "started"
    open_autostart(book, auto_start_token=order.auto_start_token, personal_number=TOLVAN)
    assert book.collect(order.order_ref)["hintCode"] == "userSign"
    with pytest.raises(AppError):
        open_autostart(book, auto_start_token="unknown", personal_number=TOLVAN)


def test_risk_above_requirement_is_blocked(book: OrderBook) -> None:
    order = start(book, requirement={"risk": "low"})
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    approve(book, order, risk="moderate")
    assert book.collect(order.order_ref)["hintCode"] == "transactionRiskBlocked"


def test_risk_returned_when_asked(book: OrderBook) -> None:
    order = start(book, return_risk=True)
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    approve(book, order, risk="high")
    assert book.collect(order.order_ref)["status"] == "complete"
    assert order.risk == "high"


def test_old_app_cannot_do_return_url(book: OrderBook) -> None:
    order = start(book, return_url="https://portal.example/r")
    open_autostart(book, auto_start_token=order.auto_start_token, personal_number=TOLVAN, old_app=True)
    assert book.collect(order.order_ref)["hintCode"] == "notSupportedByUserApp"


def test_phone_order_confirm_and_decline(book: OrderBook) -> None:
    order = start(book, kind=OrderKind.PHONE_AUTH, end_user_ip=None, personal_number=TOLVAN)
    take_phone_order(book, personal_number=TOLVAN)
    assert book.collect(order.order_ref)["hintCode"] == "userCallConfirm"
    with pytest.raises(AppError):
        act(book, order_ref=order.order_ref, action=Action.WRONG_CODE, options=ActionOptions())
    act(book, order_ref=order.order_ref, action=Action.DECLINE_CALL, options=ActionOptions())
    assert book.collect(order.order_ref)["hintCode"] == "userDeclinedCall"


def test_mrtd_step(book: OrderBook) -> None:
    order = start(book, requirement={"mrtd": True})
    scan(book, qr_data=qr_of(order, 0), personal_number=TOLVAN)
    assert book.collect(order.order_ref)["hintCode"] == "userMrtd"
    act(book, order_ref=order.order_ref, action=Action.SCAN_DOCUMENT, options=ActionOptions(mrtd_passed=False))
    assert book.collect(order.order_ref)["hintCode"] == "userSign"
    approve(book, order)
    assert order.mrtd_passed is False
