"""Requirement: Min pension in a browser — each demo person sees the right figures, the forecast follows the
chosen age and share with JavaScript on and off, the total forecast appears after registering with Min
Pension, a retired person gets a reason instead of a fetch, an outage is stated — with zero axe violations.

"Right figures" is checked against the back office's own rows and the engine run here on the register's
income history, not against anything the portal computed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from backoffice.register.models import AccountStatement, PensionableIncome, Person, TaxSettings
from backoffice.synthetic.demo import DEMO_PERSONS
from minasidor.identity.tests.factories import make_identity
from pension_engine.forecast import forecast
from pension_engine.population import Population
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import browser_log_in, no_axe_violations

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

DEMO = {
    "196201082697": ("Karin", "Lindqvist"),
    "199101012384": ("Sara", "Nilsson"),
    "195801082743": ("Bengt", "Ek"),
    "195901022995": ("Amir", "Haddad"),
    "198001139297": ("Lena", "Berg"),
    "198501139995": ("Johan", "Sund"),
}
KARIN, JOHAN, AMIR = "196201082697", "198501139995", "195901022995"
FORECAST = "/mina-sidor/pension/prognos/"


def _log_in(page: Page, live_server: Any, number: str) -> None:
    """Put a logged-in session's cookie in the browser (the BankID journey itself is tested elsewhere)."""
    given, family = DEMO[number]
    browser_log_in(page, live_server, make_identity(number, given_name=given, family_name=family))


def _kronor(text: str) -> int:
    return int(re.sub(r"[^\d−-]", "", text).replace("−", "-"))


def _engine_totals(number: str, age: int, share: int) -> tuple[int, int]:
    """Public pension a month before and after tax at ``age``, by the engine, from the register's rows."""
    person = Person.objects.using("backoffice").get(personal_number=number)
    rows = list(PensionableIncome.objects.filter(person=person, income_year__lt=2026))
    incomes = {row.income_year: float(row.income) for row in rows}
    credits = {
        row.income_year: float(row.child_year_credit + row.study_credit + row.military_service_credit)
        for row in rows
        if row.child_year_credit + row.study_credit + row.military_service_credit > 0
    }
    children = next(demo.children for demo in DEMO_PERSONS if demo.personal_number == number)
    tax = TaxSettings.objects.filter(person=person).first()
    population = Population.of_one(
        birth_year=person.birth_date.year,
        income_by_year={year: income for year, income in incomes.items() if year < 2026},
        residence_years=float(person.residence_years),
        married=person.civil_status in ("married", "partner"),
        withdrawal_share=share / 100,
        municipal_tax_rate=None if tax is None else float(tax.municipal_tax_rate) / 100,
        credits_by_year=credits or None,
        youngest_child_birth_year=max(children, default=None),
    )
    result = forecast(population, as_of_year=2026, withdrawal_ages=[age])
    return int(np.round(result.expected.total_before_tax[0, 0])), int(np.round(result.expected.total_after_tax[0, 0]))


@pytest.mark.parametrize("number", list(DEMO))
def test_each_demo_person_sees_their_own_figures(
    page: Page, live_server: Any, minpension: SimulatorThread, number: str
) -> None:
    _log_in(page, live_server, number)
    page.goto("/mina-sidor/")
    expect(page.locator("h1")).to_have_text("Min pension")
    person = Person.objects.using("backoffice").get(personal_number=number)
    latest = AccountStatement.objects.filter(person=person).order_by("-year").first()
    if latest is not None:
        rows = {
            row.account: row.closing_value for row in AccountStatement.objects.filter(person=person, year=latest.year)
        }
        shown = page.locator('#earned-pension [data-amount="total"]').inner_text()
        # the sum of the accounts as shown, each rounded to whole kronor (issue 14.2)
        assert _kronor(shown) == sum(int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for value in rows.values())
    if person.drawing_pension:
        expect(page.locator("#latest-payment")).to_be_visible()
        expect(page.locator("#forecast-summary")).to_have_count(0)
    else:
        summary = page.locator("#forecast-summary").inner_text()
        age = int(re.search(r"vid (\d+) år", summary).group(1))  # type: ignore[union-attr]
        before, after = _engine_totals(number, age, 100)
        amounts = [_kronor(part) for part in re.findall(r"[\d\u00a0 ]+\u00a0kr", summary)]
        assert amounts[:2] == [before, after]
    no_axe_violations(page)


def _totals_on_page(page: Page) -> tuple[int, int]:
    before = page.locator('#forecast-parts [data-part="total_before_tax"]').inner_text()
    after = page.locator('#forecast-parts [data-part="total_after_tax"]').inner_text()
    return _kronor(before), _kronor(after)


def _choose(page: Page, age: int, share: int) -> None:
    page.get_by_label("Vid vilken ålder vill du börja ta ut din pension?").fill(str(age))
    page.get_by_label(f"{share}\u00a0%").check()
    page.get_by_role("button", name="Visa prognosen").click()


def _forecast_follows_age_and_share(page: Page, live_server: Any) -> None:
    _log_in(page, live_server, KARIN)
    page.goto(FORECAST)
    _choose(page, 65, 100)
    expect(page.locator("#forecast-heading")).to_contain_text("från 65 år")
    at_65 = _totals_on_page(page)
    assert at_65 == _engine_totals(KARIN, 65, 100)
    _choose(page, 68, 50)
    expect(page.locator("#forecast-heading")).to_contain_text("50 % från 68 år")
    at_68_half = _totals_on_page(page)
    assert at_68_half == _engine_totals(KARIN, 68, 50)
    assert at_68_half != at_65
    expect(page.locator("#age-comparison tr[data-age='68']")).to_contain_text("ditt val")


def test_the_forecast_follows_age_and_share_with_javascript(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    _forecast_follows_age_and_share(page, live_server)
    expect(page.locator("#forecast-status")).to_have_text("Prognosen är uppdaterad.")
    no_axe_violations(page)


def test_the_forecast_follows_age_and_share_without_javascript(
    browser: Browser, live_server: Any, minpension: SimulatorThread, flushable_access_log: None
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    try:
        _forecast_follows_age_and_share(context.new_page(), live_server)
    finally:
        context.close()


def test_an_age_below_the_lowest_is_explained(page: Page, live_server: Any, minpension: SimulatorThread) -> None:
    _log_in(page, live_server, KARIN)
    page.goto(FORECAST)
    _choose(page, 60, 100)
    expect(page.locator(".govuk-error-summary")).to_contain_text("tidigast")
    no_axe_violations(page)


def test_registering_with_min_pension_shows_the_total_forecast(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    _log_in(page, live_server, JOHAN)
    page.goto(FORECAST)
    expect(page.locator("#total-forecast")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Anslut dig till Min Pension")).click()
    page.get_by_label("Ja, registrera mig och godkänn villkoren").check()
    page.get_by_role("button", name="Fortsätt").click()
    page.goto(FORECAST)
    expect(page.locator("#total-forecast")).to_be_visible()
    expect(page.locator("#age-comparison")).to_contain_text("kr")
    no_axe_violations(page)


def test_a_retired_person_who_no_longer_works_is_told_why_nothing_is_fetched(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    minpension.control("faults", kind="error", status=500, count=10)  # any call to Min Pension would show
    _log_in(page, live_server, AMIR)
    page.goto("/mina-sidor/")
    expect(page.locator("#tjanstepension + p")).to_contain_text("redan tar ut din pension och inte längre arbetar")
    no_axe_violations(page)


def test_min_pension_down_leaves_the_rest_of_the_page_working(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    minpension.control("faults", kind="error", status=503, count=50)
    _log_in(page, live_server, "198001139297")
    page.goto("/mina-sidor/")
    expect(page.locator("#earned-pension")).to_be_visible()
    expect(page.locator("#tjanstepension + p")).to_contain_text("kunde inte hämtas")
    page.goto(FORECAST)
    expect(page.locator("#forecast-parts")).to_be_visible()
    no_axe_violations(page)
