"""Requirement (issue 20): a citizen finds "Personal code for the phone" on My pension and orders a new code by
post — in Swedish and English, at 320 px without sideways scrolling, with zero axe violations, and without
JavaScript.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backoffice.personal_codes.models import PersonalCode
from minasidor.identity.tests.factories import make_identity
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import browser_log_in, fits_and_clean

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

JOHAN = "198501139995"


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
    browser_log_in(page, live_server, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page.goto(f"{prefix}/mina-sidor/")
    page.get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_have_text(heading)
    fits_and_clean(page)
    page.get_by_role("button", name=button).click()
    expect(page.locator("h1")).to_have_text(receipt)
    fits_and_clean(page)
    assert PersonalCode.objects.get(person__personal_number=JOHAN, voided_at=None).issue.startswith("order-")


def test_ordering_works_without_javascript(
    page_without_javascript: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    page = page_without_javascript
    browser_log_in(page, live_server, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page.goto("/mina-sidor/personlig-kod/")
    page.get_by_role("button", name="Beställ en ny kod per post").click()
    expect(page.locator("h1")).to_have_text("En ny personlig kod är på väg")
