"""Requirement: the start page works in Swedish and English, by keyboard alone, with zero axe violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from simulators.bankid.server import SimulatorThread
from tests.e2e.conftest import axe_violations, describe


@pytest.mark.parametrize(("path", "heading", "lang"), [("/", "Mina sidor", "sv"), ("/en/", "My pages", "en")])
def test_start_page_has_no_axe_violations(page: Page, path: str, heading: str, lang: str) -> None:
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_the_stylesheet_and_scripts_load_under_the_policy(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body")).to_have_class(re.compile(r"govuk-frontend-supported"))
    header_colour = page.locator(".govuk-generic-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_colour == "rgb(0, 87, 90)"
    assert page.csp_violations == []  # type: ignore[attr-defined]


def _tab_to(page: Page, predicate_js: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {predicate_js}; }})()"):
            return
    raise AssertionError(f"never reached an element where {predicate_js}")


def test_keyboard_only_from_start_page_to_a_login_choice(page: Page, bankid: SimulatorThread) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "govuk-skip-link"
    _tab_to(page, "e.textContent.includes('Logga in på Mina sidor')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    expect(page.locator("h1")).to_have_text("Hur vill du logga in?")

    _tab_to(page, "e.type === 'radio'")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "bankid-other-device"
    _tab_to(page, "e.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/logga-in/bankid/$"))
    expect(page.locator("#bankid-qr-image")).to_be_visible()


def test_login_choice_error_state_is_accessible(page: Page) -> None:
    page.goto("/en/logga-in/")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    summary.get_by_role("link", name="Choose how you want to log in").click()
    assert page.evaluate("document.activeElement.id") == "id_method_0"
