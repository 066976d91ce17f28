"""Requirement: a citizen logs in with BankID in a browser: QR read from the screen, same device, cancel, outage."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.bankid import connection
from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import axe_violations, describe

# The landing page after login reads the register (the back office's database).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

TOLVAN = "191212121212"


def _app(server: SimulatorThread, path: str, **body: object) -> dict[str, object]:
    response = httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def _choose(page: Page, label: str) -> None:
    page.goto("/logga-in/")
    page.get_by_label(label).check()
    page.get_by_role("button", name="Fortsätt").click()


def _read_qr_from_screen(page: Page) -> str:
    """Photograph the QR code as shown on the screen and decode the picture, as the phone's camera does.

    Like a camera, it tries again if it caught the picture while it was being replaced.
    """
    for _ in range(5):
        picture = page.locator("#bankid-qr-image").screenshot()
        picture_of_code = Image.open(io.BytesIO(picture)).convert("L")
        texts = {
            str(result.text)
            for result in zxingcpp.read_barcodes(
                picture_of_code, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
        }
        if len(texts) == 1:  # the reader may find the one code twice
            return texts.pop()
        page.wait_for_timeout(200)
    raise AssertionError("no QR code could be read from the screen")


def test_log_in_with_bankid_on_another_device(page: Page, bankid: SimulatorThread) -> None:
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    expect(page).to_have_url(re.compile(r"/logga-in/bankid/$"))
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    first = _read_qr_from_screen(page)
    page.wait_for_timeout(1500)
    second = _read_qr_from_screen(page)
    assert first != second, "the QR code must change every second"

    order = _app(bankid, "/app/scan", qrData=second, personalNumber=TOLVAN)
    expect(page.locator("#bankid-qr")).to_be_hidden(timeout=5000)
    expect(page.locator("#bankid-message")).to_contain_text("säkerhetskod")
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"), timeout=10000)
    expect(page.locator("#greeting")).to_contain_text("Välkommen, Tolvan Tolvansson")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_log_in_with_bankid_on_this_device(page: Page, bankid: SimulatorThread) -> None:
    _choose(page, "BankID på den här enheten")
    open_app = page.locator("#bankid-open")
    expect(open_app).to_be_visible()
    token = str(open_app.get_attribute("href")).split("autostarttoken=")[1].split("&")[0]
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    order = _app(bankid, "/app/open", autoStartToken=token, personalNumber=TOLVAN)
    confirmed = _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    # The page keeps asking while the app is open and may move on by itself just before the browser comes
    # back through the return URL; both ways must end on the citizen's pages.
    try:
        page.goto(str(confirmed["returnUrl"]))
    except PlaywrightError as error:
        if "ERR_ABORTED" not in str(error):  # else the page's own move to the overview won the race
            raise
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator("#greeting")).to_contain_text("Välkommen, Tolvan Tolvansson")


def test_cancel_and_try_again(page: Page, bankid: SimulatorThread) -> None:
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    order = _app(bankid, "/app/scan", qrData=_read_qr_from_screen(page), personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="cancel")
    expect(page.locator("h1")).to_have_text("Inloggningen gick inte igenom", timeout=10000)
    expect(page.get_by_role("alert")).to_contain_text("Åtgärden avbröts.")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Försök igen med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()


def test_start_failed_restarts_with_a_new_code(page: Page, bankid: SimulatorThread) -> None:
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    before = _read_qr_from_screen(page).split(".")[1]
    bankid.sim.clock.advance(31)
    page.wait_for_timeout(3500)
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    after = _read_qr_from_screen(page).split(".")[1]
    assert before != after, "a new order (new qrStartToken) must replace the one that timed out"


def test_bankid_down_says_so_within_two_seconds(page: Page, bankid: SimulatorThread, settings: Settings) -> None:
    settings.BANKID_BASE_URL = "https://127.0.0.1:9/rp/v6.0/"
    connection.reset()
    page.goto("/logga-in/")
    page.get_by_label("BankID på en annan enhet (skanna en QR-kod)").check()
    began = page.evaluate("performance.now()")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("alert")).to_contain_text("Något gick fel. Försök igen.", timeout=2000)
    assert page.evaluate("performance.now()") - began < 2000


STATUS_ROUTE = "**/logga-in/bankid/status/"
PENDING = {"state": "pending", "message": "Starta BankID-appen.", "qr": True, "restarts": 0, "next": None}


def _wait_until(page: Page, condition: Callable[[], bool]) -> None:
    """Let the browser work (real time) until ``condition`` holds; the page's own clock stays still."""
    for _ in range(300):  # up to 15 s of real time: a loaded CI machine is slow to run the page's fetches
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page never did it")


def _handled(page: Page, answers: int) -> None:
    """Wait (real time) until the page has handled ``answers`` answers and timed its next question after each.

    A route handler runs before the page sees the answer; moving the page's clock before the page has set its
    next timer would move it past nothing, and that timer would then wait for time the test never gives it.
    """
    expect(page.locator("[data-bankid-status-url]")).to_have_attribute(
        "data-bankid-handled", str(answers), timeout=15000
    )


def _stop_the_clock(page: Page) -> None:
    """The page's timers move only when the test moves them (``page.clock.run_for``)."""
    page.clock.install(time=dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC))
    page.clock.pause_at(dt.datetime(2026, 11, 28, 12, 0, 1, tzinfo=dt.UTC))


def _shown_and_following(page: Page) -> None:
    """The QR code is on the screen and the page's script has set its timers.

    The picture can be visible before the deferred script has run; moving the page's clock before that would
    move it past nothing, and the script's first timer would then wait for time the test never gives it.
    """
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    page.wait_for_load_state("domcontentloaded")


def _settled(page: Page) -> None:
    """Give the page a moment of real time in which it could ask again if its timers said so."""
    page.wait_for_timeout(400)


def test_the_page_asks_at_most_once_a_second_and_respects_retry_after(page: Page, bankid: SimulatorThread) -> None:
    _stop_the_clock(page)
    answers: list[int] = []

    def busy_once(route: Route) -> None:
        if not answers:
            answers.append(503)
            route.fulfill(status=503, headers={"Retry-After": "5"}, json=PENDING)
        else:
            answers.append(200)
            route.fulfill(status=200, json=PENDING)

    page.route(STATUS_ROUTE, busy_once)
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    _shown_and_following(page)
    page.clock.run_for(1100)  # the first poll comes within a second of the code being shown
    _handled(page, 1)
    assert answers == [503]
    page.clock.run_for(4900)
    _settled(page)
    assert answers == [503], "asked again before Retry-After had passed"
    page.clock.run_for(200)
    _handled(page, 2)
    assert answers == [503, 200]
    page.clock.run_for(990)
    _settled(page)
    assert answers == [503, 200], "asked again within a second"
    page.clock.run_for(10)
    _handled(page, 3)
    assert answers == [503, 200, 200]


def test_the_page_slows_down_when_answers_are_slow(page: Page, bankid: SimulatorThread) -> None:
    _stop_the_clock(page)
    held: list[Route] = []
    asked: list[str] = []

    def hold(route: Route) -> None:
        asked.append(route.request.url)
        held.append(route)

    page.route(STATUS_ROUTE, hold)
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    _shown_and_following(page)
    page.clock.run_for(1000)
    _wait_until(page, lambda: len(held) == 1)
    page.clock.run_for(3000)  # the answer takes three seconds
    held.pop().fulfill(status=200, json=PENDING)
    _handled(page, 1)
    page.clock.run_for(5800)
    _settled(page)
    assert len(asked) == 1, "a slow portal must be asked less often (twice the time its answer took)"
    page.clock.run_for(300)
    _wait_until(page, lambda: len(asked) == 2)


def test_a_503_from_the_portal_keeps_the_message_and_the_login_goes_on(page: Page, bankid: SimulatorThread) -> None:
    answers: list[int] = []

    def one_503_then_the_portal(route: Route) -> None:
        if not answers:
            answers.append(503)
            route.fulfill(status=503, headers={"Retry-After": "1"}, json=PENDING)
        else:
            answers.append(0)
            route.continue_()

    page.route(STATUS_ROUTE, one_503_then_the_portal)
    _choose(page, "BankID på en annan enhet (skanna en QR-kod)")
    order = _app(bankid, "/app/scan", qrData=_read_qr_from_screen(page), personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"), timeout=15000)
    assert answers[0] == 503
