"""Requirement: the citizen sees their Min Pension pensions, registers on a one-question page, outages are stated.

A person who draws pension and no longer works is told why nothing is fetched.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.minpension.models import MinPensionConsent
from minasidor.pensions.tests.conftest import Register
from simulators.minpension.server import SimulatorThread

pytestmark = pytest.mark.django_db

LENA = "198001139297"
JOHAN = "198501139995"
KARIN = "196201082697"
BENGT = "195801082743"  # draws his PA16 pensions and still works: saves in an IPS
PAGE = "/mina-sidor/tjanste-och-privat-pension/"
CONSENT = "/mina-sidor/tjanste-och-privat-pension/anslut/"


def _as(client: Client, number: str) -> Client:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def test_the_pages_need_a_login(client: Client) -> None:
    assert client.get(PAGE)["Location"] == "/logga-in/"
    assert client.get(CONSENT)["Location"] == "/logga-in/"


def test_a_registered_user_sees_occupational_and_private_pensions(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    response = _as(client, LENA).get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Alecta" in page
    assert "ITP1" in page
    assert "Swedbank Försäkring" in page
    assert "318\u00a0600\u00a0kr" in page
    assert 'id="minpension-income"' in page
    assert "Från 70:" in page


def test_the_drop_after_a_fixed_term_payout_is_shown_in_english(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    page = _as(client, KARIN).get(f"/en{PAGE}").content.decode()
    assert "Occupational pensions" in page
    assert "ITP2" in page
    assert "For 5 years" in page
    assert "From 69:" in page


def test_a_working_pensioner_sees_what_is_paid_now_apart_from_the_ages_to_start_the_rest(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    page = _as(client, BENGT).get(PAGE).content.decode().replace("\u00a0", " ")
    start = page.index('id="minpension-paid-now"')
    paid_now = page[start : page.index("</ul>", start)]
    assert "Nu: 10 860 kr i månaden" in paid_now  # SPV 6 850 for life and Kåpan 4 010 for five years from 65
    assert "(utbetalningen från Kåpan Pensioner upphör vid 70)" in paid_now
    assert "Från 70: 6 850 kr i månaden" in paid_now, "SPV's pension, paid for life, stays after 70"
    table = page[page.index('id="minpension-income"') : page.index("</table>", page.index('id="minpension-income"'))]
    rows = re.findall(r'<th scope="row"[^>]*>(\d+) år</th>(.*?)</tr>', table, flags=re.S)
    assert [age for age, _cells in rows] == ["68", "69", "70"]
    for _age, cells in rows:
        occupational = re.findall(r'--numeric">([^<]+)</td>', cells)[0]
        assert occupational == "0 kr", "only the IPS depends on the age he starts it"
    assert "10 860" not in table
    assert "6 850" not in table


def test_an_unregistered_person_registers_through_the_consent_page(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    _as(client, JOHAN)
    assert 'href="/mina-sidor/tjanste-och-privat-pension/anslut/"' in client.get(PAGE).content.decode()
    form = client.get(CONSENT).content.decode()
    assert "uppdragsavtal" in form
    assert "fullmakt" in form
    assert 'type="radio"' in form
    unanswered = client.post(CONSENT, {})
    assert unanswered.status_code == 200
    assert "govuk-error-summary" in unanswered.content.decode()
    assert not MinPensionConsent.objects.exists()
    answered = client.post(CONSENT, {"consent": "yes"})
    assert answered.status_code == 302
    assert answered["Location"] == PAGE
    assert "KPA Pension" in client.get(PAGE).content.decode()
    assert client.get(CONSENT)["Location"] == PAGE, "a registered user is not asked again"


def test_saying_no_registers_nothing(client: Client, minpension: SimulatorThread, register: Register) -> None:
    _as(client, JOHAN)
    assert client.post(CONSENT, {"consent": "no"})["Location"] == PAGE
    assert not MinPensionConsent.objects.exists()
    assert "minpension-register" in client.get(PAGE).content.decode()


def test_min_pension_down_is_stated_on_a_working_page(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    minpension.control("faults", kind="error", status=500, count=5)
    response = _as(client, LENA).get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "kunde inte hämtas från Min Pension just nu" in page
    assert "0\u00a0kr" not in page


def test_a_register_that_cannot_answer_is_also_could_not_be_fetched(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    register.reachable = False
    assert "minpension-unavailable" in _as(client, LENA).get(PAGE).content.decode()


def test_a_retired_person_who_no_longer_works_gets_the_reason_and_no_consent_page(
    client: Client, minpension: SimulatorThread, register: Register
) -> None:
    register.drawing_pension, register.still_working = True, False
    _as(client, JOHAN)
    page = client.get(PAGE).content.decode()
    assert "du redan tar ut din pension och inte längre arbetar" in page
    assert "Alecta" not in page
    assert "minpension-register" not in page
    assert client.get(CONSENT)["Location"] == PAGE
