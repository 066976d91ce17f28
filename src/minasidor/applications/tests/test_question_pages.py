"""Requirement (issue 16.1): the application for old-age pension asks one question per page, in Swedish and
English, keeps the draft in the session only, offers the months the rules allow, checks the account by the
banks' rules, and shows every answer with a change link and the engine's amounts before signing.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from minasidor.applications.draft import SESSION_KEY
from minasidor.identity.tests.factories import log_in, make_identity

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension"),
]

KARIN = "196201082697"  # 64, married, not drawing: may apply from this month (2026-11 in the tests)
JOHAN = "198501139995"  # 41: too early to apply
BENGT = "195801082743"  # draws his pension since 2023
TOLVAN = "191212121212"  # born 1912, drawing nothing in the demo register: the old rules only
BASE = "/en/mina-sidor/ansok/"


def _as(client: Client, number: str) -> Client:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _fill(client: Client, *, abroad: bool = False, survivor: bool = True) -> None:
    """Answer every question as Karin (income and premium pension from January 2027, whole)."""
    assert client.post(BASE + "delar/", {"parts": ["income_pension", "premium_pension"]}).status_code == 302
    assert client.post(BASE + "inkomstpension/", {"start_month": "2027-01", "share": "100"}).status_code == 302
    assert client.post(BASE + "premiepension/", {"start_month": "2027-01", "share": "100"}).status_code == 302
    assert client.post(BASE + "civilstand/", {"civil_status": "married"}).status_code == 302
    response = client.post(BASE + "efterlevandeskydd/", {"survivor_protection": "yes" if survivor else "no"})
    assert response.status_code == 302
    living = {"living_abroad": "yes", "country": "DE"} if abroad else {"living_abroad": "no"}
    assert client.post(BASE + "bosattning/", living).status_code == 302
    assert client.post(BASE + "skatt/", {"tax_kind": "table"}).status_code == 302
    account = (
        {"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}
        if abroad
        else {"clearing_number": "5000", "account_number": "100 00 04"}
    )
    response = client.post(BASE + "konto/", account)
    assert response.status_code == 302, _text(response)
    assert response["Location"].endswith("/sammanfattning/")


def test_the_start_page_names_the_months_open_and_the_rules(client: Client) -> None:
    page = _text(_as(client, KARIN).get(BASE))
    assert "You can choose a month from November 2026 to November 2027." in page
    assert "cannot be paid for time before the application" in page
    swedish = _text(client.get("/mina-sidor/ansok/"))
    assert "Du kan välja en månad från november 2026 till november 2027." in swedish


def test_a_person_too_young_is_told_when_they_can_apply(client: Client) -> None:
    page = _text(_as(client, JOHAN).get(BASE + "delar/"))
    assert 'id="unavailable-too-early"' in page
    assert 'name="parts"' not in page


def test_a_pensioner_is_sent_to_change_the_withdrawal_instead(client: Client) -> None:
    assert 'id="unavailable-drawing"' in _text(_as(client, BENGT).get(BASE))


def test_a_person_born_before_1938_is_told_to_apply_on_paper_on_every_page(client: Client) -> None:
    """Such a person has no income or premium pension and nothing the engine can calculate: the summary page
    answered 500 for Tolvan (born 1912) before."""
    _as(client, TOLVAN)
    for path in ("", "delar/", "inkomstpension/", "sammanfattning/"):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert 'id="unavailable-old-rules"' in _text(response), path
    swedish = _text(client.get("/mina-sidor/ansok/sammanfattning/"))
    assert "Ring kundservice" in swedish
    assert 'id="unavailable-order-form"' in swedish


def test_the_questions_lead_one_by_one_to_the_summary(client: Client) -> None:
    _as(client, KARIN)
    response = client.post(BASE + "delar/", {"parts": ["income_pension", "premium_pension"]})
    assert response["Location"].endswith("/inkomstpension/")
    response = client.post(BASE + "inkomstpension/", {"start_month": "2027-01", "share": "50"})
    assert response["Location"].endswith("/premiepension/")
    response = client.post(BASE + "premiepension/", {"start_month": "2027-03", "share": "100"})
    assert response["Location"].endswith("/civilstand/")
    response = client.post(BASE + "civilstand/", {"civil_status": "single"})
    assert response["Location"].endswith("/bosattning/"), "no survivor protection for the single"
    response = client.post(BASE + "bosattning/", {"living_abroad": "no"})
    assert response["Location"].endswith("/skatt/")
    response = client.post(BASE + "skatt/", {"tax_kind": "extra", "extra_per_month": "500"})
    assert response["Location"].endswith("/konto/")
    response = client.post(BASE + "konto/", {"clearing_number": "8327-9", "account_number": "9 123 456 789"})
    assert "We cannot check this account number" in _text(response), "Swedbank's 8xxx accounts: comment 3"
    confirmed = {"clearing_number": "8327-9", "account_number": "9 123 456 789", "confirmed": "yes"}
    response = client.post(BASE + "konto/", confirmed)
    assert response["Location"].endswith("/sammanfattning/")
    page = _text(client.get(BASE + "sammanfattning/"))
    assert "From January 2027, 50 per cent" in page
    assert "From March 2027, 100 per cent" in page
    assert "By the tax table plus 500.00 kronor a month" in page
    assert "Swedbank, 8327-9, 9123456789" in page


def test_an_answer_is_checked_and_the_error_named(client: Client) -> None:
    _as(client, KARIN)
    page = _text(client.post(BASE + "inkomstpension/", {"start_month": "2026-10", "share": "30"}))
    assert "govuk-error-summary" in page
    assert "Choose one of the months in the list" in page
    assert "Choose how much you want to take" in page
    page = _text(client.post(BASE + "konto/", {"clearing_number": "5000", "account_number": "1000005"}))
    assert "The account number is not right for this clearing number" in page
    page = _text(client.post(BASE + "konto/", {"clearing_number": "1234", "account_number": "1234567"}))
    assert 'class="govuk-error-message"' in page


def test_guarantee_pension_is_not_offered_before_the_guarantee_age_is_within_reach(client: Client) -> None:
    page = _text(_as(client, KARIN).get(BASE + "delar/"))
    assert 'value="income_pension"' in page
    assert 'value="guarantee_pension"' not in page, "Karin reaches the guarantee-pension age (67) in 2029"


def test_the_summary_shows_every_answer_with_a_change_link_and_the_engines_amounts(client: Client) -> None:
    _fill(_as(client, KARIN))
    page = _text(client.get(BASE + "sammanfattning/"))
    assert page.count("?andra=1") == 8
    assert 'id="preview"' in page
    amounts = re.findall(r'data-amount="(\w+)">([^<]+)<', page)
    assert len(amounts) >= 4
    total = dict(amounts)["total"]
    assert re.sub(r"\D", "", total) != "0"


def test_a_change_from_the_summary_returns_to_it_or_to_the_question_it_opens(client: Client) -> None:
    _fill(_as(client, KARIN))
    response = client.post(BASE + "skatt/", {"tax_kind": "thirty_percent", "andra": "1"})
    assert response["Location"].endswith("/sammanfattning/")
    response = client.post(BASE + "civilstand/", {"civil_status": "single", "andra": "1"})
    assert response["Location"].endswith("/sammanfattning/"), "survivor protection is no longer asked"
    page = _text(client.get(BASE + "sammanfattning/"))
    assert "Survivor protection" not in page
    response = client.post(BASE + "civilstand/", {"civil_status": "married", "andra": "1"})
    assert response["Location"].endswith("/efterlevandeskydd/"), "the change opens a question"


def test_moving_abroad_drops_the_swedish_account_and_asks_for_an_iban(client: Client) -> None:
    _fill(_as(client, KARIN))
    response = client.post(BASE + "bosattning/", {"living_abroad": "yes", "country": "DE", "andra": "1"})
    assert response["Location"].endswith("/konto/")
    page = _text(client.get(BASE + "skatt/"))
    assert "SINK" in page
    page = _text(client.get(BASE + "konto/"))
    assert 'name="iban"' in page
    response = client.post(BASE + "konto/", {"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX", "andra": "1"})
    assert response["Location"].endswith("/sammanfattning/")
    assert "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX" in _text(client.get(BASE + "sammanfattning/"))


def test_the_draft_is_kept_in_the_session_for_its_person_only(client: Client) -> None:
    _fill(_as(client, KARIN))
    assert client.session[SESSION_KEY]["answers"]["civil_status"] == "married"
    log_in(client, make_identity(JOHAN))
    assert SESSION_KEY not in client.session or client.session[SESSION_KEY]["subject"] != make_identity(KARIN).pseudonym


def test_an_unfinished_application_says_what_is_missing_and_offers_no_signing(client: Client) -> None:
    _as(client, KARIN)
    client.post(BASE + "delar/", {"parts": ["income_pension"]})
    page = _text(client.get(BASE + "sammanfattning/"))
    assert 'id="incomplete"' in page
    assert 'id="preview"' not in page
    assert "Not answered" in page


def test_the_forecasts_age_and_share_are_filled_in_when_applying_from_it(client: Client) -> None:
    _as(client, KARIN)  # born January 1962: 65 in January 2027
    forecast = _text(client.get("/en/mina-sidor/pension/prognos/"))
    assert 'id="apply-from-age"' in forecast
    page = _text(client.get(BASE + "?alder=65&andel=75"))
    assert "In your forecast you chose to start in January 2027." in page
    assert "delar/?alder=65&amp;andel=75" in page
    chosen = {"parts": ["income_pension", "premium_pension"], "alder": "65", "andel": "75"}
    response = client.post(BASE + "delar/", chosen)
    assert response["Location"].endswith("/inkomstpension/")
    income = _text(client.get(BASE + "inkomstpension/"))
    assert '<option value="2027-01" selected>' in income
    assert client.session[SESSION_KEY]["answers"]["starts"]["premium_pension"] == ["2027-01", 75]
    outside = _text(client.get(BASE + "?alder=70&andel=100"))
    assert 'id="chosen-month"' not in outside, "an age outside the months open is not filled in"


def test_after_a_timeout_the_page_and_the_whole_draft_come_back_to_the_same_person(client: Client) -> None:
    from minasidor.applications.draft import Draft  # noqa: PLC0415
    from minasidor.applications.views import _draft_token  # noqa: PLC0415
    from minasidor.identity.session import KEPT_FORM_KEY  # noqa: PLC0415

    karin = make_identity(KARIN, given_name="Test", family_name="Person")
    _as(client, KARIN)
    earlier = Draft(parts=("income_pension",), starts={"income_pension": ("2027-01", 100)}, civil_status="single")
    session = client.session
    session.pop(SESSION_KEY, None)  # the session that timed out took the draft with it
    session[KEPT_FORM_KEY] = {
        "path": BASE + "skatt/",
        "data": {"tax_kind": ["thirty_percent"], "utkast": [_draft_token(karin, earlier)]},
        "subject": karin.pseudonym,
    }
    session.save()
    page = _text(client.get(BASE + "skatt/"))
    assert re.search(r'value="thirty_percent"[^>]*checked', page)
    assert client.session[SESSION_KEY]["answers"]["civil_status"] == "single"
    assert client.session[SESSION_KEY]["answers"]["starts"]["income_pension"] == ["2027-01", 100]
    forged = Client()
    _as(forged, KARIN)
    session = forged.session
    session[KEPT_FORM_KEY] = {
        "path": BASE + "skatt/",
        "data": {"tax_kind": ["table"], "utkast": [_draft_token(make_identity(JOHAN), earlier)]},
        "subject": karin.pseudonym,
    }
    session.save()
    forged.get(BASE + "skatt/")
    assert SESSION_KEY not in forged.session or not forged.session[SESSION_KEY]["answers"]["parts"], (
        "a draft signed for another person is not taken"
    )
