"""A pensioner's forecast (issue 16.7): what the public pension becomes with work while drawing and another
share, with the figures of the engine's rules for pensions in payment on the register's decided rights."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from backoffice.casework.grant import income_history
from backoffice.register.models import PensionDecision, Person
from minasidor.identity.tests.factories import log_in, make_identity
from pension_engine.applied import PartChoice, history_with_work, withdrawal_amounts
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

BENGT = "195801082743"  # a pensioner since 2023 who still works
AMIR = "195901022995"  # pensioner with guarantee pension
KARIN = "196201082697"  # not yet drawing
FORECAST = "/mina-sidor/pension/prognos/"
YEARS = [2026, 2027, 2028]


def _as(client: Client, number: str) -> Client:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _cells(page: str, table: str, part: str) -> list[int]:
    start = page.index(f'id="{table}"')
    body = page[start : page.index("</table>", start)]
    return [int(re.sub(r"\D", "", cell)) for cell in re.findall(rf'data-part="{part}">(?:<strong>)?([^<]+)<', body)]


def _engine(number: str, shares: dict[str, int], income: float = 0.0) -> dict[str, dict[int, float]]:
    """The engine on the back office's register, computed apart from the portal."""
    person = Person.objects.get(personal_number=number)
    decisions = PensionDecision.objects.filter(person=person).order_by("payable_from")
    drawn: dict[str, PartChoice] = {}
    for decision in decisions:
        if decision.benefit in ("income_pension", "premium_pension"):
            first = drawn.get(decision.benefit)
            since = first.start if first else decision.payable_from
            share = decision.withdrawal_share if decision.monthly_amount > 0 else 0
            drawn[decision.benefit] = PartChoice(decision.benefit, since, shares.get(decision.benefit, share))
    history = income_history(person)
    if income:
        history = history_with_work(history, income_per_year=income, until_year=YEARS[-1])
    return withdrawal_amounts(
        history,
        drawn,
        guarantee=decisions.filter(benefit__in=["guarantee_pension", "income_pension_supplement"]).exists(),
        years=YEARS,
        married=person.married,
        residence_years=float(person.residence_years),
        municipal_tax_rate=float(person.tax_settings.municipal_tax_rate) / 100,
    )


def test_a_pensioner_sees_the_pension_as_drawn_now_by_the_engine(client: Client, minpension: SimulatorThread) -> None:
    page = _as(client, BENGT).get(FORECAST).content.decode()
    assert 'id="drawing-forecast-form"' in page
    assert 'id="drawn-now"' in page
    expected = _engine(BENGT, {})
    for part in ("income_pension", "premium_pension"):
        assert _cells(page, "as-now", part) == [round(expected[part][y]) for y in YEARS]


def test_work_and_a_half_withdrawal_give_the_engines_figures(client: Client, minpension: SimulatorThread) -> None:
    client = _as(client, BENGT)
    posted = {"yearly_income": "480000", "share_income_pension": "50", "share_premium_pension": "100"}
    response = client.post(FORECAST, posted)
    assert response.status_code == 302
    page = client.get(FORECAST).content.decode()
    working_now = _engine(BENGT, {}, income=480_000)
    working_half = _engine(BENGT, {"income_pension": 50}, income=480_000)
    for part in ("income_pension", "premium_pension"):
        assert _cells(page, "as-now", part) == [round(working_now[part][y]) for y in YEARS]
        assert _cells(page, "as-chosen", part) == [round(working_half[part][y]) for y in YEARS]
    chosen = _cells(page, "as-chosen", "income_pension")
    assert chosen[0] < _cells(page, "as-now", "income_pension")[0]
    idle = _engine(BENGT, {})
    assert working_now["income_pension"][2028] > idle["income_pension"][2028], "work while drawing raises it"


def test_less_than_the_whole_ends_guarantee_pension(client: Client, minpension: SimulatorThread) -> None:
    client = _as(client, AMIR)
    page = client.get(FORECAST).content.decode()
    assert _cells(page, "as-now", "guarantee_pension")[0] > 0
    client.post(FORECAST, {"yearly_income": "0", "share_income_pension": "75", "share_premium_pension": "100"})
    page = client.get(FORECAST).content.decode()
    assert _cells(page, "as-chosen", "guarantee_pension") == [0, 0, 0]


def test_a_bad_income_is_refused_politely_and_kept(client: Client, minpension: SimulatorThread) -> None:
    client = _as(client, BENGT)
    response = client.post(FORECAST, {"yearly_income": "mycket", "share_income_pension": "50"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange inkomsten som ett helt antal kronor" in page or "Enter the income as a whole number" in page
    assert 'value="mycket"' in page
    assert "govuk-error-summary" in page


def test_a_saver_still_gets_the_forecast_by_starting_age(client: Client, minpension: SimulatorThread) -> None:
    page = _as(client, KARIN).get(FORECAST).content.decode()
    assert 'id="drawing-forecast-form"' not in page
    assert 'id="forecast-form"' in page
