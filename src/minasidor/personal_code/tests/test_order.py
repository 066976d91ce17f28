"""Requirement (issue 20): a citizen orders a new personal code by post on Mina sidor — the old code stops
working, the new one goes to the next print file, the page never shows a code, the order is in "who has seen my
data", and a person without a Swedish number is told to call instead.
"""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.personal_codes import printing
from backoffice.personal_codes.codes import code_derive
from backoffice.personal_codes.models import PersonalCode
from minasidor.audit.models import AccessRecord
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"


def test_the_page_explains_the_code_and_never_shows_it(client: Client) -> None:
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    body = client.get("/mina-sidor/personlig-kod/").content.decode()
    assert "0771-776 776" in body
    assert 'id="order-form"' in body
    assert code_derive(JOHAN, "statement-2025") not in body
    english = client.get("/en/mina-sidor/personlig-kod/").content.decode()
    assert "Order a new code by post" in english


def test_ordering_voids_the_old_code_and_prints_the_new_one(client: Client) -> None:
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    response = client.post("/mina-sidor/personlig-kod/")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/personlig-kod/bestalld/"
    receipt = client.get(response["Location"]).content.decode()
    assert "Din gamla kod fungerar inte längre." in receipt
    again = client.post("/mina-sidor/personlig-kod/")
    assert again["Location"] == "/mina-sidor/personlig-kod/pa-vag/"
    codes = PersonalCode.objects.filter(person__personal_number=JOHAN)
    in_force = codes.get(voided_at=None)
    assert in_force.issue.startswith("order-")
    assert codes.get(issue="statement-2025").voided_at is not None
    path = printing.code_letters_print()
    assert path is not None
    assert code_derive(JOHAN, in_force.issue) in path.read_text(encoding="utf-8")
    assert code_derive(JOHAN, in_force.issue) not in receipt
    assert AccessRecord.objects.filter(action="personal_code.ordered").count() == 2
    log = client.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "Beställde en ny personlig kod per post" in log


def test_without_a_swedish_number_there_is_nothing_to_order(client: Client) -> None:
    log_in(client, make_foreign_identity())
    body = client.get("/mina-sidor/personlig-kod/").content.decode()
    assert 'id="no-swedish-number"' in body
    assert 'id="order-form"' not in body
    assert client.post("/mina-sidor/personlig-kod/").status_code == 200
    assert not AccessRecord.objects.filter(action="personal_code.ordered").exists()
