"""Requirement (issue 20): a citizen finds "Personal code for the phone" on My pension and orders a new code by
post — in Swedish and English, at 320 px without sideways scrolling, with zero axe violations, and without
JavaScript.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from backoffice.personal_codes.models import PersonalCode
from minasidor.identity.tests.factories import log_in, make_identity
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import axe_violations, describe

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

JOHAN = "198501139995"


def _log_in(page: Page, live_server: Any) -> None:
    client = Client()
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])


def _fits_and_clean(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]
    violations = axe_violations(page)
    assert violations == [], describe(violations)


LANGUAGES = {
    "sv": (
        "", "Personlig kod för telefon", "Din personliga kod", "Beställ en ny kod per post",
        "En ny personlig kod är på väg",
    ),
    "en": (
        "/en", "Personal code for the phone", "Your personal code", "Order a new code by post",
        "A new personal code is on its way",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_citizen_orders_a_new_code_at_320_px(
    page: Page, live_server: Any, minpension: SimulatorThread, language: str
) -> None:
    prefix, link, heading, button, receipt = LANGUAGES[language]
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, live_server)
    page.goto(f"{prefix}/mina-sidor/")
    page.get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_have_text(heading)
    _fits_and_clean(page)
    page.get_by_role("button", name=button).click()
    expect(page.locator("h1")).to_have_text(receipt)
    _fits_and_clean(page)
    assert PersonalCode.objects.get(person__personal_number=JOHAN, voided_at=None).issue.startswith("order-")


def test_ordering_works_without_javascript(browser: Browser, live_server: Any, minpension: SimulatorThread) -> None:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server)
    page.goto("/mina-sidor/personlig-kod/")
    page.get_by_role("button", name="Beställ en ny kod per post").click()
    expect(page.locator("h1")).to_have_text("En ny personlig kod är på väg")
    context.close()
