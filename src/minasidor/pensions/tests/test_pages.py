"""Requirement: Min pension shows the citizen's earned pension, statement, funds, payments and forecast.

The data is fetched once per session from the register (and Min Pension when allowed); a source that fails
is stated, never shown as zero; the forecast follows the citizen's choice of age, share and work.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

KARIN = "196201082697"  # 64, about to retire, not a Min Pension user
AMIR = "195901022995"  # pensioner with guarantee pension
LENA = "198001139297"  # registered Min Pension user
BENGT = "195801082743"  # a pensioner since 2023 who still works
HOME = "/mina-sidor/"
FORECAST = "/mina-sidor/pension/prognos/"


def _as(client: Client, number: str) -> Client:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_the_overview_shows_earned_pension_statement_funds_and_forecast(
    client: Client, minpension: SimulatorThread
) -> None:
    page = _text(_as(client, KARIN).get(HOME))
    assert 'id="earned-pension"' in page
    assert 'id="statement-income_pension"' in page
    assert 'id="statement-premium_pension"' in page
    assert 'id="funds"' in page
    assert 'id="forecast-summary"' in page
    assert 'href="/mina-sidor/arenden/"' in page, "the overview leads to the citizen's cases"
    assert "Du har inga ärenden hos oss just nu." not in page  # no fixed text about cases (issue 14.1)


def test_a_pensioner_sees_payments_and_no_forecast(client: Client, minpension: SimulatorThread) -> None:
    page = _text(_as(client, AMIR).get(HOME))
    assert 'id="latest-payment"' in page
    assert 'id="next-payment"' in page
    assert 'id="decisions"' in page
    assert 'id="forecast-summary"' not in page


def test_a_pensioners_parts_are_this_years_amounts_and_add_up_to_the_payment(
    client: Client, minpension: SimulatorThread
) -> None:
    """Bengt has drawn since 2023: the parts shown are those recalculated for 2026, not the ones first granted."""
    page = _as(client, BENGT).get(HOME).content.decode()
    table = page[page.index('id="decisions"') : page.index("</table>", page.index('id="decisions"'))]
    amounts = [int(re.sub(r"\D", "", cell)) for cell in re.findall(r"--numeric\">([^<]+)</td>", table)]
    latest = page[page.index('id="latest-payment"') :]
    gross = int(re.sub(r"\D", "", re.findall(r"summary-list__value\">([^<]+)</dd>", latest)[0]))
    assert len(amounts) >= 2
    assert sum(amounts) == gross
    assert re.search(r'id="decisions-from">[^<]*(1 januari 2026|1 January 2026)', page)


def test_the_register_is_asked_once_per_session(
    client: Client, minpension: SimulatorThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = registers().person_snapshot

    def counting(*args: object) -> object:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(type(registers()), "person_snapshot", lambda self, *a: counting(*a))
    _as(client, KARIN)
    for _ in range(3):
        assert client.get(HOME).status_code == 200
    assert client.get(FORECAST).status_code == 200
    assert len(calls) == 1


def test_a_register_that_fails_is_stated_and_asked_again_next_time(
    client: Client, minpension: SimulatorThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = type(registers()).person_snapshot

    def failing(self: object, *args: object) -> object:
        raise RegistersUnavailableError("down")

    monkeypatch.setattr(type(registers()), "person_snapshot", failing)
    response = _as(client, KARIN).get(HOME)
    page = _text(response)
    assert response.status_code == 200
    assert 'id="earned-pension"' not in page
    assert "notification-banner" in page
    assert " 0 kr" not in page
    assert "\u00a00\u00a0kr" not in page
    monkeypatch.setattr(type(registers()), "person_snapshot", real)
    assert 'id="earned-pension"' in _text(client.get(HOME))


def test_the_forecast_changes_with_age_and_share(client: Client, minpension: SimulatorThread) -> None:
    _as(client, KARIN)
    first = client.post(FORECAST, {"withdrawal_age": "65", "withdrawal_share": "100", "work": "current"})
    assert first.status_code == 302
    at_65 = _text(client.get(FORECAST))
    client.post(FORECAST, {"withdrawal_age": "69", "withdrawal_share": "100", "work": "current"})
    at_69 = _text(client.get(FORECAST))
    client.post(FORECAST, {"withdrawal_age": "69", "withdrawal_share": "50", "work": "current"})
    at_69_half = _text(client.get(FORECAST))

    def total(page: str) -> int:
        match = re.search(r'data-part="total_before_tax"><strong>([\d\u00a0,]+)', page)
        assert match is not None
        return int(re.sub(r"\D", "", match.group(1)))

    assert total(at_65) < total(at_69)
    assert total(at_69_half) < total(at_69)


def test_an_age_below_the_lowest_gets_a_clear_message_and_keeps_the_input(
    client: Client, minpension: SimulatorThread
) -> None:
    response = _as(client, KARIN).post(
        f"/en{FORECAST}", {"withdrawal_age": "60", "withdrawal_share": "100", "work": "current"}
    )
    page = _text(response)
    assert response.status_code == 200
    assert "at the earliest" in page
    assert 'value="60"' in page
    assert "govuk-error-summary" in page


def test_another_income_needs_an_amount(client: Client, minpension: SimulatorThread) -> None:
    page = _text(
        _as(client, KARIN).post(f"/en{FORECAST}", {"withdrawal_age": "67", "withdrawal_share": "100", "work": "other"})
    )
    assert "Enter your income per year" in page


def test_the_overview_and_forecast_stay_within_their_query_budgets(client: Client, minpension: SimulatorThread) -> None:
    _as(client, KARIN)
    client.get(HOME)  # the first page after login fetches the data
    for path in (HOME, FORECAST):
        with (
            CaptureQueriesContext(connections["default"]) as portal,
            CaptureQueriesContext(connections["backoffice"]) as backoffice,
        ):
            assert client.get(path).status_code == 200
        assert len(portal) <= 4, [q["sql"] for q in portal.captured_queries]
        assert len(backoffice) == 0


def test_the_statement_and_the_forecast_download_as_pdf(client: Client, minpension: SimulatorThread) -> None:
    _as(client, KARIN)
    statement = client.get("/mina-sidor/pension/pensionsbesked.pdf")
    assert statement.status_code == 200
    assert statement["Content-Type"] == "application/pdf"
    assert statement.content.startswith(b"%PDF-")
    assert "pensionsbesked-2025.pdf" in statement["Content-Disposition"]
    forecast = client.get("/mina-sidor/pension/prognos/pensionsprognos.pdf")
    assert forecast.status_code == 200
    assert forecast.content.startswith(b"%PDF-")


def test_a_pensioner_gets_no_forecast_pdf_but_is_sent_to_the_forecast_page(
    client: Client, minpension: SimulatorThread
) -> None:
    response = _as(client, AMIR).get("/mina-sidor/pension/prognos/pensionsprognos.pdf")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/pension/prognos/"
