"""Requirement: one contract, two implementations — in-process and HTTP registers read and write the same.

Every test here runs once against each implementation (the ``registers`` fixture). It checks the person
snapshot the portal needs at login, the three writes later issues need, the refusals, and that the back
office records each call with the principal it was made for.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.register.models import Person, RegisterAccessRecord
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers.types import (
    ContactDetailsChange,
    InvalidChangeError,
    PaymentAccountChange,
    PersonNotFoundError,
    PostalAddress,
    Registers,
    TaxSettingsChange,
)

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")  # 64, about to retire
BENGT = PersonalNumber("195801082743")  # a pensioner who still works
AMIR = PersonalNumber("195901022995")  # guarantee pension
LENA = PersonalNumber("198001139297")  # Min Pension user
UNKNOWN = PersonalNumber("189001019802")


def citizen(number: PersonalNumber) -> Principal:
    return citizen_principal(f"se:{number.value}")


def test_snapshot_of_a_saver_has_person_latest_statement_history_and_funds(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(KARIN), KARIN)
    assert snapshot.person.personal_number == KARIN
    assert (snapshot.person.given_name, snapshot.person.family_name) == ("Karin", "Lindqvist")
    assert snapshot.person.birth_date == KARIN.birth_date
    assert not snapshot.person.drawing_pension
    statement = snapshot.latest_statement
    assert statement is not None
    assert statement.year == 2025
    assert statement.income_pension is not None
    assert statement.premium_pension is not None
    ip = statement.income_pension
    assert ip.opening_value + ip.new_rights + ip.inheritance_gains + ip.value_change + ip.fees == pytest.approx(
        ip.closing_value, abs=Decimal("0.05")
    )
    assert ip.fees < 0 < ip.new_rights
    assert {a.year for a in snapshot.accounts} == set(range(2016, 2026))
    assert sum(h.value for h in snapshot.fund_holdings) == pytest.approx(
        statement.premium_pension.closing_value, abs=Decimal("0.02")
    )
    assert snapshot.payments == ()
    assert snapshot.decisions == ()
    assert snapshot.customer_records.contact_details.city == "Sundsvall"


def test_snapshot_has_the_decided_income_history_in_year_order(registers: Registers) -> None:
    incomes = registers.person_snapshot(citizen(KARIN), KARIN).incomes
    years = [row.year for row in incomes]
    assert years == sorted(years)
    assert years[-1] == 2025
    assert all(row.income >= 0 and row.pensionable_income <= row.income for row in incomes)
    assert any(row.income_pension_right > 0 for row in incomes)


def test_snapshot_of_a_pensioner_has_decisions_and_twelve_payments_and_the_next(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(AMIR), AMIR)
    assert snapshot.person.drawing_pension
    assert "guarantee_pension" in {d.benefit for d in snapshot.decisions}
    paid = [p for p in snapshot.payments if p.paid]
    upcoming = [p for p in snapshot.payments if not p.paid]
    assert len(paid) == 12
    assert len(upcoming) == 1
    assert all(p.gross - p.tax == p.net for p in snapshot.payments)
    assert snapshot.customer_records.tax_settings is not None
    assert snapshot.customer_records.payment_account is not None


@pytest.mark.parametrize("number", [AMIR, BENGT])
def test_every_payment_is_the_sum_of_the_parts_in_force_on_its_day(
    registers: Registers, number: PersonalNumber
) -> None:
    snapshot = registers.person_snapshot(citizen(number), number)
    assert len({d.payable_from for d in snapshot.decisions}) > 1, "granted, then recalculated each January"
    for payment in snapshot.payments:
        parts = snapshot.decisions_in_force(payment.payment_date)
        assert sum(part.monthly_amount for part in parts) == payment.gross, payment.payment_date


def test_a_pensioner_who_still_works_has_a_statement_with_the_pension_paid_out(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(BENGT), BENGT)
    assert snapshot.person.drawing_pension
    assert snapshot.person.still_working
    statement = snapshot.latest_statement
    assert statement is not None
    assert statement.year == 2025
    for account in (statement.income_pension, statement.premium_pension):
        assert account is not None
        assert account.paid_out < 0 < account.new_rights
        items = (
            account.opening_value + account.new_rights + account.inheritance_gains + account.value_change + account.fees
        )
        assert items + account.paid_out == pytest.approx(account.closing_value, abs=Decimal("0.05"))
    before_withdrawal = [a for a in snapshot.accounts if a.year < 2023]
    assert before_withdrawal
    assert all(a.paid_out == 0 for a in before_withdrawal)


def test_special_postal_address_is_part_of_the_customer_records(registers: Registers) -> None:
    details = registers.person_snapshot(citizen(BENGT), BENGT).customer_records.contact_details
    assert details.special_postal_address == PostalAddress("Calle del Sol 12", "29600", "Marbella", "Spanien")


def test_min_pension_registration_is_known(registers: Registers) -> None:
    assert registers.person_snapshot(citizen(LENA), LENA).person.min_pension_user
    assert not registers.person_snapshot(citizen(KARIN), KARIN).person.min_pension_user


def test_protected_identity_hides_the_address(registers: Registers) -> None:
    Person.objects.filter(personal_number=KARIN.value).update(protected_identity=True)
    details = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert details.address_protected
    assert (details.street_address, details.postal_code, details.city) == ("", "", "")


def test_unknown_person_is_not_found(registers: Registers) -> None:
    with pytest.raises(PersonNotFoundError):
        registers.person_snapshot(citizen(UNKNOWN), UNKNOWN)
    with pytest.raises(PersonNotFoundError):
        registers.tax_settings_update(citizen(UNKNOWN), UNKNOWN, TaxSettingsChange(Decimal(0), None))


def test_contact_details_change_is_stored_and_read_back(registers: Registers) -> None:
    change = ContactDetailsChange(
        email="karin@example.se",
        phone="+46 70 123 45 67",
        special_postal_address=PostalAddress("Box 1", "11122", "Stockholm"),
    )
    result = registers.contact_details_update(citizen(KARIN), KARIN, change)
    assert result.email == "karin@example.se"
    assert result.special_postal_address == PostalAddress("Box 1", "11122", "Stockholm", "")
    again = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert again == result
    cleared = registers.contact_details_update(citizen(KARIN), KARIN, ContactDetailsChange("", "", None))
    assert cleared.special_postal_address is None
    assert cleared.email == ""


def test_payment_account_change_is_stored(registers: Registers) -> None:
    result = registers.payment_account_update(
        citizen(KARIN), KARIN, PaymentAccountChange("Swedbank", "8327-9", "123 456 789-0")
    )
    assert (result.bank_name, result.clearing_number, result.account_number) == ("Swedbank", "83279", "1234567890")
    assert registers.person_snapshot(citizen(KARIN), KARIN).customer_records.payment_account == result


def test_tax_settings_change_is_stored(registers: Registers) -> None:
    result = registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal("500.50"), Decimal("25")))
    assert (result.extra_withholding, result.adjusted_percent) == (Decimal("500.50"), Decimal("25.00"))
    assert registers.person_snapshot(citizen(AMIR), AMIR).customer_records.tax_settings == result


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (ContactDetailsChange("not-an-address", "", None), "email"),
        (ContactDetailsChange("", "call me", None), "phone"),
        (
            ContactDetailsChange("", "", PostalAddress("", "11122", "Stockholm")),
            "special_postal_address.street_address",
        ),
        (PaymentAccountChange("Bank", "12", "1234567"), "clearing_number"),
        (PaymentAccountChange("Bank", "1234", "12ab567"), "account_number"),
        (TaxSettingsChange(Decimal("-1"), None), "extra_withholding"),
        (TaxSettingsChange(Decimal("1.234"), None), "extra_withholding"),
        (TaxSettingsChange(Decimal("0"), Decimal("101")), "adjusted_percent"),
    ],
)
def test_invalid_changes_are_refused_field_by_field(registers: Registers, change: object, field: str) -> None:
    write = {
        ContactDetailsChange: registers.contact_details_update,
        PaymentAccountChange: registers.payment_account_update,
        TaxSettingsChange: registers.tax_settings_update,
    }[type(change)]
    with pytest.raises(InvalidChangeError) as refused:
        write(citizen(KARIN), KARIN, change)  # type: ignore[operator]
    assert field in refused.value.errors


def test_the_back_office_records_every_call_with_its_principal(registers: Registers) -> None:
    agent = Principal(kind=PrincipalKind.AGENT, ref="staff-4711")
    before = RegisterAccessRecord.objects.count()
    registers.person_snapshot(agent, KARIN)
    registers.tax_settings_update(citizen(KARIN), KARIN, TaxSettingsChange(Decimal(100), None))
    records = list(RegisterAccessRecord.objects.order_by("id"))[before:]
    assert [(r.action, r.principal_kind, r.principal_ref, r.personal_number) for r in records] == [
        ("snapshot.read", "agent", "staff-4711", KARIN.value),
        ("tax_settings.update", "citizen", citizen(KARIN).ref, KARIN.value),
    ]
    assert {r.channel for r in records} == {"http" if type(registers).__name__ == "HttpRegisters" else "in_process"}
    assert all(r.service == "portal" for r in records)
