"""The typed interface of the portal's doorway to the back office: what the portal reads and writes.

Every call names the principal it acts for; the back office records each call in its own access log.
Values are frozen dataclasses; money is ``Decimal`` kronor with öre (docs/decisions/0002).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class CaseNotFoundError(RegistersError):
    """No such case for this person — also when the case exists but is another person's (no oracle)."""


class CaseStateError(RegistersError):
    """The case is not in a state that allows this (a decided case cannot be withdrawn, a withdrawn one
    cannot be decided, a question is closed rather than decided)."""


class NotPermittedError(RegistersError):
    """The principal may not do this (a case handler's action asked for by another kind of principal)."""


MARRIED_STATUSES = frozenset({"married", "partner"})  # the register's civil statuses that count as married


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

    @property
    def married(self) -> bool:
        """Married or a registered partner: what the guarantee pension and housing supplement count as married
        by the register alone (cohabiting as married is what the person tells us, in an application)."""
        return self.civil_status in MARRIED_STATUSES


@dataclasses.dataclass(frozen=True, slots=True)
class IncomeYear:
    """The decided pensionable income of one year (pensionsgrundande inkomst), the pension credits decided for
    it (pensionsgrundande belopp: child years, studies, military service) and the rights they gave."""

    year: int
    income: Decimal
    pensionable_income: Decimal
    child_year_credit: Decimal
    study_credit: Decimal
    military_service_credit: Decimal
    income_pension_right: Decimal
    premium_pension_right: Decimal

    @property
    def credits(self) -> Decimal:
        """The year's pension credits together (they add to the pension base as income does)."""
        return self.child_year_credit + self.study_credit + self.military_service_credit


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


NOTICE_CHOICES = ("email", "sms", "email_and_sms", "none")  # how notices reach the person, or that none do
LANGUAGES = ("sv", "en")  # of letters and notices


@dataclasses.dataclass(frozen=True, slots=True)
class ContactDetails:
    """The registered address (empty when protected), an optional special postal address, e-mail, phone;
    whether the e-mail address is confirmed, how the person wants notices (``NOTICE_CHOICES``), and the
    language of letters and notices. ``pending_email`` is a new address waiting for its owner to confirm it by
    the link sent there; until then ``email`` stays in use."""

    address_protected: bool
    street_address: str
    postal_code: str
    city: str
    special_postal_address: PostalAddress | None
    email: str
    phone: str
    email_confirmed: bool = False
    notice_choice: str = "email"
    language: str = "sv"
    pending_email: str = ""


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
    adjustment_reference: str = ""  # the reference of Skatteverket's decision on adjusted tax, when given


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
    """New e-mail and phone ("" clears), and the special postal address (None removes it); the notice choice
    and language when given (None: unchanged). A new e-mail address is unconfirmed until confirmed."""

    email: str
    phone: str
    special_postal_address: PostalAddress | None
    notice_choice: str | None = None
    language: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccountChange:
    """A new payment account."""

    bank_name: str
    clearing_number: str
    account_number: str


@dataclasses.dataclass(frozen=True, slots=True)
class TaxSettingsChange:
    """Extra withholding per month and an adjusted percentage (None: the tax table applies); the reference of
    a decision on adjusted tax (jämkning) when given (None: unchanged, "": removed)."""

    extra_withholding: Decimal
    adjusted_percent: Decimal | None
    adjustment_reference: str | None = None


# --- Cases (ärenden) -----------------------------------------------------------------------------------
# The codes are the back office's (backoffice.casework); the labels are the portal's, in both languages.


class EmailConfirmationOutcome(models.TextChoices):
    """What came of a link that confirms an e-mail address."""

    CONFIRMED = "confirmed", _("confirmed")
    EXPIRED = "expired", _("expired")
    INVALID = "invalid", _("unknown, used, replaced by a newer link, or another person's")


class PersonalCodeCheck(models.TextChoices):
    """What a check of a personal code found (decision 0140)."""

    ACCEPTED = "accepted", _("accepted")
    WRONG = "wrong", _("wrong (or no code in force)")
    LOCKED = "locked", _("locked after too many wrong codes in a row")


class PaperFormCode(models.TextChoices):
    """The paper forms of the back office's catalogue (decision 0200), with their titles in the portal's
    languages for the citizen's access log; the contract suite checks them against the catalogue's titles."""

    OLD_AGE_PENSION = "old_age_pension", pgettext_lazy("paper form", "Application for old-age pension")
    HOUSING_SUPPLEMENT = "housing_supplement", pgettext_lazy("paper form", "Application for housing supplement")
    PAYMENT_ACCOUNT = "payment_account", pgettext_lazy("paper form", "Details of your payment account")
    POWER_OF_ATTORNEY = "power_of_attorney", pgettext_lazy("paper form", "Power of attorney")


class FormOrderChannel(models.TextChoices):
    """Where a person ordered a paper form."""

    PHONE = "phone", _("by phone")
    WEB = "web", _("on the web")


@dataclasses.dataclass(frozen=True, slots=True)
class PaperForm:
    """A paper form that can be ordered by post: a stable code, the authority's form number (may be empty),
    and its title in Swedish and English as the back office's catalogue has it."""

    code: str
    number: str
    title_sv: str
    title_en: str

    def title(self, language: str) -> str:
        """The title in ``language`` (Swedish unless English)."""
        return self.title_en if language == "en" else self.title_sv


@dataclasses.dataclass(frozen=True, slots=True)
class FormOrderReceipt:
    """What came of ordering a form: ``ordered`` is False when the same form already waits for print (it is
    on its way; nothing was added)."""

    form_code: str
    ordered: bool


class CaseType(models.TextChoices):
    """The kinds of case."""

    OLD_AGE_PENSION = "old_age_pension", _("Application for old-age pension")
    WITHDRAWAL_CHANGE = "withdrawal_change", _("Change of pension withdrawal")
    PAYMENT_ACCOUNT_CHANGE = "payment_account_change", _("Change of payment account")
    TAX_WITHHOLDING_CHANGE = "tax_withholding_change", _("Change of tax withholding")
    HOUSING_SUPPLEMENT = "housing_supplement", _("Application for housing supplement")
    GENERAL_QUESTION = "general_question", _("Question to the authority")


class CaseStatus(models.TextChoices):
    """Where a case stands."""

    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    AWAITING_COMPLETION = "awaiting_completion", _("Waiting for your completion")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class CaseEventKind(models.TextChoices):
    """What an entry of a case's history records."""

    STATUS = "status", _("Status changed")
    MESSAGE_IN = "message_in", _("Message from you")
    MESSAGE_OUT = "message_out", _("Message from the authority")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    COMPLETION_ANSWERED = "completion_answered", _("Completion answered")
    NOTE = "note", _("Note")
    DOCUMENT = "document", _("Document received")
    DECISION = "decision", _("Decision")
    CALL_NOTE = "call_note", _("Telephone call with customer service")


class PensionPart(models.TextChoices):
    """The parts of the old-age pension one applies for."""

    INCOME_PENSION = "income_pension", _("income pension")
    PREMIUM_PENSION = "premium_pension", _("premium pension")
    GUARANTEE_PENSION = "guarantee_pension", _("guarantee pension")
    INCOME_PENSION_SUPPLEMENT = "income_pension_supplement", _("income pension supplement")


class CivilStatusAnswer(models.TextChoices):
    """Civil status as the application asks it (it sets the guarantee pension's level and whether
    survivor protection may be chosen)."""

    SINGLE = "single", _("Single (unmarried, divorced or widowed, not cohabiting)")
    MARRIED = "married", _("Married or registered partner")
    COHABITING_AS_MARRIED = (
        "cohabiting_as_married",
        _("Cohabiting with a former spouse or with the parent of a common child"),
    )
    COHABITING = "cohabiting", _("Cohabiting")


class TaxWithholdingKind(models.TextChoices):
    """How preliminary tax is withheld from the pension."""

    TABLE = "table", _("By the tax table")
    EXTRA = "extra", _("By the tax table plus an extra amount each month")
    THIRTY_PERCENT = "thirty_percent", _("30 per cent")
    SINK = "sink", _("SINK, the special income tax for people living abroad")


class WithdrawalChangeKind(models.TextChoices):
    """What a change of withdrawal does."""

    SHARE = "share", _("A new withdrawal share")
    PAUSE = "pause", _("A pause in the withdrawal")
    STOP = "stop", _("Stop the withdrawal")


class SignatureMethod(models.TextChoices):
    """How a document was signed."""

    BANKID = "bankid", _("BankID")
    SIGNATURE_SERVICE = "signature_service", _("Signature service")


class DecisionOutcome(models.TextChoices):
    """What a decision says."""

    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


@dataclasses.dataclass(frozen=True, slots=True)
class PartChoice:
    """One part applied for, from the first day of ``start_month``, with its share (25, 50, 75 or 100 %)."""

    part: PensionPart
    start_month: dt.date
    share: int


@dataclasses.dataclass(frozen=True, slots=True)
class SwedishAccount:
    """A Swedish bank account (digits only in the numbers)."""

    bank_name: str
    clearing_number: str
    account_number: str


@dataclasses.dataclass(frozen=True, slots=True)
class ForeignAccount:
    """An account abroad: IBAN and BIC, upper case without spaces."""

    iban: str
    bic: str


@dataclasses.dataclass(frozen=True, slots=True)
class TaxWithholding:
    """The tax withholding chosen; ``extra_per_month`` only with ``EXTRA``."""

    kind: TaxWithholdingKind
    extra_per_month: Decimal = Decimal(0)


@dataclasses.dataclass(frozen=True, slots=True)
class OldAgePensionApplication:
    """An application for old-age pension (ansökan om allmän ålderspension), as signed.

    ``country`` is an ISO 3166-1 alpha-2 code when ``living_abroad``, else "". Survivor protection
    (efterlevandeskydd) only with premium pension, for the married or cohabiting as married.
    """

    applicant: PersonalNumber
    parts: tuple[PartChoice, ...]
    survivor_protection: bool
    civil_status: CivilStatusAnswer
    living_abroad: bool
    country: str
    tax_withholding: TaxWithholding
    payment_account: SwedishAccount | ForeignAccount


@dataclasses.dataclass(frozen=True, slots=True)
class WithdrawalChange:
    """A change of withdrawal (ändrat uttag) of income and/or premium pension from ``from_month``;
    ``share`` only with ``SHARE``."""

    applicant: PersonalNumber
    parts: tuple[PensionPart, ...]
    change: WithdrawalChangeKind
    share: int | None
    from_month: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccountChangeApplication:
    """A signed change of the account the pension is paid into."""

    applicant: PersonalNumber
    payment_account: SwedishAccount | ForeignAccount


@dataclasses.dataclass(frozen=True, slots=True)
class TaxWithholdingChange:
    """A signed change of tax withholding."""

    applicant: PersonalNumber
    tax_withholding: TaxWithholding


class HousingKind(models.TextChoices):
    """The kind of home a housing-supplement application is for."""

    RENTED = "rented", _("A rented home")
    TENANT_OWNED = "tenant_owned", _("A tenant-owned flat (bostadsrätt)")
    OWNED = "owned", _("A house I own")


@dataclasses.dataclass(frozen=True, slots=True)
class HousingSupplementApplication:
    """An application for housing supplement (bostadstillägg, with maintenance support) from ``from_month``:
    the household's amounts in whole kronor (the couple's together); the public pension is the register's."""

    applicant: PersonalNumber
    from_month: dt.date
    civil_status: CivilStatusAnswer
    housing_kind: HousingKind
    housing_cost_per_month: int
    occupational_pension_per_month: int
    earned_income_per_month: int
    capital_income_per_year: int
    assets: int


HOUSEHOLD_AMOUNTS = (
    "housing_cost_per_month",
    "occupational_pension_per_month",
    "earned_income_per_month",
    "capital_income_per_year",
    "assets",
)

Application = (
    OldAgePensionApplication
    | WithdrawalChange
    | PaymentAccountChangeApplication
    | TaxWithholdingChange
    | HousingSupplementApplication
)


@dataclasses.dataclass(frozen=True, slots=True)
class SignedDocument:
    """What was signed: the canonical bytes (RFC 8785 JSON of the envelope ``{"kind", "version", "content"}``
    around ``codec.application_content``), their SHA-256 (hex), the envelope's kind
    (``codec.DOCUMENT_KINDS``) and version, and the plain summary shown to the signer."""

    kind: str
    version: int
    canonical_bytes: bytes
    sha256: str
    summary: str


@dataclasses.dataclass(frozen=True, slots=True)
class SignatureEvidence:
    """The evidence of a signature, enough to verify it offline (text fields hold base64 or PEM as the
    method gives them; the signature service's two are empty for BankID)."""

    method: SignatureMethod
    signer_identifier: str
    signed_at: dt.datetime
    signature: str
    ocsp_response: str
    sign_response: str = ""
    signer_certificate: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Upload:
    """A file sent with a message (PDF, JPEG or PNG by content, at most 5 MiB; ``kernel.uploads``). The back
    office checks it again and scans it for malware; a refusal is an :class:`InvalidChangeError` whose
    ``errors["attachments.N"]`` is a ``kernel.uploads.Refusal`` code."""

    filename: str
    content: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class AttachmentContent:
    """A kept file with its bytes, as downloaded (only files scanned clean are handed out)."""

    attachment_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class CaseSubmission:
    """A case to open. A signed type carries ``document`` and ``evidence``; a question its ``subject`` and
    ``message``. ``idempotency_key`` (16–128 of A–Z a–z 0–9 . _ : -) is made when the document is signed
    (e.g. its hash and the person): submitting the same again gives the same case. An application a delegate
    signed for the person (its content's ``on_behalf``) carries the ``power_of_attorney`` it was signed under."""

    case_type: CaseType
    idempotency_key: str
    document: SignedDocument | None = None
    evidence: SignatureEvidence | None = None
    subject: str = ""
    message: str = ""
    attachments: tuple[Upload, ...] = ()
    power_of_attorney: PowerOfAttorneyProof | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PowerOfAttorneyProof:
    """The power of attorney a delegate signed an application under (decision 0216): the document the grantor
    signed (its canonical bytes) and the grantor's signature evidence, checked by the back office against the
    application's ``on_behalf`` and kept with its case."""

    canonical_bytes: bytes
    evidence: SignatureEvidence


@dataclasses.dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case as a list shows it. ``steps`` are the type's ordered statuses (the path shown to the citizen);
    ``ended_at`` is when it was decided, withdrawn or closed; ``completion_due`` while it waits for one."""

    case_id: uuid.UUID
    case_type: CaseType
    status: CaseStatus
    steps: tuple[CaseStatus, ...]
    opened_at: dt.datetime
    expected_decision_on: dt.date
    subject: str
    ended_at: dt.datetime | None
    outcome: DecisionOutcome | None
    completion_due: dt.date | None

    @property
    def is_open(self) -> bool:
        """Whether the case is still to be decided or closed."""
        return self.status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_COMPLETION)


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccountChangeReceipt:
    """A signed change of payment account, applied: its (decided) case, and the day of the first payment the new
    account gets — the next whose file has not gone to the bank (None: no payment yet)."""

    case: CaseSummary
    effective_payment: dt.date | None


@dataclasses.dataclass(frozen=True, slots=True)
class CaseEvent:
    """One entry of the history. ``actor_ref`` is empty in the citizen's view for anyone but the citizen;
    ``payload`` holds a decision's outcome and amounts, a completion's due date."""

    sequence: int
    occurred_at: dt.datetime
    kind: CaseEventKind
    status: CaseStatus | None
    actor_kind: str
    actor_ref: str
    text: str
    payload: Mapping[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class CaseDocument:
    """A signed document kept with the case, with its evidence."""

    document_id: uuid.UUID
    kind: str
    version: int
    canonical_bytes: bytes
    sha256: str
    summary: str
    received_at: dt.datetime
    evidence: SignatureEvidence | None
    # Signed by a delegate under the person's power of attorney: the power as the case keeps it (decision 0216).
    delegate_signature: DelegateSignatureRecord | None = None


class PowerScope(models.TextChoices):
    """What a power of attorney may cover (decision 0181), one vocabulary wherever a power is read: the grantor
    chooses from it (delegation), the back office checks "apply" when a delegate signs, and the handler's case
    page shows what the kept power covered."""

    PENSION = "pension", _("See the pension and the statements")
    FORECAST = "forecast", _("Make forecasts")
    CASES = "cases", _("See and answer the cases")
    APPLY = "apply", _("Apply for pension on their behalf")


@dataclasses.dataclass(frozen=True, slots=True)
class DelegateSignatureRecord:
    """Who signed a case's document for the person and under which power of attorney, as checked when the case
    was opened: the delegate, the power's reference and hash, what it covered and from when until when."""

    delegate: str
    delegate_name: str
    power_reference: uuid.UUID
    power_sha256: str
    scopes: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date

    @property
    def scope_labels(self) -> tuple[str, ...]:
        """What the power covered, in the words of the language active now (a code not known here as itself)."""
        known = set(PowerScope.values)
        return tuple(str(PowerScope(scope).label) if scope in known else scope for scope in self.scopes)


@dataclasses.dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message (its bytes stay in the back office)."""

    attachment_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    scan_verdict: str


@dataclasses.dataclass(frozen=True, slots=True)
class CaseMessage:
    """A message in a case: ``direction`` "in" from the person, "out" from the authority."""

    message_id: uuid.UUID
    direction: str
    sent_at: dt.datetime
    text: str
    attachments: tuple[Attachment, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class CaseDetail:
    """One case with its history, signed documents, messages and the typed view of its application."""

    summary: CaseSummary
    history: tuple[CaseEvent, ...]
    documents: tuple[CaseDocument, ...]
    messages: tuple[CaseMessage, ...]
    application: Application | None


@dataclasses.dataclass(frozen=True, slots=True)
class CasePerson:
    """Who a case is about, as its handler sees it."""

    personal_number: PersonalNumber
    given_name: str
    family_name: str
    birth_date: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class HandlerCase:
    """A case as its handler sees it: everything, notes and staff ids included, and the person."""

    detail: CaseDetail
    person: CasePerson


@dataclasses.dataclass(frozen=True, slots=True)
class QueueItem:
    """An open case in the handlers' queue (no personal data: opening it is the read that is recorded)."""

    case_id: uuid.UUID
    case_type: CaseType
    status: CaseStatus
    opened_at: dt.datetime
    expected_decision_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class CaseDecision:
    """A handler's decision; ``text`` gives the reasons (required for a rejection)."""

    outcome: DecisionOutcome
    text: str = ""


class Registers(Protocol):
    """What the portal reads from and writes to the authority's registers, always for a named principal."""

    def person_snapshot(self, principal: Principal, personal_number: PersonalNumber) -> PersonSnapshot:
        """The person snapshot; raises :class:`PersonNotFoundError`."""
        ...

    def customer_records(self, principal: Principal, personal_number: PersonalNumber) -> CustomerRecords:
        """The person's contact details, payment account and tax settings, read now (My details); raises
        :class:`PersonNotFoundError`."""
        ...

    def contact_details_update(
        self, principal: Principal, personal_number: PersonalNumber, change: ContactDetailsChange
    ) -> ContactDetails:
        """Change the contact details; raises :class:`InvalidChangeError` or :class:`PersonNotFoundError`. A
        change tells the contact points known before it; a new e-mail address is sent its confirmation link."""
        ...

    def email_confirmation_send(self, principal: Principal, personal_number: PersonalNumber) -> None:
        """Send (again) the link that confirms the new e-mail address, or the unconfirmed one in use; raises
        :class:`InvalidChangeError` when there is none to confirm."""
        ...

    def email_confirm(
        self, principal: Principal, personal_number: PersonalNumber, token: str
    ) -> EmailConfirmationOutcome:
        """Confirm the person's new e-mail address by the token of its link (once; the address then is in use)."""
        ...

    def payment_account_update(
        self, principal: Principal, personal_number: PersonalNumber, change: PaymentAccountChange
    ) -> PaymentAccount:
        """Register a new payment account."""
        ...

    def tax_settings_update(
        self, principal: Principal, personal_number: PersonalNumber, change: TaxSettingsChange
    ) -> TaxSettings:
        """Change the tax withholding settings; a change that changes something tells every contact point that
        details changed."""
        ...

    # --- The personal code (decision 0140) --------------------------------------------------------------

    def personal_code_order(self, principal: Principal, personal_number: PersonalNumber) -> bool:
        """Order a new personal code by post; the code in force is voided. True when a new code was issued
        now, False when an ordered one is already on its way (it is not issued twice); raises
        :class:`PersonNotFoundError`."""
        ...

    def personal_code_check(
        self, principal: Principal, personal_number: PersonalNumber, code: str
    ) -> PersonalCodeCheck:
        """Check a code keyed in for the person; wrong codes in a row lock it. An unknown person's answer is
        :attr:`PersonalCodeCheck.WRONG`, as for a wrong code."""
        ...

    # --- Paper forms ordered by post (decision 0200) -----------------------------------------------------

    def form_catalogue(self, principal: Principal) -> tuple[PaperForm, ...]:
        """The paper forms a person can order by post, in the order they are offered."""
        ...

    def form_order(
        self, principal: Principal, personal_number: PersonalNumber, form_code: str, channel: FormOrderChannel
    ) -> FormOrderReceipt:
        """Order the paper form ``form_code`` by post to the person's registered address. Ordering a form that
        already waits for print adds nothing (``ordered`` False), so a repeated call orders once; raises
        :class:`InvalidChangeError` for a code not in the catalogue, and :class:`PersonNotFoundError`."""
        ...

    # --- Notices the portal asks for -----------------------------------------------------------------------

    def login_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        """Tell the person, at every contact point they have, of a login from a device they have not used
        before (issue 12.8); ``key`` names the login (1 to 64 characters), and the same key twice gives one
        notice. How many notices were put in the outbox (0 without contact points); raises
        :class:`PersonNotFoundError`."""
        ...

    def delegate_session_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        """Tell the person, by the channels they chose, that someone with their power of attorney began to use
        My pages for them (decision 0180); ``key`` names the delegate's session (1 to 64 characters), and the
        same key twice gives one notice. How many notices were put in the outbox; raises
        :class:`PersonNotFoundError`."""
        ...

    # --- Cases: the person's own (citizen, or customer service for them) -------------------------------

    def case_submit(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> CaseSummary:
        """Open a case, or give the case already opened with the same idempotency key (safe to retry);
        raises :class:`InvalidChangeError` (also for a key used with another submission)."""
        ...

    def cases(self, principal: Principal, personal_number: PersonalNumber) -> tuple[CaseSummary, ...]:
        """The person's cases, newest first."""
        ...

    def payment_account_change(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> PaymentAccountChangeReceipt:
        """Apply a signed change of payment account at once (a case of its own, decided by the system, with the
        signed document and evidence kept): every known contact point is told, the replaced e-mail address too.
        Safe to retry with the same key; raises :class:`InvalidChangeError` (an account abroad, for now)."""
        ...

    def case(self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID) -> CaseDetail:
        """One of the person's cases; raises :class:`CaseNotFoundError` for another person's as for a missing one."""
        ...

    def case_withdraw(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, reason: str = ""
    ) -> CaseDetail:
        """Withdraw an open case; raises :class:`CaseStateError` once it is decided, withdrawn or closed."""
        ...

    def case_message_send(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        """A message from the person in their case, with files (at most three)."""
        ...

    def case_completion_answer(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        """Answer the completion the case waits for (with the documents asked for); raises
        :class:`CaseStateError` when it waits for none."""
        ...

    def case_attachment(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        """A file of one of the person's cases; raises :class:`CaseNotFoundError` for another person's."""
        ...

    def case_call_note(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, text: str
    ) -> CaseDetail:
        """Customer service notes a call with the person in one of their cases (an event of kind
        :attr:`CaseEventKind.CALL_NOTE`, shown to the person); raises :class:`NotPermittedError` for a
        principal that is not an agent, :class:`CaseNotFoundError` for another person's case."""
        ...

    # --- Cases: the case handler's (staff principals; raise NotPermittedError for others) ---------------

    def case_queue(self, principal: Principal, case_type: CaseType | None = None) -> tuple[QueueItem, ...]:
        """Open cases, oldest first, optionally of one type."""
        ...

    def case_for_handler(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        """One case with the person it is about; raises :class:`CaseNotFoundError`."""
        ...

    def case_attachment_for_handler(
        self, principal: Principal, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        """A file of a case, for its handler."""
        ...

    def case_handling_start(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        """Take up a received case (it is then being handled)."""
        ...

    def case_completion_request(self, principal: Principal, case_id: uuid.UUID, text: str, due: dt.date) -> HandlerCase:
        """Ask the person for a completion by ``due``; the case waits for it."""
        ...

    def case_message_answer(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        """A message from the authority in the case."""
        ...

    def case_decide(self, principal: Principal, case_id: uuid.UUID, decision: CaseDecision) -> HandlerCase:
        """Decide an application. Granting an old-age pension writes its decisions and payments into the
        register; raises :class:`CaseStateError` for a withdrawn or decided case, :class:`InvalidChangeError`
        when it cannot be granted as it stands."""
        ...

    def case_close(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        """Close an open case without a decision (a question answered)."""
        ...
