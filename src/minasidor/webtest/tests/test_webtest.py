"""Requirement (issue 19): the web test — with consent it records the browser, system, languages, screen and
window, time zone and clock offset, cookies, JavaScript and local storage, TLS and protocol, and the BankID
link test; shows them in plain words with a short reference; works without JavaScript (what the server sees);
the agent looks the reference up in the console; the record is gone after 24 hours."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from kernel import clock
from minasidor.console.tests.support import agent_log_in
from minasidor.webtest.checks import browser_of, system_of
from minasidor.webtest.models import WebTestRecord
from minasidor.webtest.services import webtest_expired_delete
from minasidor.webtest.tasks import webtest_expired_delete as webtest_task

pytestmark = pytest.mark.django_db

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SCRIPT_FIELDS = {
    "js": "1",
    "screen_w": "1920",
    "screen_h": "1080",
    "window_w": "1280",
    "window_h": "720",
    "time_zone": "Europe/Stockholm",
    "local_storage": "1",
    "cookies": "1",
}


@pytest.mark.parametrize(
    ("agent", "browser", "system"),
    [
        (CHROME_ANDROID, ("Chrome", "131"), "Android"),
        (SAFARI_IPHONE, ("Safari", "17"), "iOS"),
        (FIREFOX_WINDOWS, ("Firefox", "133"), "Windows"),
        ("curl/8.0", ("", ""), ""),
    ],
)
def test_the_browser_and_system_are_named_from_the_user_agent(
    agent: str, browser: tuple[str, str], system: str
) -> None:
    assert browser_of(agent) == browser
    assert system_of(agent) == system


def test_with_consent_and_javascript_everything_is_recorded(client: Client, frozen_clock: clock.FrozenClock) -> None:
    page = client.get("/en/webbtest/", HTTP_USER_AGENT=FIREFOX_WINDOWS, HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert page.status_code == 200
    assert "Firefox 133" in page.content.decode()
    client_ms = int((clock.now().timestamp() + 90) * 1000)  # the visitor's clock is 90 s ahead
    response = client.post(
        "/en/webbtest/",
        {**SCRIPT_FIELDS, "clock_ms": str(client_ms), "consent": "on", "bankid": "yes", "bankid_left_page": "1"},
        HTTP_USER_AGENT=FIREFOX_WINDOWS,
        HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9",
    )
    assert response.status_code == 302
    record = WebTestRecord.objects.get()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", record.reference)
    assert record.results["browser"] == "Firefox"
    assert record.results["system"] == "Windows"
    assert record.results["languages"].startswith("sv-SE")
    assert record.results["screen"] == "1920×1080"
    assert record.results["window"] == "1280×720"
    assert record.results["time_zone"] == "Europe/Stockholm"
    assert record.results["clock_offset_seconds"] == 90
    assert record.results["local_storage"] is True
    assert record.results["bankid_app"] == "yes"
    assert record.results["tls"] is False
    assert record.results["protocol"].startswith("HTTP/")
    result = client.get(response["Location"]).content.decode()
    assert record.reference in result
    assert "90 seconds from our clock" in result


def test_without_javascript_the_server_side_is_recorded(client: Client, frozen_clock: clock.FrozenClock) -> None:
    client.get("/webbtest/")
    client.post("/webbtest/", {"js": "0", "consent": "on"}, HTTP_USER_AGENT=CHROME_ANDROID)
    results = WebTestRecord.objects.get().results
    assert results["javascript"] is False
    assert results["browser"] == "Chrome"
    assert results["cookies"] is True, "the first page's cookie came back"
    assert "screen" not in results


def test_nothing_is_recorded_without_consent(client: Client) -> None:
    response = client.post("/en/webbtest/", {**SCRIPT_FIELDS})
    assert response.status_code == 200
    assert b"Tick the box to make the web test" in response.content
    assert not WebTestRecord.objects.exists()


def test_the_agent_looks_up_the_reference_and_it_is_gone_after_24_hours(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    visitor = Client()
    visitor.post("/webbtest/", {**SCRIPT_FIELDS, "consent": "on"}, HTTP_USER_AGENT=SAFARI_IPHONE)
    reference = WebTestRecord.objects.get().reference
    assert client.get(f"/kundservice/webbtest/?referens={reference}")["Location"] == "/kundservice/logga-in/"
    agent_log_in(client)
    found = client.get(f"/kundservice/webbtest/?referens={reference.lower().replace('-', ' ')}").content.decode()
    assert "Safari 17" in found
    assert "iOS" in found

    frozen_clock.advance(dt.timedelta(hours=23, minutes=59))
    assert webtest_expired_delete() == 0
    frozen_clock.advance(dt.timedelta(minutes=1))
    agent_log_in(client)  # the console session itself ended long ago
    assert (
        "Inget webbtest har den här referensen"
        in client.get(f"/kundservice/webbtest/?referens={reference}").content.decode()
    )
    assert webtest_task.call() == 1
    assert not WebTestRecord.objects.exists()
