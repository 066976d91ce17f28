"""Requirement (issue 16, done when): in a browser, a demo person applies for old-age pension one question at a
time, signs with the virtual BankID app through the QR code on the screen, gets the sealed receipt and sees the
case; a case handler grants it; the person logs in again and sees the granted parts and the next payment,
equal to what the application showed before signing (the engine's). Swedish, with the QR code. No axe
violations; the pages fit 320 px. (The English journey without JavaScript is not here yet.)
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.tests.factories import make_identity
from minasidor.registers import registers
from minasidor.registers.types import CaseDecision, DecisionOutcome
from minasidor.signing import configured
from minasidor.signing.seal import pdf_seal_check
from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import (
    browser_log_in,
    clean_at_320,
    phone_approves,
    virtual_app_knows,
)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

KARIN = "196201082697"
HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="staff-e2e")


@pytest.fixture
def portal(demo_portal: None, bankid: SimulatorThread, tmp_path: Path) -> None:
    """The demo persons (on today's date), Karin known to the virtual BankID app, and a development seal."""
    virtual_app_knows(tmp_path, KARIN, "Karin", "Lindqvist")


def _log_in(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))


def _answer(page: Page, *, cont: str, check_each: bool, summary: str = r"/ansok/sammanfattning/$") -> dict[str, str]:
    """Answer every question (income and premium pension whole from the first month offered, married, no
    survivor protection, living in Sweden, the tax table, an SEB account); the amounts the summary shows."""

    def next_page() -> None:
        if check_each:
            clean_at_320(page)
        page.get_by_role("button", name=cont).click()

    page.locator("input[value=income_pension]").check()
    page.locator("input[value=premium_pension]").check()
    next_page()
    for _ in range(2):  # income pension, then premium pension: the first month offered, in full
        page.locator("select[name=start_month]").select_option(index=0)
        page.locator("input[name=share][value='100']").check()
        next_page()
    page.locator("input[name=civil_status][value=married]").check()
    next_page()
    page.locator("input[name=survivor_protection][value=no]").check()
    next_page()
    page.locator("input[name=living_abroad][value=no]").check()
    next_page()
    next_page()  # the tax table is the answer given
    page.locator("input[name=clearing_number]").fill("5000")
    page.locator("input[name=account_number]").fill("100 00 04")
    next_page()
    expect(page).to_have_url(re.compile(summary))
    if check_each:
        clean_at_320(page)
    cells = page.locator("#preview [data-amount]")
    return {
        str(cells.nth(i).get_attribute("data-amount")): re.sub(r"\D", "", cells.nth(i).inner_text())
        for i in range(cells.count())
    }


def _granted_and_shown_again(page: Page, live_server: Any, shown: dict[str, str], *, overview: str) -> None:
    row = SignedApplication.objects.get()
    assert row.status == SubmissionStatus.SENT
    assert row.case_id is not None
    registers().case_handling_start(HANDLER, row.case_id)
    registers().case_decide(HANDLER, row.case_id, CaseDecision(DecisionOutcome.GRANTED))
    page.context.clear_cookies()
    _log_in(page, live_server)
    page.goto(overview)
    expect(page.locator("#decisions")).to_be_visible()
    expect(page.locator("#next-payment")).to_be_visible()
    clean_at_320(page)
    paid = sorted(re.sub(r"\D", "", text) for text in page.locator("#decisions td").all_inner_texts())
    before_signing = sorted(amount for key, amount in shown.items() if key.isdigit() and amount != "0")
    assert paid == before_signing, "the parts paid are the amounts shown before signing"


def test_apply_sign_with_the_qr_code_get_the_receipt_and_see_the_grant(
    page: Page, live_server: Any, bankid: SimulatorThread, portal: None
) -> None:
    _log_in(page, live_server)
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Ansök om ålderspension").first.click()
    expect(page.locator("h1")).to_have_text("Ansök om ålderspension")
    clean_at_320(page)
    page.get_by_role("button", name="Börja ansökan").click()
    shown = _answer(page, cont="Fortsätt", check_each=True)
    page.get_by_role("button", name="Skriv under ansökan").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text("Ansökan om allmän ålderspension")
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    phone_approves(bankid, KARIN, qr_on=page)
    expect(page).to_have_url(re.compile(r"/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"), timeout=15000)
    expect(page.locator("#received")).to_be_visible()
    clean_at_320(page)
    receipt = page.request.get(str(page.locator("#receipt-link").get_attribute("href")))
    assert receipt.headers["content-type"] == "application/pdf"
    roots = configured.configured_trust_roots()
    with ThreadPoolExecutor(1) as thread:  # pyHanko runs its own event loop; Playwright's runs in this thread
        assert thread.submit(pdf_seal_check, receipt.body(), trust_roots=roots).result().level == "B-B"
    page.locator("#case-link").click()
    expect(page.locator("#status")).to_have_attribute("data-status", "received")
    expect(page.locator("#receipt-link")).to_be_visible()
    _granted_and_shown_again(page, live_server, shown, overview="/mina-sidor/")


@pytest.mark.usefixtures("flushable_access_log")
def test_without_javascript_in_english_apply_and_sign_on_this_device_and_get_the_receipt(
    browser: Browser, live_server: Any, bankid: SimulatorThread, portal: None
) -> None:
    """Issue 16: JavaScript off still lets a person apply and sign — in English, on this device, with the
    "I have signed – continue" button going on at the first press (it collects at once)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    try:
        _log_in(page, live_server)
        page.goto("/en/mina-sidor/")
        page.get_by_role("link", name="Apply for old-age pension").first.click()
        expect(page.locator("h1")).to_have_text("Apply for old-age pension")
        page.get_by_role("button", name="Start the application").click()
        _answer(page, cont="Continue", check_each=False, summary=r"/en/mina-sidor/ansok/sammanfattning/$")
        page.get_by_role("button", name="Sign the application").click()
        expect(page).to_have_url(re.compile(r"/en/sign/$"))
        expect(page.locator("#signing-summary")).to_contain_text("Application for old-age pension")
        page.get_by_role("button", name="Sign with BankID on this device").click()
        expect(page).to_have_url(re.compile(r"/en/sign/bankid/$"))
        token = str(page.locator("#bankid-open").get_attribute("href")).split("autostarttoken=")[1].split("&")[0]
        phone_approves(bankid, KARIN, token=token)
        page.get_by_role("button", name="I have signed – continue").click()
        expect(page).to_have_url(re.compile(r"/en/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"))
        expect(page.locator("#received")).to_be_visible()
        receipt = page.request.get(str(page.locator("#receipt-link").get_attribute("href")))
        assert receipt.headers["content-type"] == "application/pdf"
        row = SignedApplication.objects.get()
        assert row.status == SubmissionStatus.SENT
        page.locator("#case-link").click()
        expect(page.locator("#status")).to_have_attribute("data-status", "received")
    finally:
        context.close()
