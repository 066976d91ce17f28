"""The virtual app's HTML pages (§6.8): accessible server-rendered forms, no scripts, scan/open/approve by hand."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re

import httpx
import pytest
import segno
from lxml import etree, html
from PIL import Image

from simulators.bankid.web_app import autostart_token

TOLVAN = "191212121212"


def start(rp: httpx.Client, **body: object) -> dict[str, str]:
    result: dict[str, str] = rp.post("auth", json={"endUserIp": "127.0.0.1", **body}).json()
    return result


def qr(order: dict[str, str], seconds: int = 0) -> str:
    code = hmac.new(order["qrStartSecret"].encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
    return f"bankid.{order['qrStartToken']}.{seconds}.{code}"


def elements(tree: etree._Element, xpath: str) -> list[etree._Element]:
    found = tree.xpath(xpath)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def assert_accessible_basics(markup: str) -> None:
    tree = html.fromstring(markup)
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title")
    assert len(tree.findall(".//h1")) == 1
    assert tree.findall(".//script") == []
    assert "style=" not in markup
    labelled = {label.get("for") for label in tree.iter("label")}
    for control in elements(tree, "//input[not(@type='hidden')] | //textarea | //select"):
        assert control.get("id") in labelled, control.get("name")
    for radio in elements(tree, "//input[@type='radio']"):
        assert elements(radio, "ancestor::fieldset/legend")


def test_start_page(app: httpx.Client) -> None:
    response = app.get("/")
    assert response.status_code == 200
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert_accessible_basics(response.text)
    assert "Tolvan Tolvansson (191212121212)" in response.text
    css = app.get("/static/app.css")
    assert (css.status_code, css.headers["content-type"].split(";")[0]) == (200, "text/css")


def test_scan_by_hand_then_approve(rp: httpx.Client, app: httpx.Client) -> None:
    text = "Logga in på Mina sidor <b>hos Pensionsmyndigheten</b>"
    order = start(rp, userVisibleData=base64.b64encode(text.encode()).decode())
    scanned = app.post("/scan", data={"qrData": qr(order), "personalNumber": TOLVAN})
    assert scanned.status_code == 303
    assert scanned.headers["location"] == f"/orders/{order['orderRef']}"
    page = app.get(scanned.headers["location"])
    assert_accessible_basics(page.text)
    assert "Logga in på Mina sidor &lt;b&gt;hos Pensionsmyndigheten&lt;/b&gt;" in page.text
    assert 'value="approve"' in page.text
    done = app.post(
        f"/orders/{order['orderRef']}/act", data={"action": "approve", "deviceIp": "127.0.0.1", "risk": "low"}
    )
    assert done.status_code == 303
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["status"] == "complete"
    assert "order complete" in app.get(done.headers["location"]).text


def test_bad_qr_shows_error_summary_linked_to_the_field(rp: httpx.Client, app: httpx.Client) -> None:
    start(rp)
    response = app.post("/scan", data={"qrData": "bankid.not.a.code", "personalNumber": TOLVAN})
    assert response.status_code == 400
    tree = html.fromstring(response.text)
    assert tree.findtext(".//title", "").startswith("Error:")
    link = elements(tree, "//div[@class='error-summary']//a")[0]
    assert link.get("href") == "#qrData"
    field = elements(tree, "//*[@id='qrData']")[0]
    assert field.get("aria-invalid") == "true"
    assert "qrData-error" in field.get("aria-describedby", "")
    assert field.text == "bankid.not.a.code"
    assert_accessible_basics(response.text)


def test_autostart_link_opens_choose_person_then_return_url(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp, returnUrl="https://minasidor.example/retur?nonce=abc")
    launch = app.get("/", params={"autostarttoken": order["autoStartToken"], "redirect": "null"})
    assert order["autoStartToken"] in launch.text
    assert_accessible_basics(launch.text)
    opened = app.post(
        "/open", data={"autostart": order["autoStartToken"], "redirect": "null", "personalNumber": TOLVAN}
    )
    assert opened.status_code == 303
    done = app.post(f"/orders/{order['orderRef']}/act", data={"action": "approve", "deviceIp": "127.0.0.1"})
    assert (done.status_code, done.headers["location"]) == (303, "https://minasidor.example/retur?nonce=abc")


def test_started_order_asks_for_person(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    opened = app.post("/open", data={"autostart": f"bankid:///?autostarttoken={order['autoStartToken']}&redirect=null"})
    page = app.get(opened.headers["location"])
    assert "Choose who you are" in page.text
    chosen = app.post(f"/orders/{order['orderRef']}/person", data={"personalNumber": TOLVAN})
    assert chosen.status_code == 303
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["hintCode"] == "userSign"


def test_wrong_code_and_cancel_buttons(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    app.post("/scan", data={"qrData": qr(order), "personalNumber": TOLVAN})
    app.post(f"/orders/{order['orderRef']}/act", data={"action": "wrongCode"})
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["hintCode"] == "userSign"
    app.post(f"/orders/{order['orderRef']}/act", data={"action": "cancel"})
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["hintCode"] == "userCancel"


def test_invalid_ip_is_reported_on_the_field(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    app.post("/scan", data={"qrData": qr(order), "personalNumber": TOLVAN})
    response = app.post(f"/orders/{order['orderRef']}/act", data={"action": "approve", "deviceIp": "nope"})
    assert response.status_code == 400
    assert re.search(r'href="#deviceIp"', response.text)


@pytest.mark.parametrize(
    ("link", "token", "redirect"),
    [
        ("bankid:///?autostarttoken=abc&redirect=null", "abc", "null"),
        ("https://app.bankid.com/?autostarttoken=abc&redirect=https%3A%2F%2Fx.se%2F", "abc", "https://x.se/"),
        ("  abc  ", "abc", None),
    ],
)
def test_autostart_link_parsing(link: str, token: str, redirect: str | None) -> None:
    assert autostart_token(link) == (token, redirect)


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(text, error="l").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


def test_scan_an_uploaded_picture(rp: httpx.Client, app: httpx.Client) -> None:
    order = start(rp)
    response = app.post(
        "/scan",
        data={"qrData": "", "personalNumber": TOLVAN},
        files={"qrImage": ("qr.png", qr_png(qr(order)), "image/png")},
    )
    assert (response.status_code, response.headers["location"]) == (303, f"/orders/{order['orderRef']}")
    assert rp.post("collect", json={"orderRef": order["orderRef"]}).json()["hintCode"] == "userSign"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a picture", "not a picture"), (None, "No QR code was found")],
    ids=["not-a-picture", "no-qr-code"],
)
def test_bad_pictures_are_reported(app: httpx.Client, content: bytes | None, message: str) -> None:
    if content is None:
        buffer = io.BytesIO()
        Image.new("L", (64, 64), color=255).save(buffer, format="PNG")
        content = buffer.getvalue()
    response = app.post(
        "/scan", data={"qrData": "", "personalNumber": TOLVAN}, files={"qrImage": ("x.png", content, "image/png")}
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'href="#qrData"' in response.text
