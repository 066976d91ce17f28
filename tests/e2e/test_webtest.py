"""Requirement (issue 19): the web test in a browser, with JavaScript (everything the page can find) and
without (what the server sees), in both languages, at 320 px without sideways scrolling, with zero axe
violations; the reference it gives shows the same result in the console."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from minasidor.webtest.models import WebTestRecord
from tests.e2e.conftest import axe_violations, describe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_access_log")]


def _no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    ("prefix", "consent", "button"),
    [
        ("", "Jag vill göra webbtestet och låta kundservice se resultatet i 24 timmar", "Gör webbtestet"),
        (
            "/en",
            "I want to make the web test and let customer service see the result for 24 hours",
            "Make the web test",
        ),
    ],
)
def test_the_web_test_with_javascript(page: Page, prefix: str, consent: str, button: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{prefix}/webbtest/")
    _no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label(consent).check()
    page.get_by_role("button", name=button).click()
    reference = page.get_by_test_id("webtest-reference").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    _no_axe_violations(page)
    results = WebTestRecord.objects.get(reference=reference).results
    assert results["javascript"] is True
    assert results["browser"] == "Chrome"
    assert results["window"] == "320×800"
    assert results["local_storage"] is True
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_the_web_test_without_javascript(browser: Browser, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto("/webbtest/")
    page.get_by_label("Jag vill göra webbtestet och låta kundservice se resultatet i 24 timmar").check()
    page.get_by_role("button", name="Gör webbtestet").click()
    reference = page.get_by_test_id("webtest-reference").inner_text()
    results = WebTestRecord.objects.get(reference=reference).results
    assert results["javascript"] is False
    assert results["cookies"] is True
    expect(page.locator('[data-item="javascript"]')).to_have_text("Fungerar inte")
    context.close()
