"""The virtual app's JSON control API (§6.7, 6.8): scan, open, phone, confirm, faults, clock and reset."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
from collections.abc import Callable

import httpx
import pytest
import segno

from simulators.bankid.server import SimulatorThread

TOLVAN = "191212121212"


def qr(order: dict[str, str], seconds: int) -> str:
    code = hmac.new(order["qrStartSecret"].encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
    return f"bankid.{order['qrStartToken']}.{seconds}.{code}"


def start(rp: httpx.Client, **body: object) -> dict[str, str]:
    response = rp.post("auth", json={"endUserIp": "127.0.0.1", **body})
    assert response.status_code == 200
    result: dict[str, str] = response.json()
    return result


def test_scan_then_approve(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp, userVisibleData=base64.b64encode("Logga in på Mina sidor".encode()).decode())
    scanned = app.post("/app/scan", json={"qrData": qr(order, 0), "personalNumber": TOLVAN})
    assert scanned.status_code == 200
    assert scanned.json()["hintCode"] == "userSign"
    assert scanned.json()["userVisibleData"] == "Logga in på Mina sidor"
    confirmed = app.post("/app/confirm", json={"orderRef": order["orderRef"], "action": "approve"})
    assert confirmed.json()["status"] == "complete"
    assert confirmed.json()["returnUrl"] is None
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["status"] == "complete"


@pytest.mark.parametrize(
    ("mangle", "status", "code"),
    [
        (lambda q: q[:-1] + ("0" if q[-1] != "0" else "1"), 400, "invalidQr"),
        (lambda q: "bankid.nonsense", 400, "invalidQr"),
        (lambda q: "bankid.00000000-0000-0000-0000-000000000000.0." + "0" * 64, 404, "unknownOrder"),
    ],
)
def test_scan_refuses_bad_codes(
    rp: httpx.Client, app: httpx.Client, mangle: Callable[[str], str], status: int, code: str
) -> None:
    order = start(rp)
    response = app.post("/app/scan", json={"qrData": mangle(qr(order, 0)), "personalNumber": TOLVAN})
    assert (response.status_code, response.json()["error"]) == (status, code)


def test_scan_refuses_stale_code(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    assert app.post("/control/clock", json={"advanceSeconds": 10}).status_code == 200
    stale = app.post("/app/scan", json={"qrData": qr(order, 1), "personalNumber": TOLVAN})
    assert (stale.status_code, stale.json()["error"]) == (400, "staleQr")
    fresh = app.post("/app/scan", json={"qrData": qr(order, 10), "personalNumber": TOLVAN})
    assert fresh.status_code == 200


def test_unknown_person_is_refused(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    response = app.post("/app/scan", json={"qrData": qr(order, 0), "personalNumber": "198001011234"})
    assert (response.status_code, response.json()["error"]) == (400, "unknownPerson")


def test_open_with_return_url_and_ip_and_risk(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp, returnUrl="https://minasidor.example/retur?n=1", returnRisk=True)
    opened = app.post("/app/open", json={"autoStartToken": order["autoStartToken"], "personalNumber": TOLVAN})
    assert opened.json()["hintCode"] == "userSign"
    done = app.post(
        "/app/confirm",
        json={"orderRef": order["orderRef"], "action": "approve", "deviceIp": "203.0.113.5", "risk": "high"},
    )
    assert done.json()["returnUrl"] == "https://minasidor.example/retur?n=1"
    data = rp.post("collect", json={"orderRef": order["orderRef"]}).json()["completionData"]
    assert (data["device"]["ipAddress"], data["risk"]) == ("203.0.113.5", "high")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"action": "dance"}, "invalidAction"),
        ({"action": "approve", "risk": "extreme"}, "invalidRisk"),
        ({"action": "approve", "deviceIp": "not-an-ip"}, "invalidIp"),
    ],
)
def test_confirm_validates(rp: httpx.Client, app: httpx.Client, body: dict[str, str], code: str) -> None:
    order = start(rp)
    app.post("/app/scan", json={"qrData": qr(order, 0), "personalNumber": TOLVAN})
    response = app.post("/app/confirm", json={"orderRef": order["orderRef"], **body})
    assert (response.status_code, response.json()["error"]) == (400, code)


def test_phone_order(rp: httpx.Client, app: httpx.Client) -> None:
    order_ref = rp.post(
        "phone/sign",
        json={"personalNumber": TOLVAN, "callInitiator": "RP", "userVisibleData": base64.b64encode(b"Avtal").decode()},
    ).json()["orderRef"]
    taken = app.post("/app/phone", json={"personalNumber": TOLVAN})
    assert (taken.json()["orderRef"], taken.json()["hintCode"]) == (order_ref, "userCallConfirm")
    app.post("/app/confirm", json={"orderRef": order_ref, "action": "confirmCall"})
    assert app.get(f"/app/orders/{order_ref}").json()["hintCode"] == "userSign"
    app.post("/app/confirm", json={"orderRef": order_ref, "action": "approve"})
    assert rp.post("collect", json={"orderRef": order_ref}).json()["status"] == "complete"


def test_faults_via_control_api(rp: httpx.Client, app: httpx.Client) -> None:
    created = app.post("/control/faults", json={"status": 503, "endpoint": "auth", "count": 2})
    assert (created.status_code, created.json()) == (201, {"pending": 2})
    assert rp.post("auth", json={"endUserIp": "127.0.0.1"}).status_code == 503
    assert app.delete("/control/faults").json() == {"pending": 0}
    assert rp.post("auth", json={"endUserIp": "127.0.0.1"}).status_code == 200


@pytest.mark.parametrize(
    "body", [{"status": 200}, {"status": 503, "count": 0}, {"delaySeconds": -1}, {}, {"status": "503"}]
)
def test_invalid_faults_are_refused(app: httpx.Client, body: dict[str, object]) -> None:
    response = app.post("/control/faults", json=body)
    assert (response.status_code, response.json()["error"]) == (400, "invalidFault")


def test_clock_makes_start_fail(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    app.post("/control/clock", json={"advanceSeconds": 30})
    body = rp.post("collect", json={"orderRef": order["orderRef"]}).json()
    assert (body["status"], body["hintCode"]) == ("failed", "startFailed")
    assert app.post("/control/clock", json={"advanceSeconds": -1}).status_code == 400


def test_reset_forgets_orders(rp: httpx.Client, app: httpx.Client, server: SimulatorThread) -> None:
    order = start(rp)
    assert app.post("/control/reset").json() == {"reset": True}
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).status_code == 400
    assert app.get(f"/app/orders/{order['orderRef']}").status_code == 404


def test_persons_and_health(app: httpx.Client) -> None:
    persons = app.get("/app/persons").json()
    assert {"personalNumber": TOLVAN, "name": "Tolvan Tolvansson"} in persons
    assert app.get("/control/health").json()["status"] == "ok"


def test_forced_hint_codes_for_unknown_codes(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    forced = app.post("/control/hint", json={"orderRef": order["orderRef"], "hintCode": "userFace"})
    assert forced.json()["hintCode"] == "userFace"
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["hintCode"] == "userFace"
    app.post("/control/hint", json={"orderRef": order["orderRef"], "status": "failed", "hintCode": "stepUpFailed"})
    body = rp.post("collect", json={"orderRef": order["orderRef"]}).json()
    assert (body["status"], body["hintCode"]) == ("failed", "stepUpFailed")
    again = app.post("/control/hint", json={"orderRef": order["orderRef"], "hintCode": "userSign"})
    assert again.status_code == 404


def test_scan_a_picture_by_json(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    buffer = io.BytesIO()
    segno.make_qr(qr(order, 0), error="l").save(buffer, kind="png", scale=4)
    picture = base64.b64encode(buffer.getvalue()).decode()
    response = app.post("/app/scan", json={"qrImage": picture, "personalNumber": TOLVAN})
    assert (response.status_code, response.json()["hintCode"]) == (200, "userSign")
    refused = app.post("/app/scan", json={"qrImage": "!!", "personalNumber": TOLVAN})
    assert (refused.status_code, refused.json()["error"]) == (400, "invalidField")
