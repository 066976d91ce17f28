"""Requirement (issue 15 item 7): "Räkna på bostadstillägg" in a browser — a pensioner finds the calculator from
My pension, sees the register's pension filled in, adds the rent and gets the engine's estimate; in Swedish and
English, at 320 px without sideways scrolling, with zero axe violations, and without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from minasidor.identity.tests.factories import make_identity
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import axe_violations, browser_log_in, describe

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

AMIR = "195901022995"


def _log_in(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_identity(AMIR, given_name="Amir", family_name="Haddad"))


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


def _clean(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


LANGUAGES = {
    "sv": ("", "Räkna på bostadstillägg", "Räkna", "Din uppskattning"),
    "en": ("/en", "Calculate housing supplement", "Calculate", "Your estimate"),
}
APPLY = {
    "sv": ("Ansök om bostadstillägg", "En hyresbostad", "Fortsätt", "Kontrollera din ansökan"),
    "en": ("Apply for housing supplement", "A rented home", "Continue", "Check your application"),
}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_pensioner_calculates_housing_supplement_at_320_px(
    page: Page, live_server: Any, minpension: SimulatorThread, language: str
) -> None:
    prefix, link, button, heading = LANGUAGES[language]
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, live_server)
    page.goto(f"{prefix}/mina-sidor/")
    page.get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_have_text(link)
    assert int(page.locator('input[name="guarantee_pension_per_month"]').input_value()) > 0
    _fits(page)
    _clean(page)
    page.locator('input[name="housing_cost_per_month"]').fill("6500")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    shown = page.locator('[data-part="housing_supplement"]').inner_text()
    assert int(re.sub(r"\D", "", shown)) > 0
    _fits(page)
    _clean(page)

    # Apply with these answers: the rent comes along, the rest is completed, and the summary shows the estimate.
    apply, rented, proceed, check = APPLY[language]
    page.get_by_role("button", name=apply).click()
    expect(page.locator("h1")).to_have_text(apply)
    assert page.locator('input[name="housing_cost_per_month"]').input_value() == "6500"
    _fits(page)
    _clean(page)
    page.get_by_label(rented).check()
    page.get_by_role("button", name=proceed).click()
    expect(page.locator("h1")).to_have_text(check)
    assert int(re.sub(r"\D", "", page.locator('[data-part="housing_supplement"]').inner_text())) > 0
    _fits(page)
    _clean(page)


def test_the_calculator_works_without_javascript(
    browser: Browser, live_server: Any, minpension: SimulatorThread
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server)
    page.goto("/mina-sidor/bostadstillagg/")
    page.locator('input[name="housing_cost_per_month"]').fill("abc")
    page.get_by_role("button", name="Räkna", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.locator('input[name="housing_cost_per_month"]').fill("6500")
    page.get_by_role("button", name="Räkna", exact=True).click()
    expect(page.locator('[data-part="housing_supplement"]')).to_be_visible()
    context.close()
