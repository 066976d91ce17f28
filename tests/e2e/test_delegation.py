"""Requirement (issue 22, done when): in a browser, a parent (Karin) gives her child (Sara) a power of attorney to
see her pension and make forecasts, signing it with the virtual BankID app through the QR code; the child logs
in with her own BankID, acts for the parent and sees the parent's overview marked as such, and cannot apply
(outside the scope); the parent sees the child's views by her name in "who has seen my data" and ends the power; the
child's next request sees nothing of the parent's. Swedish; no axe violations; the pages fit 320 px.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from pytest_django.fixtures import Settings

from backoffice.synthetic.demo import demo_persons_create
from minasidor.identity.tests.factories import log_in, make_identity
from simulators.bankid import persons
from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_signing import _read_qr

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

KARIN = "196201082697"
SARA = "199101012384"


@pytest.fixture
def portal(settings: Settings, bankid: SimulatorThread, tmp_path: Path) -> None:
    """The demo persons, Karin and Sara known to the virtual BankID app, Min Pension never asked."""
    settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/"
    wanted = [
        {"personalNumber": number, "givenName": given, "surname": family}
        for number, given, family in ((KARIN, "Karin", "Lindqvist"), (SARA, "Sara", "Nilsson"))
        if persons.find_person(number) is None
    ]
    if wanted:
        listed = tmp_path / "persons.json"
        listed.write_text(json.dumps(wanted))
        persons.add_persons(listed)
    demo_persons_create()


def _app(server: SimulatorThread, path: str, **body: object) -> dict[str, Any]:
    response = httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _clean(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.csp_violations == []  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})


def _karin_logged_in(page: Page, live_server: Any) -> None:
    client = Client()
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])


def _child_page(browser: Browser, live_server: Any) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    child = context.new_page()
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    child.on("console", watch)
    child.csp_violations = violations  # type: ignore[attr-defined]
    return child


def test_a_parent_gives_her_child_a_power_of_attorney_the_child_uses_it_and_the_parent_ends_it(
    page: Page, live_server: Any, browser: Browser, bankid: SimulatorThread, portal: None
) -> None:
    # The parent gives the power of attorney, one question a page, and signs it with BankID.
    _karin_logged_in(page, live_server)
    page.goto("/mina-sidor/fullmakter/")
    expect(page.locator("h1")).to_have_text("Fullmakter")
    _clean(page)
    page.get_by_role("button", name="Ge en fullmakt").click()
    page.get_by_label("Vilket personnummer har personen du vill ge fullmakt?").fill("19910101-2384")
    _clean(page)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Se pensionen och pensionsbeskeden").check()
    page.get_by_label("Göra prognoser").check()
    _clean(page)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("1 år").check()
    _clean(page)
    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_url(re.compile(r"/fullmakter/ny/sammanfattning/$"))
    expect(page.get_by_test_id("summary-delegate")).to_have_text("19910101-2384")
    _clean(page)
    page.get_by_role("button", name="Skriv under med din e-legitimation").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text("19910101-2384")
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    order = _app(bankid, "/app/scan", qrData=_read_qr(page), personalNumber=KARIN)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(page).to_have_url(re.compile(r"/mina-sidor/fullmakter/$"), timeout=15000)
    expect(page.get_by_test_id("given-grant")).to_contain_text("Gäller")
    _clean(page)

    # The child logs in with her own BankID and acts for her parent.
    child = _child_page(browser, live_server)
    child.goto("/logga-in/")
    child.get_by_label("BankID på en annan enhet (skanna en QR-kod)").check()
    child.get_by_role("button", name="Fortsätt").click()
    expect(child.locator("#bankid-qr-image")).to_be_visible()
    order = _app(bankid, "/app/scan", qrData=_read_qr(child), personalNumber=SARA)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(child).to_have_url(re.compile(r"/mina-sidor/$"), timeout=15000)
    child.goto("/mina-sidor/fullmakter/")
    expect(child.get_by_test_id("received-grant")).to_contain_text("Karin Lindqvist")
    _clean(child)
    child.get_by_role("button", name="Företräd Karin Lindqvist").click()
    expect(child).to_have_url(re.compile(r"/mina-sidor/$"))
    expect(child.get_by_test_id("acting-banner")).to_contain_text("Du företräder Karin Lindqvist")
    expect(child.locator("#earned-pension")).to_be_visible()
    _clean(child)
    child.goto("/mina-sidor/pension/prognos/")
    expect(child.get_by_test_id("acting-banner")).to_be_visible()
    child.goto("/mina-sidor/ansok/")
    expect(child.locator("h1")).to_have_text("Fullmakten gäller inte den här sidan")
    expect(child.get_by_test_id("acting-banner")).to_be_visible()
    _clean(child)

    # The parent sees the child's views in her log, and ends the power.
    page.goto("/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("main")).to_contain_text("Sara Nilsson, som du gett fullmakt")
    page.goto("/mina-sidor/fullmakter/")
    page.get_by_role("button", name="Avsluta fullmakten till 19910101-2384").click()
    expect(page.locator("main")).to_contain_text("Fullmakten har avslutats.")

    # The child's next request sees nothing of the parent's.
    child.goto("/mina-sidor/")
    expect(child.locator("h1")).to_have_text("Fullmakten har upphört")
    expect(child.locator("#earned-pension")).to_have_count(0)
    expect(child.get_by_test_id("acting-banner")).to_have_count(0)
    _clean(child)
    child.context.close()
