"""Requirement (issue 14.4, 14.7): the forecast explains its own numbers, and its form asks what the person can
still choose, in fields that look alike and behave on a phone.

Johan (born 1985) gets guarantee pension from his cohort's age 69: the page says so at that row. Lena's Min
Pension forecasts stop at an age: the page says so there instead of showing a fall. Karin (64) is offered
64, not 63. Numbers are typed in text fields with a numeric keyboard, at the width the form sets. After an
error, the previous result is not shown under the corrected form. A person past every forecast age is told
why and whom to call.
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from minasidor.identity.tests.factories import log_in, make_identity
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

KARIN = "196201082697"
LENA = "198001139297"
JOHAN = "198501139995"
TOLVAN = "191212121212"
FORECAST = "/en/mina-sidor/pension/prognos/"


def _page(client: Client, number: str) -> str:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return re.sub(r"\s+", " ", client.get(FORECAST).content.decode())


def _row(page: str, age: str) -> str:
    """The age comparison table's row for ``age``."""
    table = page[page.index('id="age-comparison"') :]
    row = re.search(rf'data-age="{age}">(.*?)</tr>', table)
    assert row is not None
    return row.group(1)


def test_the_guarantee_pension_age_of_the_persons_cohort_is_said_where_the_forecast_jumps(
    client: Client, minpension: SimulatorThread
) -> None:
    page = _page(client, JOHAN)
    assert 'id="note-guarantee"' in page
    assert "can be paid from 69 at the earliest for people born in your year" in page
    assert 'data-note="guarantee"' in _row(page, "69")
    assert "from age 69 at the earliest" in page  # the assumptions say the person's own age, not "66 or 67"
    assert "66 or 67" not in page


def test_where_min_pension_has_no_forecast_the_page_says_so_instead_of_showing_a_fall(
    client: Client, minpension: SimulatorThread
) -> None:
    page = _page(client, LENA)
    match = re.search(r'id="note-min-pension">Min Pension gives no forecast .*? if you start at (\d+) or later', page)
    assert match is not None, "Lena's Min Pension forecast ends at some age"
    row = _row(page, match.group(1))
    assert 'data-note="min-pension-ends"' in row
    assert "No forecast" in row
    chart = page[page.index('id="ages"') : page.index('id="age-comparison"')]
    marked = re.findall(r'data-age="(\d+)"(?:(?!data-age=).)*?data-missing="other-pensions"', chart)
    assert marked, "the chart marks the ages without Min Pension's forecast instead of drawing them as zero"
    assert min(int(age) for age in marked) == int(match.group(1))
    assert "those bars, marked with a question mark, show the public pension only" in chart


def test_the_form_offers_only_ages_the_person_can_still_choose(client: Client, minpension: SimulatorThread) -> None:
    page = _page(client, KARIN)
    assert "You can start drawing your pension at 64 at the earliest." in page
    assert "at 63 at the earliest" not in page


def test_numbers_are_text_fields_with_a_numeric_keyboard_at_the_forms_width(
    client: Client, minpension: SimulatorThread
) -> None:
    page = _page(client, KARIN)
    age = re.search(r'<input[^>]*name="withdrawal_age"[^>]*>', page)
    income = re.search(r'<input[^>]*name="yearly_income"[^>]*>', page)
    assert age is not None
    assert income is not None
    for field, width in ((age.group(0), "govuk-input--width-3"), (income.group(0), "govuk-input--width-10")):
        assert 'type="text"' in field
        assert 'inputmode="numeric"' in field
        assert width in field
    assert 'type="number"' not in page
    assert re.search(r'<label class="govuk-label govuk-label--m" for="id_withdrawal_age"', page)


def test_after_an_error_the_previous_result_is_not_shown(client: Client, minpension: SimulatorThread) -> None:
    _page(client, KARIN)
    posted = client.post(FORECAST, {"withdrawal_age": "sixty", "withdrawal_share": "100", "work": "current"})
    page = posted.content.decode()
    assert posted.status_code == 200
    assert "govuk-error-summary" in page
    assert 'id="resultat"' not in page
    assert 'id="age-comparison"' not in page


def test_a_person_past_every_forecast_age_is_told_why_and_whom_to_call(
    client: Client, minpension: SimulatorThread
) -> None:
    page = _page(client, TOLVAN)
    assert 'id="no-forecast"' in page
    assert "past the highest age we make forecasts for" in page
    assert "0771-776 776" in page


def test_the_forecast_pdf_says_where_guarantee_pension_comes_in(client: Client, minpension: SimulatorThread) -> None:
    _page(client, JOHAN)
    document = client.get("/en/mina-sidor/pension/prognos/pensionsprognos.pdf").content
    reader = PdfReader(io.BytesIO(document))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " "))
    assert "From 69 the forecast rises" in text
