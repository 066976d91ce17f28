"""Requirement (issue 20.3, decisions 0200-0201): paper forms through the doorway, the same by both
implementations — the catalogue with its codes and titles (the portal's titles are the catalogue's, in Swedish
and English); an order is kept once while it waits for print and goes into the next print file; an unknown form
or person is refused; the back office records each order with the principal it was made for.
"""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from backoffice.paper_forms import printing
from backoffice.paper_forms.models import FormOrder
from backoffice.register.models import RegisterAccessRecord
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.registers.types import (
    FormOrderChannel,
    FormOrderReceipt,
    InvalidChangeError,
    PaperFormCode,
    PersonNotFoundError,
    Registers,
)

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")
UNKNOWN = PersonalNumber("189001019802")


def test_the_catalogue_is_the_back_offices_and_the_portal_knows_its_titles(registers: Registers) -> None:
    catalogue = registers.form_catalogue(citizen_principal(f"se:{KARIN.value}"))
    assert [form.code for form in catalogue] == list(PaperFormCode.values)
    payment_account = next(form for form in catalogue if form.code == PaperFormCode.PAYMENT_ACCOUNT)
    assert payment_account.number == "PM8612"
    assert payment_account.title("sv") == "Uppgift om kontonummer"
    for form in catalogue:
        for language in ("sv", "en"):
            with translation.override(language):
                assert str(PaperFormCode(form.code).label) == form.title(language), (form.code, language)


def test_an_order_is_kept_once_and_goes_into_the_next_print_file(registers: Registers) -> None:
    citizen = citizen_principal(f"se:{KARIN.value}")
    phone = FormOrderChannel.PHONE
    assert registers.form_order(citizen, KARIN, "housing_supplement", phone) == FormOrderReceipt(
        "housing_supplement", ordered=True
    )
    assert registers.form_order(citizen, KARIN, "housing_supplement", FormOrderChannel.WEB).ordered is False
    (order,) = FormOrder.objects.filter(person__personal_number=KARIN.value)
    assert (order.form_code, order.channel, order.state) == ("housing_supplement", "phone", "waiting")
    records = RegisterAccessRecord.objects.filter(personal_number=KARIN.value, action="paper_form.ordered")
    assert set(records.values_list("principal_kind", "principal_ref")) == {("citizen", citizen.ref)}
    assert records.count() == 2
    (path,) = printing.form_letters_print()
    (letter,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][1:-1]
    assert letter["personal_number"] == KARIN.value
    assert [form["code"] for form in letter["forms"]] == ["housing_supplement"]


def test_an_unknown_form_or_person_is_refused(registers: Registers) -> None:
    citizen = citizen_principal(f"se:{KARIN.value}")
    with pytest.raises(InvalidChangeError) as refused:
        registers.form_order(citizen, KARIN, "no_such_form", FormOrderChannel.PHONE)
    assert "form" in refused.value.errors
    with pytest.raises(PersonNotFoundError):
        registers.form_order(citizen, UNKNOWN, "housing_supplement", FormOrderChannel.PHONE)
    assert not FormOrder.objects.exists()
