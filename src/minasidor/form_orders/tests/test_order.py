"""Requirement (issue 20.3, decision 0203): the citizen orders the same paper forms on Mina sidor as by phone —
one question, both languages, the back office keeps the order (channel web) once while it waits, the access log
names the form, nothing to order without a Swedish number, a refused choice is told politely.
"""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.paper_forms.models import FormOrder
from minasidor.audit.models import AccessRecord
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"
PAGE = "/mina-sidor/blanketter/"


def test_the_citizen_orders_a_form_once_and_the_log_names_it(client: Client) -> None:
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page = client.get(PAGE).content.decode()
    assert "Vilken blankett vill du ha med posten?" in page
    assert "Ansökan om bostadstillägg" in page
    response = client.post(PAGE, {"form": "housing_supplement"})
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert "Vi skickar blanketten ”Ansökan om bostadstillägg” med posten till din registrerade adress" in receipt
    again = client.post(PAGE, {"form": "housing_supplement"})
    assert "/pa-vag/" in again["Location"]
    (order,) = FormOrder.objects.filter(person__personal_number=JOHAN)
    assert (order.form_code, order.channel, order.state) == ("housing_supplement", "web", "waiting")
    log = client.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "Beställde blanketten ”Ansökan om bostadstillägg” per post" in log
    assert AccessRecord.objects.filter(action="form_orders.ordered.housing_supplement").count() == 2


def test_in_english_and_a_missing_choice_is_told(client: Client) -> None:
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    page = client.post(f"/en{PAGE}", {"form": "no_such_form"}).content.decode()
    assert "Which form do you want by post?" in page
    assert "Choose a form" in page
    assert "Power of attorney" in page
    assert not FormOrder.objects.exists()
    assert client.get(f"/en{PAGE}bestalld/?blankett=no_such_form")["Location"].endswith(PAGE)


def test_without_a_swedish_number_there_is_nothing_to_order(client: Client) -> None:
    log_in(client, make_foreign_identity())
    body = client.get(PAGE).content.decode()
    assert 'id="no-swedish-number"' in body
    assert 'id="order-form"' not in body
    assert client.post(PAGE, {"form": "housing_supplement"}).status_code == 200
    assert not FormOrder.objects.exists()
