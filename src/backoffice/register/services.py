"""Writes through the registers boundary: contact details, payment account and tax withholding settings,
and the decisions and payments of a granted pension (written by casework).

Each change names its :class:`~backoffice.register.access.Caller`, is validated here (the one place, so
both channels refuse the same input), and is written in one transaction with the back office's access
record. Results come back in the shape the internal API sends as JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.models import (
    BenefitKind,
    ContactDetails,
    Language,
    NoticeChoice,
    PaymentAccount,
    PensionDecision,
    PensionPayment,
    TaxSettings,
)
from backoffice.register.selectors import (
    ALIAS,
    Data,
    PersonNotFoundError,
    contact_details_data,
    optional_record,
    payment_account_data,
    person_get,
    tax_settings_data,
)
from kernel import clock

__all__ = [
    "InvalidChangeError",
    "PersonNotFoundError",
    "contact_details_update",
    "payment_account_update",
    "pension_grant_record",
    "tax_settings_update",
]


class InvalidChangeError(ValueError):
    """A change was refused; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


# --- Writes -------------------------------------------------------------------------------------------

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}$")
_POSTAL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]{1,9}$")
_DIGITS = re.compile(r"^[0-9]+$")
MAX_EXTRA_WITHHOLDING = Decimal("100000")
_ADJUSTMENT_REFERENCE = re.compile(r"[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö /\-]*")


def _text(data: Data, name: str, errors: dict[str, str], *, max_length: int, required: bool = False) -> str:
    raw = data.get(name, "")
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors[name] = "must be text"
        return ""
    value = raw.strip()
    if required and not value:
        errors[name] = "is required"
    elif len(value) > max_length:
        errors[name] = f"must be at most {max_length} characters"
    return value


def _amount(value: Any, name: str, errors: dict[str, str], *, low: Decimal, high: Decimal) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors[name] = "must be a number"
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors[name] = "must be a number"
        return None
    if not amount.is_finite() or not low <= amount <= high:
        errors[name] = f"must be a number between {low} and {high}"
        return None
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        errors[name] = "must have at most two decimals"
        return None
    return amount.quantize(Decimal("0.01"))


def _check_keys(data: Any, allowed: set[str]) -> Data:
    if not isinstance(data, dict):
        raise InvalidChangeError({"body": "must be a JSON object"})
    unknown = set(data) - allowed
    if unknown:
        raise InvalidChangeError(dict.fromkeys(sorted(unknown), "is not a known field"))
    return data


def _notice_preferences(data: Data, *, email: str, phone: str, errors: dict[str, str]) -> tuple[Any, Any]:
    """The notice choice and language asked for (None: unchanged), checked against the addresses given."""
    choice = data.get("notice_choice")
    if choice is not None and choice not in NoticeChoice.values:
        errors["notice_choice"] = f"must be one of {', '.join(NoticeChoice.values)}"
    elif choice in (NoticeChoice.SMS, NoticeChoice.EMAIL_AND_SMS) and not phone and "phone" not in errors:
        errors["notice_choice"] = "notices by text message need a phone number"
    elif choice in (NoticeChoice.EMAIL, NoticeChoice.EMAIL_AND_SMS) and not email and "email" not in errors:
        errors["notice_choice"] = "notices by e-mail need an e-mail address"
    language = data.get("language")
    if language is not None and language not in Language.values:
        errors["language"] = f"must be one of {', '.join(Language.values)}"
    return choice, language


@transaction.atomic(using=ALIAS)
def contact_details_update(*, caller: Caller, personal_number: str, change: Any) -> Data:
    """Set e-mail, phone and the special postal address (None removes it); the notice choice and language
    when given (None or absent: unchanged).

    The registered address is Skatteverket's and cannot be changed here. A new e-mail address waits as
    ``pending_email`` until its owner confirms it (``backoffice.notices.services.email_confirm``); the address
    in use stays until then. The same address as in use or as pending changes nothing; "" removes both.
    Notices of the change and the confirmation link: ``backoffice.notices.services.contact_details_change``.
    """
    data = _check_keys(change, {"email", "phone", "special_postal_address", "notice_choice", "language"})
    errors: dict[str, str] = {}
    email = _text(data, "email", errors, max_length=254)
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "is not an e-mail address"
    phone = _text(data, "phone", errors, max_length=20)
    if phone and "phone" not in errors and not _PHONE.fullmatch(phone):
        errors["phone"] = "is not a phone number"
    special = data.get("special_postal_address")
    street = postal = city = country = ""
    if special is not None:
        if not isinstance(special, dict) or set(special) - {"street_address", "postal_code", "city", "country"}:
            errors["special_postal_address"] = "must be an object with street_address, postal_code, city, country"
        else:
            sub: dict[str, str] = {}
            street = _text(special, "street_address", sub, max_length=120, required=True)
            postal = _text(special, "postal_code", sub, max_length=10, required=True)
            city = _text(special, "city", sub, max_length=60, required=True)
            country = _text(special, "country", sub, max_length=60)
            if postal and "postal_code" not in sub and not _POSTAL_CODE.fullmatch(postal):
                sub["postal_code"] = "is not a postal code"
            errors.update({f"special_postal_address.{key}": message for key, message in sub.items()})
    choice, language = _notice_preferences(data, email=email, phone=phone, errors=errors)
    if errors:
        raise InvalidChangeError(errors)
    person = person_get(personal_number)
    details, _ = ContactDetails.objects.get_or_create(person=person)
    _email_set(details, email)
    if choice is not None:
        details.notice_choice = choice
    if language is not None:
        details.language = language
    details.phone = phone
    details.special_street_address, details.special_postal_code = street, postal
    details.special_city, details.special_country = city, country
    details.updated_at = clock.now()
    details.save()
    register_access_record_create(
        caller=caller, personal_number=person.personal_number, action="contact_details.update"
    )
    return contact_details_data(person, details)


def _email_set(details: ContactDetails, email: str) -> None:
    """A new address waits for its confirmation; the one in use stays (decision 0160)."""
    if not email:
        details.email, details.email_confirmed, details.pending_email = "", False, ""
    elif not details.email:
        details.email, details.email_confirmed, details.pending_email = email, False, ""
    elif email.lower() == details.email.lower():
        details.email = email
    elif email.lower() != details.pending_email.lower():
        details.pending_email = email


def _clearing_and_account(data: Data, errors: dict[str, str]) -> tuple[str, str]:
    clearing = _text(data, "clearing_number", errors, max_length=6, required=True).replace("-", "")
    account = _text(data, "account_number", errors, max_length=20, required=True).replace(" ", "").replace("-", "")
    if clearing and "clearing_number" not in errors and not (_DIGITS.fullmatch(clearing) and 4 <= len(clearing) <= 5):
        errors["clearing_number"] = "must be four or five digits"
    if account and "account_number" not in errors and not (_DIGITS.fullmatch(account) and 5 <= len(account) <= 15):
        errors["account_number"] = "must be 5 to 15 digits"
    return clearing, account


@transaction.atomic(using=ALIAS)
def payment_account_update(*, caller: Caller, personal_number: str, change: Any) -> Data:
    """Register the account the person's pension is paid into."""
    data = _check_keys(change, {"bank_name", "clearing_number", "account_number"})
    errors: dict[str, str] = {}
    bank = _text(data, "bank_name", errors, max_length=60, required=True)
    clearing, account = _clearing_and_account(data, errors)
    if errors:
        raise InvalidChangeError(errors)
    person = person_get(personal_number)
    row, _ = PaymentAccount.objects.update_or_create(
        person=person,
        defaults={"bank_name": bank, "clearing_number": clearing, "account_number": account, "updated_at": clock.now()},
    )
    register_access_record_create(
        caller=caller, personal_number=person.personal_number, action="payment_account.update"
    )
    return payment_account_data(row) or {}


@transaction.atomic(using=ALIAS)
def tax_settings_update(*, caller: Caller, personal_number: str, change: Any) -> Data:
    """Set extra withholding (kronor per month) and an adjusted percentage (jämkning; None: the tax table), and
    the reference of Skatteverket's decision on adjusted tax when given (absent or null: unchanged; "" clears)."""
    data = _check_keys(change, {"extra_withholding", "adjusted_percent", "adjustment_reference"})
    errors: dict[str, str] = {}
    extra = _amount(
        data.get("extra_withholding", 0), "extra_withholding", errors, low=Decimal(0), high=MAX_EXTRA_WITHHOLDING
    )
    adjusted = None
    if data.get("adjusted_percent") is not None:
        adjusted = _amount(data["adjusted_percent"], "adjusted_percent", errors, low=Decimal(0), high=Decimal(100))
    reference = None
    if data.get("adjustment_reference") is not None:
        reference = _text(data, "adjustment_reference", errors, max_length=30)
        if reference and not _ADJUSTMENT_REFERENCE.fullmatch(reference):
            errors["adjustment_reference"] = "must be letters, digits, spaces, hyphens or slashes"
    if errors:
        raise InvalidChangeError(errors)
    person = person_get(personal_number)
    row = optional_record(person, "tax_settings") or TaxSettings(
        person=person, municipal_tax_rate=Decimal("32.41"), tax_table=32
    )
    row.extra_withholding = extra or Decimal(0)
    row.adjusted_percent = adjusted
    if reference is not None:
        row.adjustment_reference = reference
    row.updated_at = clock.now()
    row.save()
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="tax_settings.update")
    return tax_settings_data(row) or {}


@dataclasses.dataclass(frozen=True, slots=True)
class DecisionRow:
    """A decision on one part: its monthly amount before tax from ``payable_from``."""

    benefit: str
    decided_on: dt.date
    payable_from: dt.date
    withdrawal_share: int
    monthly_amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentRow:
    """A planned payment: gross, preliminary tax, net."""

    payment_date: dt.date
    gross: Decimal
    tax: Decimal
    net: Decimal


@transaction.atomic(using=ALIAS)
def pension_grant_record(
    *, caller: Caller, personal_number: str, decisions: Sequence[DecisionRow], payments: Sequence[PaymentRow]
) -> None:
    """Record granted parts of the old-age pension: their decisions, the planned payments (replacing a
    planned payment on the same day) and that the person now draws pension.

    The amounts are computed by the caller (casework, by the engine's rules); the register checks only
    that they are whole rows: a known part, a share of 25–100 %, no negative amount, gross − tax = net.
    """
    errors: dict[str, str] = {}
    for index, decision in enumerate(decisions):
        if decision.benefit not in BenefitKind.values:
            errors[f"decisions.{index}.benefit"] = "is not a part of the old-age pension"
        if decision.withdrawal_share not in (25, 50, 75, 100) or decision.monthly_amount < 0:
            errors[f"decisions.{index}"] = "needs a share of 25, 50, 75 or 100 and an amount of at least 0"
    for index, payment in enumerate(payments):
        if payment.gross < 0 or payment.tax < 0 or payment.gross - payment.tax != payment.net:
            errors[f"payments.{index}"] = "needs gross − tax = net, none negative"
    if errors:
        raise InvalidChangeError(errors)
    person = person_get(personal_number)
    for decision in decisions:
        PensionDecision.objects.update_or_create(
            person=person,
            benefit=decision.benefit,
            payable_from=decision.payable_from,
            defaults={
                "decided_on": decision.decided_on,
                "withdrawal_share": decision.withdrawal_share,
                "monthly_amount": decision.monthly_amount,
            },
        )
    for payment in payments:
        PensionPayment.objects.update_or_create(
            person=person,
            payment_date=payment.payment_date,
            defaults={"gross": payment.gross, "tax": payment.tax, "net": payment.net},
        )
    if not person.drawing_pension:
        person.drawing_pension = True
        person.save(update_fields=["drawing_pension"])
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="pension_grant.record")
