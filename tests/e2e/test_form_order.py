"""Requirement (issue 20.3, decision 0203): a citizen finds "Order a form" on My pension and orders a paper form
by post — in Swedish and English, at 320 px without sideways scrolling, with zero axe violations (a refused
choice too), and without JavaScript.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backoffice.paper_forms.models import FormOrder
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
        "", "Beställ blankett", "Vilken blankett vill du ha med posten?", "Fullmakt", "Beställ blanketten per post",
        "Välj en blankett", "Din blankett är på väg",
    ),
    "en": (
        "/en", "Order a form", "Which form do you want by post?", "Power of attorney", "Order the form by post",
        "Choose a form", "Your form is on its way",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_citizen_orders_a_form_at_320_px(
    page: Page, live_server: Any, minpension: SimulatorThread, language: str
) -> None:
    prefix, link, question, form, button, error, receipt = LANGUAGES[language]
    page.set_viewport_size({"width": 320, "height": 800})
    browser_log_in(page, live_server, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page.goto(f"{prefix}/mina-sidor/")
    page.get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_have_text(question)
    fits_and_clean(page)
    page.get_by_role("button", name=button).click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text(error)
    fits_and_clean(page)
    page.get_by_label(form).check()
    page.get_by_role("button", name=button).click()
    expect(page.locator("h1")).to_have_text(receipt)
    expect(page.locator("#ordered")).to_contain_text(form)
    fits_and_clean(page)
    (order,) = FormOrder.objects.filter(person__personal_number=JOHAN)
    assert (order.form_code, order.channel) == ("power_of_attorney", "web")


def test_ordering_works_without_javascript(
    page_without_javascript: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    page = page_without_javascript
    browser_log_in(page, live_server, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page.goto("/mina-sidor/blanketter/")
    page.get_by_label("Ansökan om allmän ålderspension").check()
    page.get_by_role("button", name="Beställ blanketten per post").click()
    expect(page.locator("h1")).to_have_text("Din blankett är på väg")
    assert FormOrder.objects.filter(person__personal_number=JOHAN, form_code="old_age_pension").exists()
