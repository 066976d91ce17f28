"""Requirement: `make run` creates the demo persons (test numbers only), idempotently, in the back office's database,
and the pensioner who still works gets statements showing the pension paid out (decision 0075)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from backoffice.register.models import AccountStatement, PensionPayment, Person
from backoffice.synthetic.demo import DEMO_PERSONS
from kernel.personal_number import PersonalNumber

pytestmark = pytest.mark.django_db(databases=["backoffice"])


def test_seed_demo_creates_each_person_once_and_prints_them() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())
    assert Person.objects.using("backoffice").count() == len(DEMO_PERSONS)
    printed = out.getvalue()
    for demo in DEMO_PERSONS:
        number = PersonalNumber(demo.personal_number)
        assert number.formatted() in printed
        stored = Person.objects.get(personal_number=demo.personal_number)
        assert stored.birth_date == number.birth_date


def test_demo_persons_are_offered_to_the_bankid_test_server(tmp_path: Path) -> None:
    target = tmp_path / "bankid" / "persons.json"
    call_command("seed_demo", "--bankid-persons", str(target), stdout=io.StringIO())
    entries = json.loads(target.read_text())
    assert [entry["personalNumber"] for entry in entries] == [demo.personal_number for demo in DEMO_PERSONS]
    assert entries[0]["givenName"] == DEMO_PERSONS[0].given_name


def test_demo_stories_cover_what_the_portal_must_show() -> None:
    stories = " ".join(demo.story for demo in DEMO_PERSONS)
    for needed in (
        "about to retire",
        "parent",
        "pensioner who still works",
        "guarantee pension",
        "registered Min Pension user",
        "not a Min Pension user",
    ):
        assert needed in stories


def test_the_pensioner_who_still_works_has_statements_with_what_was_paid_out() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    bengt = Person.objects.get(personal_number="195801082743")
    statements = AccountStatement.objects.filter(person=bengt)
    assert set(statements.values_list("year", flat=True)) == set(range(2016, 2026))
    assert not statements.filter(year__lt=2023).exclude(paid_out=0).exists()  # he began to draw in 2023
    paid = statements.filter(year__gte=2023)
    assert paid.count() == 6
    assert not paid.filter(paid_out__gte=0).exists()
    assert not paid.filter(new_rights__lte=0).exists()
    income_pension = paid.get(year=2025, account="income_pension")
    monthly = PensionPayment.objects.filter(person=bengt, payment_date__year=2025).first()
    assert monthly is not None
    assert -income_pension.paid_out < 12 * monthly.gross  # the income pension is part of each payment
