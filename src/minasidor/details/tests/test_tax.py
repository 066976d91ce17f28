"""Requirement (issue 18.3): a pensioner chooses tax by the tax table as usual or an extra amount of tax each
month; the change is written to the register with an access record and told to the person like any change of
details (a notice that says nothing of the tax), bad input gets a polite reason in the page's
language and nothing typed is lost; a person without a pension paid is told no tax is withheld.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from backoffice.notices.models import Notice
from backoffice.notices.texts import notice_text
from backoffice.register.models import ContactDetails, TaxSettings
from minasidor.audit.models import AccessRecord
from minasidor.details.services import TAX_CHANGED
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

BENGT = "195801082743"  # a pensioner
JOHAN = "198501139995"  # 41, no pension paid yet
TAX = "/mina-sidor/uppgifter/skatt/"


def _client(number: str = BENGT) -> Client:
    client = Client()
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _settings(number: str = BENGT) -> TaxSettings:
    return TaxSettings.objects.get(person__personal_number=number)


def test_the_overview_links_to_the_tax_page() -> None:
    assert 'href="/mina-sidor/uppgifter/skatt/"' in _text(_client().get("/mina-sidor/uppgifter/"))


def test_a_pensioner_chooses_extra_tax_and_then_the_table_again() -> None:
    client = _client()
    adjusted_before = _settings().adjusted_percent
    assert "Skatt på din pension" in _text(client.get(TAX))
    response = client.post(TAX, {"withholding": "extra", "extra_per_month": "750"})
    assert response.status_code == 302
    assert _settings().extra_withholding == Decimal(750)
    assert _settings().adjusted_percent == adjusted_before, "a decision on adjusted tax is Skatteverket's to change"
    overview = _text(client.get(response["Location"]))
    assert "750" in overview
    assert "Ditt skatteavdrag är sparat" in overview
    assert 'value="750"' in _text(client.get(TAX)), "the page shows what is registered"
    assert client.post(TAX, {"withholding": "table", "extra_per_month": "750"}).status_code == 302
    assert _settings().extra_withholding == Decimal(0)
    assert _settings().adjustment_reference == ""
    assert AccessRecord.objects.filter(action=TAX_CHANGED.name).count() == 2


def test_a_change_of_tax_is_told_at_every_contact_point_and_the_notice_names_no_amount() -> None:
    ContactDetails.objects.filter(person__personal_number=BENGT).update(
        email="bengt@example.se", email_confirmed=True, phone="070-111 22 33"
    )
    client = _client()
    client.post(TAX, {"withholding": "extra", "extra_per_month": "1234"})
    notices = list(Notice.objects.filter(person__personal_number=BENGT))
    assert sorted((n.kind, n.channel, n.address) for n in notices) == [
        ("details_changed", "email", "bengt@example.se"),
        ("details_changed", "sms", "070-111 22 33"),
    ]
    for notice in notices:
        text = notice_text(notice.kind, notice.language)
        said = f"{text.subject} {text.body} {text.sms}"
        assert "1234" not in said.replace(" ", "")
        assert "skatt" not in said.lower()
        assert "tax" not in said.lower()
    client.post(TAX, {"withholding": "extra", "extra_per_month": "1234"})
    assert Notice.objects.filter(person__personal_number=BENGT).count() == 2, "the same choice again tells nothing"


@pytest.mark.parametrize(
    ("prefix", "answers", "reason"),
    [
        ("", {"withholding": "extra", "extra_per_month": "7 5x"}, "Ange ett helt antal kronor"),
        ("/en", {"withholding": "extra", "extra_per_month": "7 5x"}, "Enter a whole number of kronor"),
        ("/en", {"withholding": "extra", "extra_per_month": ""}, "Enter how many kronor of extra tax"),
        ("", {"withholding": "extra", "extra_per_month": "250000"}, "högst 100"),
        ("/en", {"extra_per_month": "300"}, "Choose how much tax you want withheld"),
    ],
)
def test_bad_input_is_explained_politely_and_what_was_typed_is_kept(
    prefix: str, answers: dict[str, str], reason: str
) -> None:
    before = _settings().extra_withholding
    response = _client().post(prefix + TAX, answers)
    assert response.status_code == 200
    page = _text(response)
    assert reason in page
    if answers.get("extra_per_month"):
        assert f'value="{answers["extra_per_month"]}"' in page
    assert _settings().extra_withholding == before
    assert not AccessRecord.objects.filter(action=TAX_CHANGED.name).exists()


def test_the_reference_of_a_decision_on_adjusted_tax_is_saved_and_shown() -> None:
    client = _client()
    answers = {"withholding": "table", "extra_per_month": "", "adjustment_reference": " J-2026/1234 "}
    assert client.post(TAX, answers).status_code == 302
    assert _settings().adjustment_reference == "J-2026/1234"
    assert "J-2026/1234" in _text(client.get("/en/mina-sidor/uppgifter/"))
    assert 'value="J-2026/1234"' in _text(client.get(TAX))


@pytest.mark.parametrize(("prefix", "reason"), [("", "Skriv referensen"), ("/en", "Enter the reference")])
def test_a_reference_in_the_wrong_form_is_explained_and_kept(prefix: str, reason: str) -> None:
    answers = {"withholding": "extra", "extra_per_month": "200", "adjustment_reference": "<J 1>"}
    response = _client().post(prefix + TAX, answers)
    assert response.status_code == 200
    page = _text(response)
    assert reason in page
    assert 'value="&lt;J 1&gt;"' in page
    assert 'value="200"' in page
    assert _settings().adjustment_reference == ""


def test_a_back_office_that_does_not_answer_keeps_the_answer_and_changes_nothing() -> None:
    client = _client()
    before = _settings().extra_withholding
    with mock.patch.object(type(registers()), "tax_settings_update", side_effect=RegistersUnavailableError("down")):
        response = client.post("/en" + TAX, {"withholding": "extra", "extra_per_month": "300"})
    assert response.status_code == 503
    page = _text(response)
    assert "Nothing was changed" in page
    assert 'value="300"' in page
    assert _settings().extra_withholding == before
    assert not AccessRecord.objects.filter(action=TAX_CHANGED.name).exists()


def test_a_person_without_a_pension_is_told_no_tax_is_withheld_and_cannot_change_it() -> None:
    client = _client(JOHAN)
    page = _text(client.get("/en" + TAX))
    assert "no tax is withheld" in page
    assert 'id="tax-form"' not in page
    assert client.post(TAX, {"withholding": "extra", "extra_per_month": "300"}).status_code == 200
    assert not TaxSettings.objects.filter(person__personal_number=JOHAN).exists()
    assert not AccessRecord.objects.filter(action=TAX_CHANGED.name).exists()
