"""Reads through the registers boundary: the person snapshot the portal fetches at every login.

Data comes back as plain values (str, int, bool, Decimal, date, lists, dicts) in the shape the internal
API sends as JSON, so both implementations of the portal's ``registers`` read one shape. Every read names
its :class:`~backoffice.register.access.Caller` and writes the back office's access record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.models import (
    AccountStatement,
    ContactDetails,
    FundHolding,
    PaymentAccount,
    PensionableIncome,
    PensionDecision,
    PensionPayment,
    Person,
    TaxSettings,
)
from kernel import clock

ALIAS = "backoffice"
Data = dict[str, Any]
PAST_PAYMENTS_SHOWN = 12


class PersonNotFoundError(LookupError):
    """No person with that number in the register."""


def person_get(personal_number: str) -> Person:
    try:
        return Person.objects.get(personal_number=personal_number)
    except Person.DoesNotExist:
        raise PersonNotFoundError("no such person in the register") from None


def _person_data(person: Person) -> Data:
    return {
        "personal_number": person.personal_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date,
        "civil_status": person.civil_status,
        "residence_years": person.residence_years,
        "drawing_pension": person.drawing_pension,
        "still_working": person.still_working,
        "protected_identity": person.protected_identity,
        "date_of_death": person.date_of_death,
        "min_pension_user": person.min_pension_user,
    }


def _account_data(row: AccountStatement) -> Data:
    return {
        "year": row.year,
        "account": row.account,
        "opening_value": row.opening_value,
        "new_rights": row.new_rights,
        "inheritance_gains": row.inheritance_gains,
        "value_change": row.value_change,
        "fees": row.fees,
        "paid_out": row.paid_out,
        "closing_value": row.closing_value,
    }


def contact_details_data(person: Person, details: ContactDetails | None) -> Data:
    """The contact details as sent; for a protected identity no address is disclosed."""
    if details is None:
        details = ContactDetails(person=person)
    protected = person.protected_identity
    special = None
    if details.special_street_address and not protected:
        special = {
            "street_address": details.special_street_address,
            "postal_code": details.special_postal_code,
            "city": details.special_city,
            "country": details.special_country,
        }
    return {
        "address_protected": protected,
        "street_address": "" if protected else details.street_address,
        "postal_code": "" if protected else details.postal_code,
        "city": "" if protected else details.city,
        "special_postal_address": special,
        "email": details.email,
        "phone": details.phone,
        "email_confirmed": details.email_confirmed,
        "pending_email": details.pending_email,
        "notice_choice": details.notice_choice,
        "language": details.language,
    }


def payment_account_data(account: PaymentAccount | None) -> Data | None:
    """The payment account as sent (None when none is registered)."""
    if account is None:
        return None
    return {
        "bank_name": account.bank_name,
        "clearing_number": account.clearing_number,
        "account_number": account.account_number,
    }


def tax_settings_data(settings: TaxSettings | None) -> Data | None:
    """The tax withholding settings as sent (None when none are registered)."""
    if settings is None:
        return None
    return {
        "municipal_tax_rate": settings.municipal_tax_rate,
        "tax_table": settings.tax_table,
        "extra_withholding": settings.extra_withholding,
        "adjusted_percent": settings.adjusted_percent,
        "adjustment_reference": settings.adjustment_reference,
    }


def optional_record(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except (ContactDetails.DoesNotExist, PaymentAccount.DoesNotExist, TaxSettings.DoesNotExist):
        return None


def _customer_records(person: Person) -> Data:
    return {
        "contact_details": contact_details_data(person, optional_record(person, "contact_details")),
        "payment_account": payment_account_data(optional_record(person, "payment_account")),
        "tax_settings": tax_settings_data(optional_record(person, "tax_settings")),
    }


@transaction.atomic(using=ALIAS)
def customer_records(*, caller: Caller, personal_number: str) -> Data:
    """The person's contact details, payment account and tax settings (My details), recorded as read."""
    person = (
        Person.objects.select_related("contact_details", "payment_account", "tax_settings")
        .filter(personal_number=personal_number)
        .first()
    )
    if person is None:
        raise PersonNotFoundError("no such person in the register")
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="customer_records.read")
    return _customer_records(person)


@transaction.atomic(using=ALIAS)
def person_snapshot(*, caller: Caller, personal_number: str) -> Data:
    """Everything the portal shows after login, read in one transaction, and recorded as read."""
    person = person_get(personal_number)
    accounts = [
        _account_data(row) for row in AccountStatement.objects.filter(person=person).order_by("year", "account")
    ]
    latest_year = max((row["year"] for row in accounts), default=None)
    today = clock.today()
    payments = list(PensionPayment.objects.filter(person=person).order_by("payment_date"))
    past = [p for p in payments if p.payment_date <= today][-PAST_PAYMENTS_SHOWN:]
    upcoming = [p for p in payments if p.payment_date > today][:1]
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="snapshot.read")
    return {
        "person": _person_data(person),
        "incomes": [
            {
                "year": row.income_year,
                "income": row.income,
                "pensionable_income": row.pensionable_income,
                "child_year_credit": row.child_year_credit,
                "study_credit": row.study_credit,
                "military_service_credit": row.military_service_credit,
                "income_pension_right": row.income_pension_right,
                "premium_pension_right": row.premium_pension_right,
            }
            for row in PensionableIncome.objects.filter(person=person).order_by("income_year")
        ],
        "latest_statement_year": latest_year,
        "accounts": accounts,
        "fund_holdings": [
            {
                "fund_id": h.fund_id,
                "fund_name": h.fund_name,
                "units": h.units,
                "unit_price": h.unit_price,
                "value": h.value,
                "fee_percent": h.fee_percent,
                "valued_on": h.valued_on,
            }
            for h in FundHolding.objects.filter(person=person).order_by("fund_id")
        ],
        "decisions": [
            {
                "benefit": d.benefit,
                "decided_on": d.decided_on,
                "payable_from": d.payable_from,
                "withdrawal_share": d.withdrawal_share,
                "monthly_amount": d.monthly_amount,
            }
            for d in PensionDecision.objects.filter(person=person).order_by("benefit", "payable_from")
        ],
        "payments": [
            {
                "payment_date": p.payment_date,
                "gross": p.gross,
                "tax": p.tax,
                "net": p.net,
                "paid": p.payment_date <= today,
            }
            for p in past + upcoming
        ],
        "customer_records": _customer_records(person),
    }
