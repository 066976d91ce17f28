"""Requirement (issue 14.1, 14.6, 20.5): the portal promises only services that exist, and always shows a way to
a person — customer service's number and hours (settings) on the help page, in the footer, and on error pages.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error
from pytest_django.fixtures import Settings

from minasidor.conf.opening_hours import OpeningHours, week_parse
from minasidor.ui.context_processors import phone_uri
from minasidor.ui.menu import MenuEntry, menu_entries

pytestmark = pytest.mark.django_db


def test_every_service_listed_exists() -> None:
    entries = menu_entries(everyone=True)
    names = [entry.url_name for entry in entries]
    assert names[0] == "pensions:home"
    assert {"pensions:forecast", "pensions:min-pension", "privacy:access-log"} <= set(names)
    assert [entry.order for entry in entries] == sorted(entry.order for entry in entries)
    for entry in entries:
        assert reverse(entry.url_name)  # a NoReverseMatch would be a promise of a page that does not exist


def test_entries_are_shown_to_their_audience() -> None:
    saving = [entry.url_name for entry in menu_entries(drawing_pension=False)]
    drawing = [entry.url_name for entry in menu_entries(drawing_pension=True)]
    unknown = [entry.url_name for entry in menu_entries(drawing_pension=None)]
    assert "pensions:forecast" in saving
    assert "pensions:forecast" not in drawing
    assert "housing:calculator" in drawing
    assert "housing:calculator" not in saving
    assert "pensions:forecast" not in unknown
    assert "privacy:access-log" in unknown
    assert MenuEntry("x", "x", "x", audience="drawing").shown_to(drawing_pension=None) is False


@pytest.mark.parametrize(
    ("path", "absent"),
    [
        ("/", ["ändra adress", "kontonummer och skatteavdrag", "Du har inga ärenden"]),
        ("/en/", ["change your address", "bank account and tax deduction", "You have no cases"]),
    ],
)
def test_the_start_page_promises_only_what_exists(client: Client, path: str, absent: list[str]) -> None:
    page = client.get(path).content.decode()
    for promise in absent:
        assert promise not in page
    language = "en" if path == "/en/" else "sv"
    with translation.override(language):
        for entry in menu_entries(everyone=True):
            assert str(entry.summary) in page
    assert ("annan svensk e-legitimation" if language == "sv" else "another Swedish e-ID") in page


def test_the_help_page_gives_the_number_hours_and_answers(client: Client, settings: Settings) -> None:
    settings.CUSTOMER_SERVICE_PHONE = "0771-000 111"
    settings.CUSTOMER_SERVICE_HOURS = OpeningHours(week_parse("mon-fri 9-15"))
    swedish = client.get("/hjalp/").content.decode()
    assert 'href="tel:+46771000111">0771-000 111</a>.' in swedish
    assert "Öppet måndag–fredag 9–15." in swedish
    assert "BankID startar inte" in swedish
    english = client.get("/en/hjalp/").content.decode()
    assert 'href="tel:+46771000111">0771-000 111</a>.' in english
    assert "Open Monday–Friday 9–15." in english
    assert "What the figures mean" in english


@pytest.mark.parametrize("path", ["/", "/en/personuppgifter/", "/finns-inte/", "/en/finns-inte/"])
def test_every_page_and_error_page_shows_customer_service(client: Client, path: str) -> None:
    page = client.get(path).content.decode()
    assert "0771-776 776" in page
    assert "/hjalp/" in page


def test_a_phone_number_as_written_becomes_a_tel_link() -> None:
    assert phone_uri("0771-776 776") == "tel:+46771776776"
    assert phone_uri("+46 498 200 700") == "tel:+46498200700"


def test_the_number_and_hours_set_are_on_the_error_pages(client: Client, settings: Settings) -> None:
    settings.CUSTOMER_SERVICE_PHONE = "0771-000 111"
    settings.CUSTOMER_SERVICE_HOURS = OpeningHours(week_parse("mon-fri 9-15"))
    shown = 'href="tel:+46771000111">0771-000 111</a>'
    assert shown in client.get("/finns-inte/").content.decode()
    with translation.override("sv"):
        assert shown in server_error(RequestFactory().get("/")).content.decode()
