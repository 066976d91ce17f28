"""Requirement (issue 16.7): in a browser, a pensioner (the demo person Bengt, who draws his whole pension)
changes his income pension from 100 % to 50 % one question at a time, sees what it becomes, signs with the
virtual BankID app, and once a case handler grants the change his overview shows the new amounts and the next
payment. Swedish with the QR code and JavaScript; English on this device without JavaScript. No axe
violations; the pages fit 320 px.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.identity.tests.factories import make_identity
from minasidor.registers import registers
from minasidor.registers.types import CaseDecision, CaseType, DecisionOutcome
from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import browser_log_in, clean_at_320, phone_approves, virtual_app_knows
from tests.e2e.test_application import HANDLER

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

BENGT = "195801082743"


@pytest.fixture
def portal(demo_portal: None, bankid: SimulatorThread, tmp_path: Path) -> None:
    """The demo persons (on today's date), Bengt known to the virtual BankID app, and a development seal."""
    virtual_app_knows(tmp_path, BENGT, "Bengt", "Ek")


def _log_in(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_identity(BENGT, given_name="Bengt", family_name="Ek"))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _answer(page: Page, *, cont: str, check_each: bool) -> tuple[str, str]:
    """A new share, income pension, 50 %, the first month offered; the summary's amount of the income pension
    after the change and the total after it, before tax."""

    def next_page() -> None:
        if check_each:
            clean_at_320(page)
        page.get_by_role("button", name=cont).click()

    page.locator("input[name=change][value=share]").check()
    next_page()
    page.locator("input[name=parts][value=income_pension]").check()
    next_page()
    page.locator("input[name=share][value='50']").check()
    next_page()
    page.locator("select[name=from_month]").select_option(index=0)
    next_page()
    expect(page).to_have_url(re.compile(r"/ansok/andra-uttag/sammanfattning/$"))
    if check_each:
        clean_at_320(page)
    after = _digits(page.locator("[data-after=income_pension]").inner_text())
    before = _digits(page.locator("[data-before=income_pension]").inner_text())
    assert 0 < int(after) < int(before)
    return after, _digits(page.locator("[data-after=total]").inner_text())


def _granted_and_shown_again(
    page: Page, live_server: Any, after: str, total: str, *, overview: str, check: bool = True
) -> None:
    row = SignedApplication.objects.get()
    assert (row.status, row.case_type) == (SubmissionStatus.SENT, CaseType.WITHDRAWAL_CHANGE)
    assert row.case_id is not None
    bengt = make_identity(BENGT)
    assert bengt.personal_number is not None
    next_before = [
        p for p in registers().person_snapshot(bengt.principal, bengt.personal_number).payments if not p.paid
    ]
    registers().case_handling_start(HANDLER, row.case_id)
    registers().case_decide(HANDLER, row.case_id, CaseDecision(DecisionOutcome.GRANTED))
    page.context.clear_cookies()
    _log_in(page, live_server)
    page.goto(overview)
    expect(page.locator("#decisions")).to_be_visible()
    if check:  # axe runs in the page: not without JavaScript
        clean_at_320(page)
    paid = [_digits(text) for text in page.locator("#decisions td").all_inner_texts()]
    assert after in paid, "the income pension paid is the amount shown before signing"
    assert sum(int(amount) for amount in paid) == int(total), "the parts add up to the total shown"
    next_payment = _digits(page.locator("#next-payment").inner_text())
    if next_before:
        assert _digits(f"{next_before[0].net:.0f}") not in next_payment, "the next payment is planned anew"


def test_half_the_income_pension_signed_with_the_qr_code_and_granted(
    page: Page, live_server: Any, bankid: SimulatorThread, portal: None
) -> None:
    _log_in(page, live_server)
    page.goto("/mina-sidor/")
    page.locator("#change-withdrawal-link a").click()
    expect(page.locator("h1")).to_have_text("Ändra ditt uttag")
    clean_at_320(page)
    page.get_by_role("button", name="Börja").click()
    after, total = _answer(page, cont="Fortsätt", check_each=True)
    page.get_by_role("button", name="Skriv under ändringen").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text("Ändrat uttag av pension")
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    phone_approves(bankid, BENGT, qr_on=page)
    expect(page).to_have_url(re.compile(r"/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"), timeout=15000)
    expect(page.locator("#received")).to_be_visible()
    clean_at_320(page)
    _granted_and_shown_again(page, live_server, after, total, overview="/mina-sidor/")


def test_half_the_income_pension_on_this_device_without_javascript_in_english(
    flushable_access_log: None, browser: Browser, live_server: Any, bankid: SimulatorThread, portal: None
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    try:
        _log_in(page, live_server)
        page.goto("/en/mina-sidor/ansok/andra-uttag/")
        expect(page.locator("h1")).to_have_text("Change your withdrawal")
        page.get_by_role("button", name="Start").click()
        after, total = _answer(page, cont="Continue", check_each=False)
        page.get_by_role("button", name="Sign the change").click()
        page.get_by_role("button", name="Sign with BankID on this device").click()
        expect(page).to_have_url(re.compile(r"/en/sign/bankid/$"))
        token = str(page.locator("#bankid-open").get_attribute("href")).split("autostarttoken=")[1].split("&")[0]
        phone_approves(bankid, BENGT, token=token)
        page.get_by_role("button", name="I have signed – continue").click()
        expect(page).to_have_url(re.compile(r"/en/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"), timeout=15000)
        expect(page.locator("#received")).to_be_visible()
        _granted_and_shown_again(page, live_server, after, total, overview="/en/mina-sidor/", check=False)
    finally:
        context.close()
