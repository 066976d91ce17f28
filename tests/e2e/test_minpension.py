"""Requirement: Min Pension in a browser, with zero axe violations.

A registered demo person sees their pensions; an unregistered one registers through the consent step and then
sees theirs; an outage is stated; a retired person who no longer works gets a reason instead of a fetch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from backoffice.register.models import Person
from backoffice.synthetic.demo import demo_persons_create
from minasidor.identity.tests.factories import make_identity
from minasidor.minpension import connection
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import browser_log_in, no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

LENA = "198001139297"
JOHAN = "198501139995"
AMIR = "195901022995"
BENGT = "195801082743"
PAGE = "/mina-sidor/tjanste-och-privat-pension/"


@pytest.fixture(scope="module")
def minpension_server() -> Iterator[SimulatorThread]:
    with SimulatorThread(today=lambda: dt.date(2026, 11, 28)) as thread:
        yield thread


@pytest.fixture
def minpension(minpension_server: SimulatorThread, settings: Settings) -> Iterator[SimulatorThread]:
    minpension_server.control("reset")
    settings.MINPENSION_BASE_URL = minpension_server.api_base_url
    settings.MINPENSION_TIMEOUT_SECONDS = 1.0
    connection.reset()
    demo_persons_create()
    yield minpension_server
    connection.reset()


def _logged_in(page: Page, live_server: Any, number: str, given_name: str, family_name: str) -> None:
    """Put a logged-in session's cookie in the browser (the test's stand-in for the BankID journey)."""
    browser_log_in(page, live_server, make_identity(number, given_name=given_name, family_name=family_name))


def test_a_registered_user_sees_their_pensions(page: Page, live_server: Any, minpension: SimulatorThread) -> None:
    _logged_in(page, live_server, LENA, "Lena", "Berg")
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Tjänstepension och privat pension").click()
    expect(page.locator("h1")).to_have_text("Tjänstepension och privat pension")
    expect(page.locator("#minpension-occupational")).to_contain_text("Alecta")
    expect(page.locator("#minpension-private")).to_contain_text("Swedbank Försäkring")
    expect(page.locator("#minpension-income")).to_contain_text("Från 70:")
    no_axe_violations(page)


def test_a_working_pensioner_sees_what_is_paid_now_apart_at_320_px(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    _logged_in(page, live_server, BENGT, "Bengt", "Ek")
    page.goto(PAGE)
    expect(page.locator("#minpension-paid-now")).to_contain_text("Från 70: 6\u00a0850\u00a0kr i månaden")
    expect(page.locator("#minpension-income")).not_to_contain_text("10\u00a0860")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    no_axe_violations(page)


def test_an_unregistered_person_registers_and_then_sees_theirs(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    _logged_in(page, live_server, JOHAN, "Johan", "Sund")
    page.goto(PAGE)
    no_axe_violations(page)
    page.get_by_role("button", name="Registrera dig hos Min Pension").click()
    expect(page.locator("h1")).to_have_text("Registrera dig hos Min Pension")
    expect(page.locator("main")).to_contain_text("fullmakt")
    no_axe_violations(page)
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    no_axe_violations(page)
    page.get_by_label("Ja, registrera mig och godkänn villkoren").check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Du är nu registrerad hos Min Pension")
    expect(page.locator("#minpension-occupational")).to_contain_text("KPA Pension")
    expect(page.locator("#minpension-private")).to_contain_text("Avanza")
    no_axe_violations(page)


def test_min_pension_down_is_stated_and_the_page_works(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    minpension.control("faults", kind="error", status=500, count=10)
    _logged_in(page, live_server, LENA, "Lena", "Berg")
    page.goto(f"/en{PAGE}")
    expect(page.locator("#minpension-unavailable")).to_contain_text("could not be fetched from Min Pension right now")
    expect(page.locator("#minpension-occupational")).to_have_count(0)
    page.get_by_role("link", name="Back to My pages").last.click()
    expect(page.locator("#greeting")).to_contain_text("Welcome")
    no_axe_violations(page)


def test_a_retired_person_who_no_longer_works_gets_no_fetch_and_a_reason(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    Person.objects.filter(personal_number=AMIR).update(drawing_pension=True, still_working=False)
    minpension.control("faults", kind="error", status=500, count=10)  # any call to Min Pension would show
    _logged_in(page, live_server, AMIR, "Amir", "Haddad")
    page.goto(PAGE)
    expect(page.locator("#minpension-retired")).to_contain_text("du redan tar ut din pension och inte längre arbetar")
    expect(page.locator("#minpension-unavailable")).to_have_count(0)
    no_axe_violations(page)
