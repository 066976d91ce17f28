"""Requirement (issue 22, done when): in a browser, a parent (Karin) gives her child (Sara) a power of attorney to
see her pension and make forecasts, signing it with the virtual BankID app; the child logs in with her own
BankID, acts for the parent and sees the parent's overview marked as such, and cannot apply (outside the
scope); the parent sees the child's views by her name in "who has seen my data" and ends the power; the
child's next request sees nothing of the parent's.

The same journey three ways: in Swedish through the QR code, in English through the QR code (both with no axe
violations and every page fitting 320 px), and in Swedish without JavaScript, BankID on this device (axe and
the width check run in the page, so not there: the reflow walk covers those pages). And (decision 0216) a
delegate whose power covers applying applies for old-age pension for the parent, signing with her own BankID.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from backoffice.casework.models import DelegateSignature
from backoffice.synthetic.demo import demo_persons_create
from minasidor.applications.models import SignedApplication
from minasidor.delegation.tests.helpers import grant, terms
from minasidor.delegation.types import Scope
from minasidor.identity.tests.factories import make_identity
from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import (
    browser_log_in,
    browser_page,
    clean_at_320,
    phone_approves,
    virtual_app_knows,
)
from tests.e2e.test_application import _answer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

KARIN = "196201082697"
SARA = "199101012384"


KARIN_ID = make_identity(KARIN, given_name="Karin", family_name="Lindqvist")


@pytest.fixture
def portal(settings: Settings, bankid: SimulatorThread, tmp_path: Path) -> None:
    """The demo persons, Karin and Sara known to the virtual BankID app, Min Pension never asked."""
    settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/"
    virtual_app_knows(tmp_path, KARIN, "Karin", "Lindqvist")
    virtual_app_knows(tmp_path, SARA, "Sara", "Nilsson")
    demo_persons_create()


@dataclasses.dataclass(frozen=True)
class Words:
    """What the pages say in one language, and where they are."""

    prefix: str
    powers: str
    give: str
    who: str
    see_pension: str
    forecasts: str
    one_year: str
    cont: str
    sign: str
    sign_qr: str
    sign_here: str
    signed_continue: str
    in_force: str
    login_qr: str
    login_here: str
    identified_continue: str
    act_for: str
    acting: str
    outside: str
    named_in_log: str
    end: str
    ended_told: str
    ended_heading: str


SWEDISH = Words(
    prefix="",
    powers="Fullmakter",
    give="Ge en fullmakt",
    who="Vilket personnummer har personen du vill ge fullmakt?",
    see_pension="Se pensionen och pensionsbeskeden",
    forecasts="Göra prognoser",
    one_year="1 år",
    cont="Fortsätt",
    sign="Skriv under med din e-legitimation",
    sign_qr="Skriv under med Mobilt BankID på en annan enhet",
    sign_here="Skriv under med BankID på den här enheten",
    signed_continue="Jag har skrivit under – fortsätt",
    in_force="Gäller",
    login_qr="BankID på en annan enhet (skanna en QR-kod)",
    login_here="BankID på den här enheten",
    identified_continue="Jag har legitimerat mig – fortsätt",
    act_for="Företräd Karin Lindqvist",
    acting="Du företräder Karin Lindqvist",
    outside="Fullmakten gäller inte den här sidan",
    named_in_log="Sara Nilsson, som du gett fullmakt",
    end="Avsluta fullmakten till 19910101-2384",
    ended_told="Fullmakten har avslutats.",
    ended_heading="Fullmakten har upphört",
)
ENGLISH = Words(
    prefix="/en",
    powers="Powers of attorney",
    give="Give a power of attorney",
    who="What is the personal identity number of the person you want to give a power of attorney?",
    see_pension="See the pension and the statements",
    forecasts="Make forecasts",
    one_year="1 year",
    cont="Continue",
    sign="Sign with your e-ID",
    sign_qr="Sign with Mobile BankID on another device",
    sign_here="Sign with BankID on this device",
    signed_continue="I have signed – continue",
    in_force="In force",
    login_qr="BankID on another device (scan a QR code)",
    login_here="BankID on this device",
    identified_continue="I have identified myself – continue",
    act_for="Act for Karin Lindqvist",
    acting="You are acting for Karin Lindqvist",
    outside="This page is not covered by the power of attorney",
    named_in_log="Sara Nilsson, whom you gave a power of attorney",
    end="End the power of attorney to 19910101-2384",
    ended_told="The power of attorney has ended.",
    ended_heading="The power of attorney has ended",
)


def _autostart_token(page: Page) -> str:
    return str(page.locator("#bankid-open").get_attribute("href")).split("autostarttoken=")[1].split("&")[0]


def _journey(page: Page, child: Page, bankid: SimulatorThread, words: Words, *, javascript: bool) -> None:
    """The whole journey of the module's docstring; ``javascript``: QR codes and checks in the page, else BankID
    on this device and the buttons that collect."""

    def clean(on: Page) -> None:
        if javascript:
            clean_at_320(on)

    at = words.prefix
    # The parent gives the power of attorney, one question a page, and signs it with BankID.
    page.goto(f"{at}/mina-sidor/fullmakter/")
    expect(page.locator("h1")).to_have_text(words.powers)
    clean(page)
    page.get_by_role("button", name=words.give).click()
    page.get_by_label(words.who).fill("19910101-2384")
    clean(page)
    page.get_by_role("button", name=words.cont).click()
    page.get_by_label(words.see_pension).check()
    page.get_by_label(words.forecasts).check()
    clean(page)
    page.get_by_role("button", name=words.cont).click()
    page.get_by_label(words.one_year).check()
    clean(page)
    page.get_by_role("button", name=words.cont).click()
    expect(page).to_have_url(re.compile(rf"{at}/mina-sidor/fullmakter/ny/sammanfattning/$"))
    expect(page.get_by_test_id("summary-delegate")).to_have_text("19910101-2384")
    clean(page)
    page.get_by_role("button", name=words.sign).click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text("19910101-2384")
    if javascript:
        page.get_by_role("button", name=words.sign_qr).click()
        expect(page.locator("#bankid-qr-image")).to_be_visible()
        phone_approves(bankid, KARIN, qr_on=page)
    else:
        page.get_by_role("button", name=words.sign_here).click()
        expect(page).to_have_url(re.compile(r"/sign/bankid/$"))
        phone_approves(bankid, KARIN, token=_autostart_token(page))
        page.get_by_role("button", name=words.signed_continue).click()
    expect(page).to_have_url(re.compile(rf"{at}/mina-sidor/fullmakter/$"), timeout=15000)
    expect(page.get_by_test_id("given-grant")).to_contain_text(words.in_force)
    clean(page)

    # The child logs in with her own BankID and acts for her parent.
    child.goto(f"{at}/logga-in/")
    if javascript:
        child.get_by_label(words.login_qr).check()
        child.get_by_role("button", name=words.cont).click()
        expect(child.locator("#bankid-qr-image")).to_be_visible()
        phone_approves(bankid, SARA, qr_on=child)
    else:
        child.get_by_label(words.login_here).check()
        child.get_by_role("button", name=words.cont).click()
        phone_approves(bankid, SARA, token=_autostart_token(child))
        child.get_by_role("button", name=words.identified_continue).click()
    expect(child).to_have_url(re.compile(r"/mina-sidor/$"), timeout=15000)
    child.goto(f"{at}/mina-sidor/fullmakter/")
    expect(child.get_by_test_id("received-grant")).to_contain_text("Karin Lindqvist")
    clean(child)
    child.get_by_role("button", name=words.act_for).click()
    expect(child).to_have_url(re.compile(rf"{at}/mina-sidor/$"))
    expect(child.get_by_test_id("acting-banner")).to_contain_text(words.acting)
    expect(child.locator("#earned-pension")).to_be_visible()
    clean(child)
    child.goto(f"{at}/mina-sidor/pension/prognos/")
    expect(child.get_by_test_id("acting-banner")).to_be_visible()
    child.goto(f"{at}/mina-sidor/ansok/")
    expect(child.locator("h1")).to_have_text(words.outside)
    expect(child.get_by_test_id("acting-banner")).to_be_visible()
    clean(child)

    # The parent sees the child, by name, in her log, and ends the power.
    page.goto(f"{at}/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("main")).to_contain_text(words.named_in_log)
    clean(page)
    page.goto(f"{at}/mina-sidor/fullmakter/")
    page.get_by_role("button", name=words.end).click()
    expect(page.locator("main")).to_contain_text(words.ended_told)

    # The child's next request sees nothing of the parent's.
    child.goto(f"{at}/mina-sidor/")
    expect(child.locator("h1")).to_have_text(words.ended_heading)
    expect(child.locator("#earned-pension")).to_have_count(0)
    expect(child.get_by_test_id("acting-banner")).to_have_count(0)
    clean(child)


# The three ways of the journey: the browser's locale, the page's words, JavaScript on or off.
WAYS = {
    "sv": ("sv-SE", SWEDISH, True),
    "en": ("en-GB", ENGLISH, True),
    "sv-without-javascript": ("sv-SE", SWEDISH, False),
}


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.usefixtures("portal", "flushable_access_log")
def test_a_parent_gives_her_child_a_power_of_attorney_the_child_uses_it_and_the_parent_ends_it(
    live_server: Any, browser: Browser, bankid: SimulatorThread, way: str
) -> None:
    locale, words, javascript = WAYS[way]
    parent = browser_page(browser, live_server, locale=locale, javascript=javascript)
    child = browser_page(browser, live_server, locale=locale, javascript=javascript)
    try:
        browser_log_in(parent, live_server, KARIN_ID)
        _journey(parent, child, bankid, words, javascript=javascript)
    finally:
        parent.context.close()
        child.context.close()


def test_a_delegate_applies_for_old_age_pension_on_the_parents_behalf(
    page: Page, live_server: Any, bankid: SimulatorThread, demo_portal: None, tmp_path: Path
) -> None:
    """Decision 0216: Sara, holding Karin's power of attorney to see her pension and apply for her, fills in
    Karin's application and signs it with her own BankID (the text signed says for whom); the received page says
    who signed, the case keeps the power, Karin's log names Sara. Swedish, axe and 320 px on every page."""
    virtual_app_knows(tmp_path, SARA, "Sara", "Nilsson")
    karin = KARIN_ID
    power = grant(karin, terms(delegate=SARA, scopes=(Scope.PENSION, Scope.APPLY)))
    browser_log_in(page, live_server, make_identity(SARA, given_name="Sara", family_name="Nilsson"))
    page.goto("/mina-sidor/fullmakter/")
    page.get_by_role("button", name="Företräd Karin Lindqvist").click()
    expect(page.get_by_test_id("acting-banner")).to_contain_text("Du företräder Karin Lindqvist")
    page.goto("/mina-sidor/ansok/")
    expect(page.locator("h1")).to_have_text("Ansök om ålderspension")
    expect(page.get_by_test_id("acting-banner")).to_be_visible()
    clean_at_320(page)
    page.get_by_role("button", name="Börja ansökan").click()
    _answer(page, cont="Fortsätt", check_each=True)
    page.get_by_role("button", name="Skriv under ansökan").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text(
        "För Karin Lindqvist, underskriven av Sara Nilsson (19910101-2384) med fullmakt."
    )
    clean_at_320(page)
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    phone_approves(bankid, SARA, qr_on=page)
    expect(page).to_have_url(re.compile(r"/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"), timeout=15000)
    expect(page.locator("#received")).to_be_visible()
    expect(page.locator("#signed-by-delegate")).to_have_text(
        "Sara Nilsson skrev under ansökan med sin egen e-legitimation, med fullmakt."
    )
    clean_at_320(page)

    row = SignedApplication.objects.get()
    assert row.case_id is not None
    kept = DelegateSignature.objects.get(document__case__public_id=row.case_id)
    assert (kept.delegate, kept.power_reference) == (SARA, power.reference)
    assert kept.document.evidence.signer_identifier == SARA, "signed with Sara's own BankID"

    page.context.clear_cookies()
    browser_log_in(page, live_server, karin)
    page.goto("/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("main")).to_contain_text("Sara Nilsson, som du gett fullmakt")
    clean_at_320(page)
