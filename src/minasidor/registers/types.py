"""The typed interface of the portal's doorway to the back office: what the portal reads and writes.

Every call names the principal it acts for; the back office records each call in its own access log.
Values are frozen dataclasses; money is ``Decimal`` kronor with öre (docs/decisions/0002).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Protocol

from kernel.personal_number import PersonalNumber
from minasidor.audit.types import Principal

SERVICE_NAME = "portal"  # how the back office's access records name this caller


class RegistersError(Exception):
    """Something went wrong reaching or using the registers."""


class PersonNotFoundError(RegistersError):
    """The register holds no person with that number."""


class InvalidChangeError(RegistersError):
    """The back office refused a change; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class RegistersUnavailableError(RegistersError):
    """The back office did not answer in time, answered with an error, or the circuit breaker is open."""


@dataclasses.dataclass(frozen=True, slots=True)
class PersonRecord:
    """The person as the pension register knows them."""

    personal_number: PersonalNumber
    given_name: str
    family_name: str
    birth_date: dt.date
    civil_status: str
    residence_years: Decimal
    drawing_pension: bool
    still_working: bool
    protected_identity: bool
    date_of_death: dt.date | None
    min_pension_user: bool


@dataclasses.dataclass(frozen=True, slots=True)
class IncomeYear:
    """The decided pensionable income of one year (pensionsgrundande inkomst) and the rights it gave."""

    year: int
    income: Decimal
    pensionable_income: Decimal
    income_pension_right: Decimal
    premium_pension_right: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class AccountYear:
    """One year of one account on the orange envelope (``account``: income_pension or premium_pension).

    Opening value + new rights + inheritance gains + value change + fees + paid out = closing value; fees
    and ``paid_out`` (the pension paid from the account that year, zero before withdrawal) are negative.
    """

    year: int
    account: str
    opening_value: Decimal
    new_rights: Decimal
    inheritance_gains: Decimal
    value_change: Decimal
    fees: Decimal
    closing_value: Decimal
    paid_out: Decimal = Decimal(0)


@dataclasses.dataclass(frozen=True, slots=True)
class Statement:
    """The latest annual statement: both accounts of one year."""

    year: int
    income_pension: AccountYear | None
    premium_pension: AccountYear | None

    @property
    def accounts(self) -> tuple[AccountYear, ...]:
        """The accounts the statement has: income pension first, then premium pension."""
        return tuple(a for a in (self.income_pension, self.premium_pension) if a is not None)

    @property
    def total_closing_value(self) -> Decimal:
        """The two accounts' closing values together."""
        return sum((a.closing_value for a in (self.income_pension, self.premium_pension) if a), Decimal(0))


@dataclasses.dataclass(frozen=True, slots=True)
class FundHolding:
    """Premium-pension fund units held on a valuation date."""

    fund_id: str
    fund_name: str
    units: Decimal
    unit_price: Decimal
    value: Decimal
    fee_percent: Decimal
    valued_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class PensionDecision:
    """A decision on a part of the old-age pension: its monthly amount before tax from ``payable_from``.

    The first decision on a part grants it; each January's recalculation is a new decision (0 kr: the part
    is no longer paid).
    """

    benefit: str
    decided_on: dt.date
    payable_from: dt.date
    withdrawal_share: int
    monthly_amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class Payment:
    """One monthly payment: paid (on or before today) or the next planned one."""

    payment_date: dt.date
    gross: Decimal
    tax: Decimal
    net: Decimal
    paid: bool


@dataclasses.dataclass(frozen=True, slots=True)
class PostalAddress:
    """A special postal address (särskild postadress)."""

    street_address: str
    postal_code: str
    city: str
    country: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ContactDetails:
    """The registered address (empty when protected), an optional special postal address, e-mail, phone."""

    address_protected: bool
    street_address: str
    postal_code: str
    city: str
    special_postal_address: PostalAddress | None
    email: str
    phone: str


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccount:
    """The bank account the pension is paid into."""

    bank_name: str
    clearing_number: str
    account_number: str


@dataclasses.dataclass(frozen=True, slots=True)
class TaxSettings:
    """Tax withholding: the municipal rate and tax table, extra withholding, an adjusted percentage."""

    municipal_tax_rate: Decimal
    tax_table: int
    extra_withholding: Decimal
    adjusted_percent: Decimal | None


@dataclasses.dataclass(frozen=True, slots=True)
class CustomerRecords:
    """Contact details, payment account and tax settings."""

    contact_details: ContactDetails
    payment_account: PaymentAccount | None
    tax_settings: TaxSettings | None


@dataclasses.dataclass(frozen=True, slots=True)
class PersonSnapshot:
    """Everything the portal needs at login, fetched anew each time and never stored by the portal."""

    person: PersonRecord
    incomes: tuple[IncomeYear, ...]
    latest_statement: Statement | None
    accounts: tuple[AccountYear, ...]
    fund_holdings: tuple[FundHolding, ...]
    decisions: tuple[PensionDecision, ...]
    payments: tuple[Payment, ...]
    customer_records: CustomerRecords

    def decisions_in_force(self, day: dt.date) -> tuple[PensionDecision, ...]:
        """Per part, its latest decision payable from ``day`` or before; parts no longer paid are left out."""
        latest: dict[str, PensionDecision] = {}
        for decision in sorted(self.decisions, key=lambda d: d.payable_from):
            if decision.payable_from <= day:
                latest[decision.benefit] = decision
        return tuple(decision for decision in latest.values() if decision.monthly_amount > 0)

    def paid_since(self, benefit: str) -> dt.date | None:
        """The day the part was first paid from (its first decision), or None for a part never decided."""
        return min((d.payable_from for d in self.decisions if d.benefit == benefit), default=None)


@dataclasses.dataclass(frozen=True, slots=True)
class ContactDetailsChange:
    """New e-mail and phone ("" clears), and the special postal address (None removes it)."""

    email: str
    phone: str
    special_postal_address: PostalAddress | None


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccountChange:
    """A new payment account."""

    bank_name: str
    clearing_number: str
    account_number: str


@dataclasses.dataclass(frozen=True, slots=True)
class TaxSettingsChange:
    """Extra withholding per month and an adjusted percentage (None: the tax table applies)."""

    extra_withholding: Decimal
    adjusted_percent: Decimal | None


class Registers(Protocol):
    """What the portal reads from and writes to the authority's registers, always for a named principal."""

    def person_snapshot(self, principal: Principal, personal_number: PersonalNumber) -> PersonSnapshot:
        """The person snapshot; raises :class:`PersonNotFoundError`."""
        ...

    def contact_details_update(
        self, principal: Principal, personal_number: PersonalNumber, change: ContactDetailsChange
    ) -> ContactDetails:
        """Change the contact details; raises :class:`InvalidChangeError` or :class:`PersonNotFoundError`."""
        ...

    def payment_account_update(
        self, principal: Principal, personal_number: PersonalNumber, change: PaymentAccountChange
    ) -> PaymentAccount:
        """Register a new payment account."""
        ...

    def tax_settings_update(
        self, principal: Principal, personal_number: PersonalNumber, change: TaxSettingsChange
    ) -> TaxSettings:
        """Change the tax withholding settings."""
        ...
