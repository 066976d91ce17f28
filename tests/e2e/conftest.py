"""The browser harness: Debian's Chromium driven by Playwright, with axe-core from the npm package.

Playwright cannot download a browser here, so it launches the system's ``/usr/bin/chromium`` (or
``MINASIDOR_CHROMIUM``) headless, without a sandbox (tests run as root in CI) and without background
networking (the machine has no network beyond the package registries).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from pytest_django.fixtures import Settings

from backoffice.synthetic.demo import demo_persons_create
from minasidor.identity.tests.factories import log_in
from minasidor.identity.types import Identity
from simulators.bankid import persons
from simulators.bankid.server import SimulatorThread

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# How long an expectation waits for the page (Playwright's default is 5 s). A loaded CI machine has been
# slower than that to render a page after a login; a passing expectation does not wait longer for it, and a
# test that measures time says so with its own timeout.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


class CspViolations(list[str]):
    """Console messages in which the browser reports a Content-Security-Policy violation."""


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_database_calls_beside_playwright() -> Iterator[None]:
    """Playwright's synchronous API keeps an event loop in this thread; the test code itself is synchronous."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def browser_page(browser: Browser, live_server: Any, *, locale: str = "sv-SE", javascript: bool = True) -> Page:
    """A page in a browser context of its own (its own cookies) at the live server, in ``locale``, with or without
    JavaScript; the Content Security Policy violations its console reports are kept in ``page.csp_violations``.
    The caller closes ``page.context``."""
    context = browser.new_context(base_url=live_server.url, locale=locale, java_script_enabled=javascript)
    opened = context.new_page()
    violations = CspViolations()

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    opened.on("console", watch)
    opened.csp_violations = violations  # type: ignore[attr-defined]
    return opened


@pytest.fixture
def page(flushable_access_log: None, live_server: Any, browser: Browser) -> Iterator[Page]:
    opened = browser_page(browser, live_server)
    yield opened
    opened.context.close()


@pytest.fixture
def page_without_javascript(live_server: Any, browser: Browser) -> Iterator[Page]:
    """A page in Swedish with JavaScript turned off (the journey without JavaScript)."""
    opened = browser_page(browser, live_server, javascript=False)
    yield opened
    opened.context.close()


def axe_violations(page: Page, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations (empty means none found)."""
    page.evaluate(AXE_SOURCE.read_text())
    options = json.dumps({"runOnly": {"type": "tag", "values": tags or WCAG_AA_TAGS}})
    result: dict[str, Any] = page.evaluate(f"axe.run(document, {options})")
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable summary of axe violations for an assertion message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']]}" for v in violations
    )


# --- What a journey checks on its pages -----------------------------------------------------------------------


def fits_and_clean(page: Page) -> None:
    """No sideways scrolling at the window's width, and zero axe violations (of the page a click led to, loaded)."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)  # type: ignore[index]
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{describe(violations)}"


def no_axe_violations(page: Page) -> None:
    """Zero axe violations on the page as it is now, and no Content Security Policy violation so far."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{describe(violations)}"
    assert page.csp_violations == []  # type: ignore[attr-defined]


def clean_at_320(page: Page) -> None:
    """Zero axe violations and no Content Security Policy violation so far, then no sideways scrolling at 320 px
    (the window is set back to 1280 px after)."""
    no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url
    page.set_viewport_size({"width": 1280, "height": 800})


# --- The portal as the signing journeys need it -------------------------------------------------------------


@pytest.fixture
def demo_portal(seal: None, settings: Settings) -> None:
    """The demo persons (on today's date) and the development seal; Min Pension is never asked."""
    settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/"  # nothing listens there
    demo_persons_create()


def virtual_app_knows(tmp_path: Path, personal_number: str, given_name: str, surname: str) -> None:
    """Make the person known to the virtual BankID app (a test personal number), unless it knows them."""
    if persons.find_person(personal_number) is None:
        listed = tmp_path / "persons.json"
        listed.write_text(
            json.dumps([{"personalNumber": personal_number, "givenName": given_name, "surname": surname}])
        )
        persons.add_persons(listed)


def virtual_app(server: SimulatorThread, path: str, **body: object) -> dict[str, Any]:
    """What the virtual BankID app of ``server`` (the BankID simulator) answers to ``body`` posted to ``path``
    (``/app/scan``, ``/app/open``, ``/app/confirm``)."""
    response = httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def read_qr(page: Page) -> str:
    """The text of the BankID QR code the page shows now (read from a screenshot; tried five times, 200 ms apart,
    as the code changes every second)."""
    for _ in range(5):
        picture = Image.open(io.BytesIO(page.locator("#bankid-qr-image").screenshot())).convert("L")
        formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        texts = {str(result.text) for result in zxingcpp.read_barcodes(picture, formats=formats)}
        if len(texts) == 1:
            return texts.pop()
        page.wait_for_timeout(200)
    raise AssertionError("no QR code could be read from the screen")


def phone_approves(
    bankid: SimulatorThread, personal_number: str, *, qr_on: Page | None = None, token: str = ""
) -> None:
    """The virtual BankID app of ``personal_number`` takes the order — by scanning the QR code shown ``qr_on`` a
    page, else opened on this device by its autostart ``token`` — and its holder approves it."""
    if qr_on is not None:
        order = virtual_app(bankid, "/app/scan", qrData=read_qr(qr_on), personalNumber=personal_number)
    else:
        order = virtual_app(bankid, "/app/open", autoStartToken=token, personalNumber=personal_number)
    virtual_app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")


def browser_log_in(page: Page, live_server: Any, identity: Identity) -> None:
    """Log ``identity`` in and give the browser the session's cookie (the journey starts past the login)."""
    client = Client()
    log_in(client, identity)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])
