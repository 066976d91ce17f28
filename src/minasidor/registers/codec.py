"""One reading of the back office's data shape for both implementations (Python values or their JSON form)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kernel.personal_number import PersonalNumber
from minasidor.registers.types import (
    AccountYear,
    ContactDetails,
    ContactDetailsChange,
    CustomerRecords,
    FundHolding,
    IncomeYear,
    Payment,
    PaymentAccount,
    PaymentAccountChange,
    PensionDecision,
    PersonRecord,
    PersonSnapshot,
    PostalAddress,
    Statement,
    TaxSettings,
    TaxSettingsChange,
)

Data = Mapping[str, Any]


def _money(value: Any) -> Decimal:
    """Decimal from a Decimal, or from a JSON number or string, kept to two decimals."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def account_year(data: Data) -> AccountYear:
    """An account year from data."""
    return AccountYear(
        year=int(data["year"]),
        account=str(data["account"]),
        **{
            name: _money(data[name])
            for name in ("opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "closing_value")
        },
        paid_out=_money(data.get("paid_out", 0)),  # a back office from before payouts sends none
    )


def contact_details(data: Data) -> ContactDetails:
    """Contact details from data."""
    special = data.get("special_postal_address")
    return ContactDetails(
        address_protected=bool(data["address_protected"]),
        street_address=data["street_address"],
        postal_code=data["postal_code"],
        city=data["city"],
        special_postal_address=None if special is None else PostalAddress(**special),
        email=data["email"],
        phone=data["phone"],
    )


def payment_account(data: Data) -> PaymentAccount:
    """A payment account from data."""
    return PaymentAccount(
        bank_name=data["bank_name"], clearing_number=data["clearing_number"], account_number=data["account_number"]
    )


def tax_settings(data: Data) -> TaxSettings:
    """Tax settings from data."""
    adjusted = data.get("adjusted_percent")
    return TaxSettings(
        municipal_tax_rate=_money(data["municipal_tax_rate"]),
        tax_table=int(data["tax_table"]),
        extra_withholding=_money(data["extra_withholding"]),
        adjusted_percent=None if adjusted is None else _money(adjusted),
    )


def person_snapshot(data: Data) -> PersonSnapshot:
    """The person snapshot from the back office's data."""
    person = data["person"]
    accounts = tuple(account_year(row) for row in data["accounts"])
    latest_year = data.get("latest_statement_year")
    latest = None
    if latest_year is not None:
        of_year = {a.account: a for a in accounts if a.year == latest_year}
        latest = Statement(
            year=int(latest_year),
            income_pension=of_year.get("income_pension"),
            premium_pension=of_year.get("premium_pension"),
        )
    records = data["customer_records"]
    return PersonSnapshot(
        person=PersonRecord(
            personal_number=PersonalNumber(person["personal_number"]),
            given_name=person["given_name"],
            family_name=person["family_name"],
            birth_date=_date(person["birth_date"]),
            civil_status=person["civil_status"],
            residence_years=_money(person["residence_years"]),
            drawing_pension=bool(person["drawing_pension"]),
            still_working=bool(person["still_working"]),
            protected_identity=bool(person["protected_identity"]),
            date_of_death=_optional_date(person.get("date_of_death")),
            min_pension_user=bool(person["min_pension_user"]),
        ),
        incomes=tuple(
            IncomeYear(
                year=int(row["year"]),
                **{
                    name: _money(row[name])
                    for name in ("income", "pensionable_income", "income_pension_right", "premium_pension_right")
                },
            )
            for row in data["incomes"]
        ),
        latest_statement=latest,
        accounts=accounts,
        fund_holdings=tuple(
            FundHolding(
                fund_id=h["fund_id"],
                fund_name=h["fund_name"],
                units=_money(h["units"]),
                unit_price=_money(h["unit_price"]),
                value=_money(h["value"]),
                fee_percent=_money(h["fee_percent"]),
                valued_on=_date(h["valued_on"]),
            )
            for h in data["fund_holdings"]
        ),
        decisions=tuple(
            PensionDecision(
                benefit=d["benefit"],
                decided_on=_date(d["decided_on"]),
                payable_from=_date(d["payable_from"]),
                withdrawal_share=int(d["withdrawal_share"]),
                monthly_amount=_money(d["monthly_amount"]),
            )
            for d in data["decisions"]
        ),
        payments=tuple(
            Payment(
                payment_date=_date(p["payment_date"]),
                gross=_money(p["gross"]),
                tax=_money(p["tax"]),
                net=_money(p["net"]),
                paid=bool(p["paid"]),
            )
            for p in data["payments"]
        ),
        customer_records=CustomerRecords(
            contact_details=contact_details(records["contact_details"]),
            payment_account=None if records["payment_account"] is None else payment_account(records["payment_account"]),
            tax_settings=None if records["tax_settings"] is None else tax_settings(records["tax_settings"]),
        ),
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def change_data(change: ContactDetailsChange | PaymentAccountChange | TaxSettingsChange) -> dict[str, Any]:
    """A change as the back office takes it (JSON-ready: money as decimal strings)."""
    data = dataclasses.asdict(change)
    return {key: _json_value(value) for key, value in data.items()}
