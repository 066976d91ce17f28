"""Requirement: the BankID login flow against the BankID test server: QR and same-device, failures, checks."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import cairosvg
import httpx
import pytest
import zxingcpp
from django.http import HttpRequest
from django.test import Client
from PIL import Image
from pytest_django.fixtures import Settings

from minasidor.audit.models import AccessRecord
from minasidor.identity.contrib.bankid import connection
from minasidor.identity.contrib.bankid.flow import MAX_RESTARTS
from minasidor.identity.session import current_identity
from simulators.bankid.server import SimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])  # the landing page reads the register

TOLVAN = "191212121212"


def app(server: SimulatorThread, path: str, **body: object) -> dict[str, object]:
    """Act as the BankID app through the test server's control API."""
    response = httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def choose(client: Client, method: str) -> None:
    response = client.post("/logga-in/", {"method": method})
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/bankid/"


def qr_text(client: Client) -> str:
    """Render the QR code the page shows and read it back, as a phone camera would."""
    response = client.get("/logga-in/bankid/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    png = cairosvg.svg2png(bytestring=response.content)
    results = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    texts = {str(result.text) for result in results}  # the reader may find the one code twice
    assert len(texts) == 1
    return texts.pop()


def status(client: Client) -> dict[str, object]:
    response = client.get("/logga-in/bankid/status/")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_other_device_login_with_the_qr_code(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    page = client.get("/logga-in/bankid/").content.decode()
    assert "Starta BankID-appen." in page
    data = qr_text(client)
    assert data.startswith("bankid.")
    order = app(bankid, "/app/scan", qrData=data, personalNumber=TOLVAN)
    assert order["userVisibleData"] == "Logga in på Mina sidor hos Pensionsportalen (demo)"
    app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    response = client.get("/logga-in/bankid/retur/?nonce=wrong")
    assert response["Location"] == "/logga-in/"
    result = _follow_until_done(client)
    assert result["state"] == "complete"
    assert result["next"] == "/mina-sidor/"
    assert "Välkommen, Tolvan Tolvansson" in client.get("/mina-sidor/").content.decode()
    assert AccessRecord.objects.filter(action="login.completed").count() == 1


def _follow_until_done(client: Client) -> dict[str, object]:
    """Ask for the status until the order is no longer pending (the portal collects every 2 s)."""
    return _wait_for(client, lambda body: body["state"] != "pending")


def test_the_qr_stops_once_the_app_has_the_order(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    app(bankid, "/app/scan", qrData=qr_text(client), personalNumber=TOLVAN)
    body = _wait_for(client, lambda b: b["qr"] is False)
    assert body["message"] == "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
    assert client.get("/logga-in/bankid/qr.svg").status_code == 404


def _wait_for(client: Client, condition: Callable[[dict[str, object]], bool]) -> dict[str, object]:
    for _ in range(30):
        body = status(client)
        if condition(body):
            return body
        time.sleep(0.5)
    raise AssertionError("the condition never held")


def _approved_on_this_device(client: Client, bankid: SimulatorThread, **confirm: object) -> str:
    """Start a same-device login, open it in the app with the page's autostart token and approve it
    (``confirm``: the app's further options); returns the path of the return URL the app answers with."""
    choose(client, "bankid-this-device")
    page = client.get("/logga-in/bankid/").content.decode()
    token = page.split("autostarttoken=")[1].split("&")[0]
    order = app(bankid, "/app/open", autoStartToken=token, personalNumber=TOLVAN)
    confirmed = app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve", **confirm)
    return str(confirmed["returnUrl"]).rsplit("testserver", maxsplit=1)[-1]


def test_same_device_login_returns_through_the_return_url(client: Client, bankid: SimulatorThread) -> None:
    return_path = _approved_on_this_device(client, bankid)
    assert return_path.startswith("/logga-in/bankid/retur/?nonce=")
    response = client.get(return_path)
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    identity = current_identity(_request_with(client))
    assert identity is not None
    assert identity.subject_key == f"se:{TOLVAN}"


def test_without_javascript_continue_right_after_approving_logs_in_at_the_first_press(
    client: Client, bankid: SimulatorThread
) -> None:
    choose(client, "bankid-other-device")
    page = client.get("/logga-in/bankid/").content.decode()  # collects: the order is pending
    assert 'action="/logga-in/bankid/fortsatt/"' in page
    order = app(bankid, "/app/scan", qrData=qr_text(client), personalNumber=TOLVAN)
    app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    # Pressed at once, well within the two seconds between the portal's own collects.
    response = client.post("/logga-in/bankid/fortsatt/")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    identity = current_identity(_request_with(client))
    assert identity is not None
    assert identity.subject_key == f"se:{TOLVAN}"


def test_continue_before_approving_goes_back_to_the_page_with_the_order_kept(
    client: Client, bankid: SimulatorThread
) -> None:
    choose(client, "bankid-other-device")
    client.get("/logga-in/bankid/")
    response = client.post("/logga-in/bankid/fortsatt/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/bankid/"
    assert client.session.get("bankid_order") is not None
    assert client.post("/logga-in/bankid/fortsatt/").status_code == 302


def test_returning_after_the_page_has_finished_the_login_goes_on_to_the_citizens_pages(
    client: Client, bankid: SimulatorThread
) -> None:
    return_path = _approved_on_this_device(client, bankid)
    assert _follow_until_done(client)["next"] == "/mina-sidor/"  # the page got there first
    response = client.get(return_path)
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"


def test_a_return_without_an_order_or_a_login_goes_to_the_login_page(client: Client) -> None:
    response = client.get("/logga-in/bankid/retur/?nonce=anything")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"


def _request_with(client: Client) -> HttpRequest:
    request = HttpRequest()
    request.session = client.session
    return request


def test_same_device_login_from_another_address_is_refused(client: Client, bankid: SimulatorThread) -> None:
    response = client.get(_approved_on_this_device(client, bankid, deviceIp="203.0.113.9"))
    assert response.status_code == 200
    assert "stoppades för din säkerhet" in response.content.decode()
    assert not AccessRecord.objects.filter(action="login.completed").exists()


def test_high_risk_is_refused(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    order = app(bankid, "/app/scan", qrData=qr_text(client), personalNumber=TOLVAN)
    app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve", risk="high")
    assert _follow_until_done(client)["state"] == "failed"
    assert "stoppades för din säkerhet" in client.get("/logga-in/bankid/").content.decode()


def test_cancel_in_the_app_shows_bankids_message(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    order = app(bankid, "/app/scan", qrData=qr_text(client), personalNumber=TOLVAN)
    app(bankid, "/app/confirm", orderRef=order["orderRef"], action="cancel")
    assert _follow_until_done(client)["state"] == "failed"
    page = client.get("/logga-in/bankid/").content.decode()
    assert "Åtgärden avbröts." in page
    assert "Försök igen" in page


def test_the_citizen_cancels_on_the_page(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    response = client.post("/logga-in/bankid/avbryt/", follow=True)
    assert response.redirect_chain[-1][0] == "/logga-in/"
    assert "Inloggningen avbröts." in response.content.decode()


def _restarted_or_ended(restarts: int) -> Callable[[dict[str, object]], bool]:
    return lambda body: body.get("restarts") == restarts or body["state"] != "pending"


def test_a_timed_out_order_is_restarted_a_few_times_then_given_up(client: Client, bankid: SimulatorThread) -> None:
    choose(client, "bankid-other-device")
    for restart in range(1, MAX_RESTARTS + 1):
        bankid.sim.clock.advance(31)
        body = _wait_for(client, _restarted_or_ended(restart))
        assert body["state"] == "pending"
        assert body["qr"] is True
    bankid.sim.clock.advance(31)
    assert _follow_until_done(client)["state"] == "failed"
    assert "Misslyckades att läsa av QR-koden" in client.get("/logga-in/bankid/").content.decode()


def test_bankid_down_gives_a_clear_message_quickly(client: Client, bankid: SimulatorThread, settings: Settings) -> None:
    settings.BANKID_BASE_URL = "https://127.0.0.1:9/rp/v6.0/"
    connection.reset()
    began = time.monotonic()
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    elapsed = time.monotonic() - began
    assert response.status_code == 503
    assert "Något gick fel. Försök igen." in response.content.decode()
    assert elapsed < 2


def test_too_many_starts_from_one_browser_are_refused(
    client: Client, bankid: SimulatorThread, settings: Settings
) -> None:
    settings.BANKID_STARTS_PER_DEVICE = 2
    for _ in range(2):
        choose(client, "bankid-other-device")
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 429
    assert "Vänta några minuter" in response.content.decode()


def log_in_through_bankid(client: Client, server: SimulatorThread, personal_number: str) -> dict[str, object]:
    choose(client, "bankid-other-device")
    order = app(server, "/app/scan", qrData=qr_text(client), personalNumber=personal_number)
    app(server, "/app/confirm", orderRef=order["orderRef"], action="approve")
    return _follow_until_done(client)


def test_one_browser_logging_in_many_people_is_paused(
    client: Client, bankid: SimulatorThread, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.BANKID_PERSONS_PER_DEVICE = 1
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    client.post("/logga-ut/")
    second = log_in_through_bankid(client, bankid, "199908072391")
    assert second["state"] == "failed"
    assert "För många olika personer" in str(second["message"])
    assert AccessRecord.objects.filter(action="login.completed").count() == 1
    assert any("bankid.many_persons_one_device" in record.getMessage() for record in caplog.records)
    assert not any("199908072391" in record.getMessage() for record in caplog.records)
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 429


def test_a_login_from_a_browser_not_used_before_is_told_in_the_citizens_access_log(
    client: Client, bankid: SimulatorThread
) -> None:
    """Issue 12.8: against the QR relay, a login in a browser the person never used is written where they look."""
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    client.post("/logga-ut/")
    assert log_in_through_bankid(client, bankid, TOLVAN)["state"] == "complete"
    assert not AccessRecord.objects.filter(action="login.new_device").exists(), "the first and a known browser"
    client.post("/logga-ut/")
    relayed = Client()  # another browser: another device cookie
    assert log_in_through_bankid(relayed, bankid, TOLVAN)["state"] == "complete"
    assert AccessRecord.objects.filter(action="login.new_device").count() == 1
    page = relayed.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "i en webbläsare som inte använts förut" in page
