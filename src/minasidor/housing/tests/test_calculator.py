"""Requirement (issue 15 item 7): "Räkna på bostadstillägg" — a calculator on Mina sidor prefilled with what the
register knows (civil status, the public pension in payment), the citizen completing what it does not, giving
the engine's housing supplement and maintenance support; bad input is refused politely and keeps the answers.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pension_data.housing import HousingAnswers, housing_estimate
from minasidor.registers import registers
from pension_engine.housing_supplement import HousingApplicants, housing_supplement
from pension_engine.parameters import last_actual_year

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

AMIR = "195901022995"  # single, draws guarantee pension since 2025
KARIN = "196201082697"  # married, not yet drawing
URL = "/mina-sidor/bostadstillagg/"
ANSWERS = {
    "civil_status": "single",
    "housing_cost_per_month": "6500",
    "guarantee_pension_per_month": "3000",
    "income_based_pension_per_month": "9000",
    "occupational_pension_per_month": "",
    "earned_income_per_month": "",
    "capital_income_per_year": "",
    "assets": "",
}


def _value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _shown(html: str, part: str) -> int:
    match = re.search(rf'data-part="{part}">([^<]*)<', html)
    assert match, part
    return int(re.sub(r"\D", "", match.group(1).replace("\u2212", "-")) or 0)


def test_the_register_fills_in_civil_status_and_the_pension_in_payment(client: Client) -> None:
    log_in(client, make_identity(AMIR, given_name="Amir", family_name="Haddad"))
    html = client.get(URL).content.decode()
    guarantee, other = (
        int(_value(html, "guarantee_pension_per_month")),
        int(_value(html, "income_based_pension_per_month")),
    )
    assert guarantee > 0, "Amir draws guarantee pension: it is filled in"
    assert other > 0
    assert re.search(r'value="single"[^>]*checked', html)
    assert _value(html, "housing_cost_per_month") == "", "the rent is the citizen's to give"


def test_a_saver_is_told_there_is_no_pension_to_fill_in(client: Client) -> None:
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    html = client.get(URL).content.decode()
    assert _value(html, "guarantee_pension_per_month") == "0"
    assert re.search(r'value="married"[^>]*checked', html)
    assert "inte ut din pension" in html


def test_the_estimate_is_the_engines(client: Client) -> None:
    log_in(client, make_identity(AMIR, given_name="Amir", family_name="Haddad"))
    response = client.post(URL, ANSWERS)
    assert response.status_code == 200
    html = response.content.decode()
    tax = (
        registers().person_snapshot(citizen_principal(f"se:{AMIR}"), PersonalNumber(AMIR)).customer_records.tax_settings
    )
    assert tax is not None
    rate = tax.municipal_tax_rate
    today = clock.today()
    year = min(today.year, last_actual_year())
    engine = housing_supplement(
        HousingApplicants.of_one(
            married=False,
            housing_cost_per_month=6500,
            guarantee_pension=36_000,
            income_based_public_pension=108_000,
            municipal_tax_rate=float(rate) / 100,
        ),
        year,
        month=today.month if year == today.year else 12,
    )
    shown = _shown(html, "housing_supplement")
    assert shown > 0, "a low pension and a rent of 6 500 kr give housing supplement"
    assert shown == int(engine.housing_supplement_per_month[0])
    assert _value(html, "housing_cost_per_month") == "6500", "the answers stay in the form"


def test_bad_input_is_refused_politely_and_keeps_the_answers(client: Client) -> None:
    log_in(client, make_identity(AMIR, given_name="Amir", family_name="Haddad"))
    html = client.post(URL, {**ANSWERS, "housing_cost_per_month": "6 500 kr", "assets": "-5"}).content.decode()
    assert "Ange ett helt antal kronor" in html or "heltal" in html
    assert "resultat" not in html
    assert _value(html, "guarantee_pension_per_month") == "3000"


def test_a_higher_income_gives_less_and_a_high_one_nothing() -> None:
    day = dt.date(2026, 6, 1)
    low = housing_estimate(
        HousingAnswers(married=False, housing_cost_per_month=6500, guarantee_pension_per_month=9000), day
    )
    more = housing_estimate(
        HousingAnswers(married=False, housing_cost_per_month=6500, income_based_pension_per_month=20_000), day
    )
    rich = housing_estimate(
        HousingAnswers(married=False, housing_cost_per_month=6500, income_based_pension_per_month=60_000), day
    )
    assert low.housing_supplement > more.housing_supplement > rich.housing_supplement == 0
