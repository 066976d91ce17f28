"""Requirement (issue 22.2, done when): in a browser, a demo third party (an adviser's system) asks for consent to
read the latest statement and the forecast; the citizen, sent to log in with their own BankID first, comes back
to the consent page, unticks the forecast and allows the rest; the client reads the statement, is refused the
forecast, the citizen sees the reads in
"who has seen my data" and the consent with its last use under "Dela med andra", withdraws it, and the client's
next read is refused. Swedish; no axe violations; the portal's pages fit 320 px. And in English without
JavaScript at 320 px: the citizen switches the consent page to English and unticks everything, which refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from backoffice.synthetic.demo import demo_persons_create
from minasidor.identity.tests.factories import make_identity
from minasidor.sharing.models import Consent
from minasidor.sharing.tests.support import application_register
from simulators.bankid.server import SimulatorThread
from simulators.sharing_client.app import DEMO_CLIENT_ID, DEMO_CLIENT_NAME, DEMO_CLIENT_SECRET
from simulators.sharing_client.server import DemoClientThread
from tests.e2e.conftest import browser_log_in, clean_at_320, phone_approves, virtual_app_knows

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

JOHAN = "198501139995"  # a saver with a statement (demo person)
JOHAN_ID = make_identity(JOHAN, given_name="Johan", family_name="Sund")


@pytest.fixture
def demo_client(settings: Settings, bankid: SimulatorThread, live_server: Any, tmp_path: Path) -> Iterator[Any]:
    """The demo persons, Johan known to the virtual BankID app, and the demo client registered and running."""
    settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/"
    virtual_app_knows(tmp_path, JOHAN, "Johan", "Sund")
    demo_persons_create()
    with DemoClientThread(portal_url=live_server.url) as thread:
        application = application_register(DEMO_CLIENT_ID, name=DEMO_CLIENT_NAME)
        application.redirect_uris = f"{thread.base_url}/callback"
        application.client_secret = DEMO_CLIENT_SECRET
        application.save()
        yield thread


def test_a_demo_client_gets_consent_reads_the_statement_is_refused_the_forecast_and_loses_access(
    page: Page, live_server: Any, bankid: SimulatorThread, demo_client: Any
) -> None:
    # The adviser's system sends the citizen to Mina sidor; they log in with their own BankID first.
    page.goto(f"{demo_client.base_url}/")
    page.get_by_role("button", name="Anslut till Mina sidor").click()
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    page.get_by_label("BankID på en annan enhet (skanna en QR-kod)").check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    phone_approves(bankid, JOHAN, qr_on=page)

    # Back on the consent page: who asks, for what, for how long.
    expect(page).to_have_url(re.compile(r"/mina-sidor/dela/godkann/\?"), timeout=15000)
    expect(page.locator("h1")).to_have_text("En tjänst vill läsa dina pensionsuppgifter")
    expect(page.get_by_test_id("consent-client")).to_contain_text(DEMO_CLIENT_NAME)
    expect(page.get_by_test_id("consent-scopes")).to_contain_text("Ditt senaste pensionsbesked")
    expect(page.get_by_test_id("consent-scopes")).not_to_contain_text("utbetalningar")
    expect(page.locator("main")).to_contain_text("Till och med")
    clean_at_320(page)
    # It asked for the statement and the forecast; the citizen lets it read only the statement.
    statement = page.get_by_role("checkbox", name=re.compile("Ditt senaste pensionsbesked"))
    forecast = page.get_by_role("checkbox", name=re.compile("Din pensionsprognos"))
    expect(statement).to_be_checked()
    expect(forecast).to_be_checked()
    forecast.uncheck()
    page.get_by_role("button", name="Tillåt", exact=True).click()

    # The client has tokens: it reads the statement and is refused the forecast.
    expect(page.get_by_test_id("connection")).to_have_text("Ansluten till Mina sidor")
    assert demo_client.client.nonce, "the client was asked for the portal's DPoP nonce and kept it"
    page.get_by_role("button", name="Läs senaste pensionsbeskedet").click()
    expect(page.get_by_test_id("last-status")).to_have_text("statement 200")
    expect(page.get_by_test_id("last-body")).to_contain_text("total_closing_value")
    page.get_by_role("button", name="Läs pensionsprognosen").click()
    expect(page.get_by_test_id("last-status")).to_have_text("forecast 403")
    expect(page.get_by_test_id("last-body")).to_contain_text("insufficient_scope")

    # The citizen sees the read in the access log, and the consent with its last use; and withdraws it.
    page.goto(f"{live_server.url}/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("main")).to_contain_text(f"En tjänst du gett åtkomst ({DEMO_CLIENT_ID})")
    expect(page.locator("main")).to_contain_text("läste ditt senaste pensionsbesked")
    page.goto(f"{live_server.url}/mina-sidor/dela/")
    expect(page.locator("h1")).to_have_text("Dela med andra")
    expect(page.get_by_test_id("consent-live")).to_contain_text(DEMO_CLIENT_NAME)
    expect(page.get_by_test_id("consent-last-use")).not_to_have_text("Inte än")
    clean_at_320(page)
    page.get_by_role("button", name=f"Återkalla åtkomsten för {DEMO_CLIENT_NAME}").click()
    expect(page.locator("main")).to_contain_text("Åtkomsten är återkallad.")
    expect(page.get_by_test_id("consent-none")).to_be_visible()
    expect(page.get_by_test_id("consent-ended")).to_contain_text("återkallat")
    clean_at_320(page)

    # The client's next read is refused.
    page.goto(f"{demo_client.base_url}/")
    page.get_by_role("button", name="Läs senaste pensionsbeskedet").click()
    expect(page.get_by_test_id("last-status")).to_have_text("statement 401")
    expect(page.get_by_test_id("last-body")).to_contain_text("invalid_token")


def _to_the_consent_page_in_english(page: Page, live_server: Any, demo_client: Any) -> None:
    """Johan, logged in, connects the demo client: its consent page, in Swedish first, then in English."""
    browser_log_in(page, live_server, JOHAN_ID)
    page.goto(f"{demo_client.base_url}/")
    page.get_by_role("button", name="Anslut till Mina sidor").click()
    expect(page.locator("h1")).to_have_text("En tjänst vill läsa dina pensionsuppgifter")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("A service asks to read your pension data")


def test_the_english_consent_page_and_shared_access_have_no_axe_violations_and_fit_320_px(
    page: Page, live_server: Any, demo_client: Any
) -> None:
    """The consent page in English with JavaScript on: zero axe violations, no CSP violation, 320 px; allowed
    with the forecast unticked, then "Shared access" in English, checked the same way."""
    _to_the_consent_page_in_english(page, live_server, demo_client)
    expect(page.get_by_test_id("consent-client")).to_contain_text(DEMO_CLIENT_NAME)
    expect(page.get_by_test_id("consent-scopes")).to_contain_text("What the service may read")
    clean_at_320(page)
    page.get_by_role("checkbox", name=re.compile("Your pension forecast")).uncheck()
    page.get_by_role("button", name="Allow", exact=True).click()
    expect(page.get_by_test_id("connection")).to_have_text("Ansluten till Mina sidor")
    page.goto(f"{live_server.url}/en/mina-sidor/dela/")
    expect(page.get_by_test_id("consent-live")).to_contain_text(DEMO_CLIENT_NAME)
    clean_at_320(page)


def test_without_javascript_in_english_at_320_px_unticking_everything_refuses(
    page_without_javascript: Page, live_server: Any, demo_client: Any
) -> None:
    page = page_without_javascript
    page.set_viewport_size({"width": 320, "height": 800})
    _to_the_consent_page_in_english(page, live_server, demo_client)
    expect(page.get_by_test_id("consent-scopes")).to_contain_text("What the service may read")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for name in ("Your latest pension statement", "Your pension forecast"):
        box = page.get_by_role("checkbox", name=re.compile(name))
        expect(box).to_be_checked()
        box.uncheck()
    page.get_by_role("button", name="Allow", exact=True).click()
    expect(page.get_by_test_id("last-status")).to_have_text("consent access_denied")
    expect(page.get_by_test_id("connection")).to_have_text("Inte ansluten")
    assert not Consent.objects.exists()
