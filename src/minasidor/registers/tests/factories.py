"""Snapshots built in tests, for pages that need the register's answer without the back office."""

from __future__ import annotations

from decimal import Decimal

from kernel.personal_number import PersonalNumber
from minasidor.registers.types import (
    AccountYear,
    ContactDetails,
    CustomerRecords,
    IncomeYear,
    PersonRecord,
    PersonSnapshot,
    Statement,
)


def person_record(
    number: str,
    *,
    drawing_pension: bool = False,
    still_working: bool = True,
    given_name: str = "Test",
    family_name: str = "Person",
) -> PersonRecord:
    """The register's person for ``number``: born on the number's date, unmarried, 40 years in Sweden."""
    personal_number = PersonalNumber(number)
    return PersonRecord(
        personal_number=personal_number,
        given_name=given_name,
        family_name=family_name,
        birth_date=personal_number.birth_date,
        civil_status="unmarried",
        residence_years=Decimal(40),
        drawing_pension=drawing_pension,
        still_working=still_working,
        protected_identity=False,
        date_of_death=None,
        min_pension_user=False,
    )


def customer_records() -> CustomerRecords:
    """A registered address and nothing else: no e-mail, phone, payment account or tax settings."""
    contact = ContactDetails(
        address_protected=False,
        street_address="Testgatan 1",
        postal_code="111 11",
        city="Stockholm",
        special_postal_address=None,
        email="",
        phone="",
    )
    return CustomerRecords(contact_details=contact, payment_account=None, tax_settings=None)


def make_snapshot(
    number: str,
    *,
    drawing_pension: bool = False,
    still_working: bool = True,
    yearly_income: int = 400_000,
    given_name: str = "Test",
    family_name: str = "Person",
) -> PersonSnapshot:
    """A saver with a steady income from age 22 to last year, and a statement for last year."""
    person = person_record(
        number,
        drawing_pension=drawing_pension,
        still_working=still_working,
        given_name=given_name,
        family_name=family_name,
    )
    born = person.birth_date
    incomes = tuple(
        IncomeYear(
            year=year,
            income=Decimal(yearly_income),
            pensionable_income=Decimal(yearly_income) * Decimal("0.93"),
            child_year_credit=Decimal(0),
            study_credit=Decimal(0),
            military_service_credit=Decimal(0),
            income_pension_right=Decimal(yearly_income) * Decimal("0.1488"),
            premium_pension_right=Decimal(yearly_income) * Decimal("0.02325"),
        )
        for year in range(max(born.year + 22, 1960), 2026)
    )
    income_pension = AccountYear(
        year=2025,
        account="income_pension",
        opening_value=Decimal("1000000.00"),
        new_rights=Decimal("59520.00"),
        inheritance_gains=Decimal("1200.00"),
        value_change=Decimal("50000.00"),
        fees=Decimal("-600.00"),
        closing_value=Decimal("1110120.00"),
    )
    premium_pension = AccountYear(
        year=2025,
        account="premium_pension",
        opening_value=Decimal("200000.00"),
        new_rights=Decimal("9300.00"),
        inheritance_gains=Decimal("300.00"),
        value_change=Decimal("15000.00"),
        fees=Decimal("-250.00"),
        closing_value=Decimal("224350.00"),
    )
    return PersonSnapshot(
        person=person,
        incomes=incomes,
        latest_statement=Statement(year=2025, income_pension=income_pension, premium_pension=premium_pension),
        accounts=(income_pension, premium_pension),
        fund_holdings=(),
        decisions=(),
        payments=(),
        customer_records=customer_records(),
    )
