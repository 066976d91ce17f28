"""What a citizen signs: the documents of the signed case types, as typed and validated views.

A signed document is stored as its canonical bytes: RFC 8785 JSON of the envelope ``{"kind", "version",
"content"}`` that the portal's signing step makes (``minasidor.signing.documents``, decisions 0100 and
0039). This module reads those bytes into a frozen dataclass, refusing anything malformed field by field,
and gives the same view back as JSON-ready data for the handler and the portal. The content of version 1
of each document:

- ``old_age_pension`` (ansökan om allmän ålderspension): the parts applied for (income pension, premium
  pension, guarantee pension, income-pension supplement), each with its first month and share (25, 50,
  75 or 100 %; guarantee pension and the supplement are only taken whole); premium-pension survivor
  protection (efterlevandeskydd; only for the married and those cohabiting as married, and only with
  premium pension); civil status; living abroad (with the country); tax withholding (the tax table,
  extra tax per month, 30 %, or SINK for people living abroad); the payment account (Swedish clearing
  and account number, or IBAN and BIC).
- ``withdrawal_change`` (ändrat uttag): income and/or premium pension, a new share, a pause or a stop,
  from a month.
- ``payment_account_change`` and ``tax_withholding_change``: the new account, the new withholding.
- ``housing_supplement`` (ansökan om bostadstillägg): the month it is applied from (at most three months
  back), civil status, the kind of home, and the household's amounts in whole kronor — housing cost,
  occupational and private pension and income from work a month, interest and dividends a year, and
  assets (for a couple, both spouses' together; the public pension the register has).

Every content names its ``applicant`` (the personal number of the person it is about), and the envelope
the kind (``DOCUMENT_KINDS``) and version, so the signed bytes say on their own what they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import rfc8785
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.casework.models import CaseType
from backoffice.register.models import BenefitKind
from kernel.bank_accounts import BankAccountError, foreign_account, swedish_account

DOCUMENT_VERSION = 1
# The kind each signed case type's document names in its envelope (minasidor.signing.documents, decision 0100).
DOCUMENT_KINDS: dict[str, str] = {
    CaseType.OLD_AGE_PENSION: "pension-application",
    CaseType.WITHDRAWAL_CHANGE: "withdrawal-change",
    CaseType.PAYMENT_ACCOUNT_CHANGE: "payment-account-change",
    CaseType.TAX_WITHHOLDING_CHANGE: "tax-withholding-change",
    CaseType.HOUSING_SUPPLEMENT: "housing-supplement-application",
}
MAX_HOUSEHOLD_AMOUNT = 1_000_000_000
SHARES = (25, 50, 75, 100)
APPLICABLE_PARTS = (
    BenefitKind.INCOME_PENSION,
    BenefitKind.PREMIUM_PENSION,
    BenefitKind.GUARANTEE_PENSION,
    BenefitKind.INCOME_PENSION_SUPPLEMENT,
)
WHOLE_ONLY = (BenefitKind.GUARANTEE_PENSION, BenefitKind.INCOME_PENSION_SUPPLEMENT)
CHANGEABLE_PARTS = (BenefitKind.INCOME_PENSION, BenefitKind.PREMIUM_PENSION)
MAX_EXTRA_PER_MONTH = Decimal("100000")
_MONTH = re.compile(r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$")
_DIGITS = re.compile(r"^[0-9]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_PERSONAL_NUMBER = re.compile(r"^[0-9]{12}$")


class DocumentError(ValueError):
    """A document was refused; ``errors`` maps each field (a dotted path) to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class CivilStatusAnswer(models.TextChoices):
    """Civil status as the application asks it: what decides the guarantee pension's level and whether
    survivor protection may be chosen."""

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


class HousingKind(models.TextChoices):
    """The kind of home a housing-supplement application is for (what its housing cost is made of)."""

    RENTED = "rented", _("A rented home")
    TENANT_OWNED = "tenant_owned", _("A tenant-owned flat (bostadsrätt)")
    OWNED = "owned", _("A house I own")


class WithdrawalChangeKind(models.TextChoices):
    """What a change of withdrawal does."""

    SHARE = "share", _("A new withdrawal share")
    PAUSE = "pause", _("A pause in the withdrawal")
    STOP = "stop", _("Stop the withdrawal")


@dataclasses.dataclass(frozen=True, slots=True)
class PartChoice:
    """One part applied for, from the first day of ``start_month``, with its withdrawal share in per cent."""

    benefit: str
    start_month: dt.date
    share: int


@dataclasses.dataclass(frozen=True, slots=True)
class SwedishAccount:
    """A Swedish bank account: the bank's name, clearing number and account number (digits only)."""

    bank_name: str
    clearing_number: str
    account_number: str


@dataclasses.dataclass(frozen=True, slots=True)
class ForeignAccount:
    """An account abroad: IBAN and BIC (upper case, without spaces)."""

    iban: str
    bic: str


@dataclasses.dataclass(frozen=True, slots=True)
class TaxWithholding:
    """The tax withholding chosen; ``extra_per_month`` is kronor above the table (0 unless ``extra``)."""

    kind: str
    extra_per_month: Decimal = Decimal(0)


@dataclasses.dataclass(frozen=True, slots=True)
class OldAgePensionApplication:
    """An application for old-age pension (ansökan om allmän ålderspension)."""

    applicant: str
    parts: tuple[PartChoice, ...]
    survivor_protection: bool
    civil_status: str
    living_abroad: bool
    country: str
    tax_withholding: TaxWithholding
    payment_account: SwedishAccount | ForeignAccount

    def part(self, benefit: str) -> PartChoice | None:
        """The choice for ``benefit``, or None when it is not applied for."""
        return next((p for p in self.parts if p.benefit == benefit), None)

    @property
    def first_month(self) -> dt.date:
        """The first month any part is applied from."""
        return min(p.start_month for p in self.parts)


@dataclasses.dataclass(frozen=True, slots=True)
class WithdrawalChange:
    """A change of withdrawal (ändrat uttag) of income and/or premium pension from ``from_month``."""

    applicant: str
    parts: tuple[str, ...]
    change: str
    share: int | None
    from_month: dt.date

    @property
    def first_month(self) -> dt.date:
        """The month the change applies from."""
        return self.from_month


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentAccountChange:
    """A new account for the pension."""

    applicant: str
    payment_account: SwedishAccount | ForeignAccount
    first_month: None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TaxWithholdingChange:
    """A new tax withholding."""

    applicant: str
    tax_withholding: TaxWithholding
    first_month: None = None


@dataclasses.dataclass(frozen=True, slots=True)
class HousingSupplementApplication:
    """An application for housing supplement (and maintenance support) from ``from_month``; amounts in
    whole kronor, the couple's together for the married and cohabiting."""

    applicant: str
    from_month: dt.date
    civil_status: str
    housing_kind: str
    housing_cost_per_month: int
    occupational_pension_per_month: int
    earned_income_per_month: int
    capital_income_per_year: int
    assets: int
    first_month: None = None  # decided within the handling time, not by a first payment month

    @property
    def married(self) -> bool:
        """Whether the couple's rules apply (married, registered partner or cohabiting)."""
        return self.civil_status != CivilStatusAnswer.SINGLE


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
    | PaymentAccountChange
    | TaxWithholdingChange
    | HousingSupplementApplication
)


# --- Reading ------------------------------------------------------------------------------------------


class _Reader:
    """Reads fields of a JSON object, collecting what is wrong under dotted paths."""

    def __init__(self, data: Any, path: str, errors: dict[str, str], allowed: set[str]) -> None:
        self.errors = errors
        self.path = path
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            errors[path or "document"] = "must be a JSON object"
        for key in sorted(set(self.data) - allowed):
            errors[self.name(key)] = "is not a known field"

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(self.name(key), message)

    def raw(self, key: str) -> Any:
        if key not in self.data:
            if self.ok:
                self.fail(key, "is required")
            return None
        return self.data[key]

    def text(self, key: str, *, max_length: int, pattern: re.Pattern[str] | None = None, blank: bool = False) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(key, "must be text")
            return ""
        if not value and blank:
            return ""
        if not value.strip():
            self.fail(key, "is required")
        elif len(value) > max_length:
            self.fail(key, f"must be at most {max_length} characters")
        elif pattern is not None and not pattern.fullmatch(value):
            self.fail(key, "is not in the expected form")
        return value

    def choice(self, key: str, choices: tuple[str, ...] | list[str]) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if value not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}")
            return ""
        return str(value)

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if value is not None and not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value is True

    def month(self, key: str) -> dt.date:
        value = self.text(key, max_length=7, pattern=_MONTH)
        if self.name(key) in self.errors:
            return dt.date(1900, 1, 1)
        return dt.date(int(value[:4]), int(value[5:]), 1)

    def kronor(self, key: str) -> int:
        value = self.raw(key)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HOUSEHOLD_AMOUNT:
            self.fail(key, "must be a whole number of kronor, not negative")
            return 0
        return int(value)

    def share(self, key: str) -> int:
        value = self.raw(key)
        if value is None:
            return 0
        if isinstance(value, bool) or value not in SHARES:
            self.fail(key, "must be 25, 50, 75 or 100")
            return 0
        return int(value)


def _month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _account(data: Any, path: str, errors: dict[str, str]) -> SwedishAccount | ForeignAccount:
    """The account, checked by the banks' rules and ISO 13616 (``kernel.bank_accounts``, decision 0103)."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "foreign":
        reader = _Reader(data, path, errors, {"kind", "iban", "bic"})
        iban = reader.text("iban", max_length=34, pattern=_IBAN)
        bic = reader.text("bic", max_length=11, pattern=_BIC)
        if iban and bic and not {reader.name("iban"), reader.name("bic")} & set(errors):
            try:
                foreign_account(iban, bic)
            except BankAccountError as error:
                reader.fail("bic" if error.problem.value.startswith("bic") else "iban", f"is refused ({error.problem})")
        return ForeignAccount(iban=iban, bic=bic)
    reader = _Reader(data, path, errors, {"kind", "bank_name", "clearing_number", "account_number"})
    if kind != "swedish":
        reader.fail("kind", "must be swedish or foreign")
    bank = reader.text("bank_name", max_length=60)
    clearing = reader.text("clearing_number", max_length=5, pattern=_DIGITS)
    account = reader.text("account_number", max_length=15, pattern=_DIGITS)
    if clearing and account and not {reader.name("clearing_number"), reader.name("account_number")} & set(errors):
        try:
            # The person confirms an account whose check digit cannot be verified before signing it.
            swedish_account(clearing, account, accept_unverifiable=True)
        except BankAccountError as error:
            field = "clearing_number" if error.problem.value.startswith("clearing") else "account_number"
            reader.fail(field, f"is refused ({error.problem})")
    return SwedishAccount(bank_name=bank.strip(), clearing_number=clearing, account_number=account)


def _tax(data: Any, path: str, errors: dict[str, str]) -> TaxWithholding:
    reader = _Reader(data, path, errors, {"kind", "extra_per_month"})
    kind = reader.choice("kind", TaxWithholdingKind.values)
    extra = Decimal(0)
    raw = reader.data.get("extra_per_month", "0")
    try:
        extra = (
            Decimal(str(raw)) if isinstance(raw, str | int | Decimal) and not isinstance(raw, bool) else Decimal("NaN")
        )
    except InvalidOperation:
        extra = Decimal("NaN")
    exponent = extra.as_tuple().exponent
    if (
        not extra.is_finite()
        or not Decimal(0) <= extra <= MAX_EXTRA_PER_MONTH
        or (isinstance(exponent, int) and exponent < -2)
    ):
        reader.fail("extra_per_month", f"must be an amount from 0 to {MAX_EXTRA_PER_MONTH} with at most two decimals")
        extra = Decimal(0)
    if kind == TaxWithholdingKind.EXTRA and extra <= 0:
        reader.fail("extra_per_month", "must be more than 0 for extra tax")
    if kind and kind != TaxWithholdingKind.EXTRA and extra != 0:
        reader.fail("extra_per_month", "is only given with extra tax")
    return TaxWithholding(kind=kind, extra_per_month=extra.quantize(Decimal("0.01")))


def _old_age_pension(reader: _Reader, applicant: str) -> OldAgePensionApplication:
    errors = reader.errors
    parts: list[PartChoice] = []
    raw_parts = reader.raw("parts")
    if raw_parts is not None and (not isinstance(raw_parts, list) or not raw_parts):
        reader.fail("parts", "must be a list of at least one part")
    for index, item in enumerate(raw_parts if isinstance(raw_parts, list) else []):
        part = _Reader(item, f"parts.{index}", errors, {"benefit", "start_month", "share"})
        benefit = part.choice("benefit", [str(b) for b in APPLICABLE_PARTS])
        choice = PartChoice(benefit=benefit, start_month=part.month("start_month"), share=part.share("share"))
        if benefit in WHOLE_ONLY and choice.share not in (0, 100):
            part.fail("share", "must be 100: this part is only taken whole")
        if benefit and any(p.benefit == benefit for p in parts):
            part.fail("benefit", "is applied for twice")
        parts.append(choice)
    civil_status = reader.choice("civil_status", CivilStatusAnswer.values)
    survivor = reader.boolean("survivor_protection")
    if survivor and not any(p.benefit == BenefitKind.PREMIUM_PENSION for p in parts):
        reader.fail("survivor_protection", "is only chosen with premium pension")
    if survivor and civil_status in (CivilStatusAnswer.SINGLE, CivilStatusAnswer.COHABITING):
        reader.fail(
            "survivor_protection", "is only for the married and those cohabiting with a former spouse or common child"
        )
    abroad = reader.boolean("living_abroad")
    country = reader.text("country", max_length=2, pattern=_COUNTRY, blank=True)
    if abroad and not country:
        reader.fail("country", "is required when living abroad")
    if not abroad and country:
        reader.fail("country", "is only given when living abroad")
    if country == "SE":
        reader.fail("country", "must be a country other than Sweden")
    tax = _tax(reader.raw("tax_withholding"), reader.name("tax_withholding"), errors)
    if tax.kind == TaxWithholdingKind.SINK and not abroad:
        reader.fail("tax_withholding.kind", "SINK is only for people living abroad")
    account = _account(reader.raw("payment_account"), reader.name("payment_account"), errors)
    return OldAgePensionApplication(
        applicant=applicant,
        parts=tuple(parts),
        survivor_protection=survivor,
        civil_status=civil_status,
        living_abroad=abroad,
        country=country,
        tax_withholding=tax,
        payment_account=account,
    )


def _withdrawal_change(reader: _Reader, applicant: str) -> WithdrawalChange:
    raw_parts = reader.raw("parts")
    names = [str(b) for b in CHANGEABLE_PARTS]
    if raw_parts is not None and (
        not isinstance(raw_parts, list) or not raw_parts or any(p not in names for p in raw_parts)
    ):
        reader.fail("parts", f"must list one or both of {', '.join(names)}")
    parts = tuple(p for p in names if isinstance(raw_parts, list) and p in raw_parts)
    change = reader.choice("change", WithdrawalChangeKind.values)
    share: int | None = None
    if change == WithdrawalChangeKind.SHARE:
        share = reader.share("share")
    elif reader.data.get("share") is not None:
        reader.fail("share", "is only given with a new share")
    return WithdrawalChange(
        applicant=applicant, parts=parts, change=change, share=share, from_month=reader.month("from_month")
    )


def _housing_supplement(reader: _Reader, applicant: str) -> HousingSupplementApplication:
    return HousingSupplementApplication(
        applicant=applicant,
        from_month=reader.month("from_month"),
        civil_status=reader.choice("civil_status", CivilStatusAnswer.values),
        housing_kind=reader.choice("housing_kind", HousingKind.values),
        housing_cost_per_month=reader.kronor("housing_cost_per_month"),
        occupational_pension_per_month=reader.kronor("occupational_pension_per_month"),
        earned_income_per_month=reader.kronor("earned_income_per_month"),
        capital_income_per_year=reader.kronor("capital_income_per_year"),
        assets=reader.kronor("assets"),
    )


def _payment_account_change(reader: _Reader, applicant: str) -> PaymentAccountChange:
    account = _account(reader.raw("payment_account"), "payment_account", reader.errors)
    return PaymentAccountChange(applicant=applicant, payment_account=account)


def _tax_withholding_change(reader: _Reader, applicant: str) -> TaxWithholdingChange:
    tax = _tax(reader.raw("tax_withholding"), "tax_withholding", reader.errors)
    return TaxWithholdingChange(applicant=applicant, tax_withholding=tax)


_READERS: dict[str, Callable[[_Reader, str], Application]] = {
    CaseType.OLD_AGE_PENSION: _old_age_pension,
    CaseType.WITHDRAWAL_CHANGE: _withdrawal_change,
    CaseType.PAYMENT_ACCOUNT_CHANGE: _payment_account_change,
    CaseType.TAX_WITHHOLDING_CHANGE: _tax_withholding_change,
    CaseType.HOUSING_SUPPLEMENT: _housing_supplement,
}


_FIELDS: dict[str, set[str]] = {
    CaseType.OLD_AGE_PENSION: {
        "parts", "survivor_protection", "civil_status", "living_abroad", "country", "tax_withholding",
        "payment_account",
    },
    CaseType.WITHDRAWAL_CHANGE: {"parts", "change", "share", "from_month"},
    CaseType.PAYMENT_ACCOUNT_CHANGE: {"payment_account"},
    CaseType.TAX_WITHHOLDING_CHANGE: {"tax_withholding"},
    CaseType.HOUSING_SUPPLEMENT: {"from_month", "civil_status", "housing_kind", *HOUSEHOLD_AMOUNTS},
}  # fmt: skip


def document_read(case_type: str, canonical_bytes: bytes) -> Application:
    """The typed view of a signed document of ``case_type``; raises :class:`DocumentError`.

    The bytes must be the canonical form (RFC 8785) of the envelope ``{"kind", "version", "content"}`` with
    the kind of ``case_type`` (``DOCUMENT_KINDS``) and version 1; errors in the content are named by their
    path in it.
    """
    if case_type not in _FIELDS:
        raise DocumentError({"case_type": "is not a signed case type"})
    try:
        envelope = json.loads(canonical_bytes.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise DocumentError({"document": "is not UTF-8 JSON"}) from None
    if not isinstance(envelope, dict) or set(envelope) != {"kind", "version", "content"}:
        raise DocumentError({"document": "must be an object of kind, version and content"})
    if envelope["kind"] != DOCUMENT_KINDS[case_type]:
        raise DocumentError({"kind": f"must be {DOCUMENT_KINDS[case_type]}"})
    if envelope["version"] != DOCUMENT_VERSION or isinstance(envelope["version"], bool):
        raise DocumentError({"version": f"must be {DOCUMENT_VERSION}"})
    try:
        canonical = rfc8785.dumps(json.loads(canonical_bytes))
    except (ValueError, rfc8785.CanonicalizationError):
        canonical = b""
    if canonical != canonical_bytes:
        raise DocumentError({"document": "is not in canonical form (RFC 8785)"})
    errors: dict[str, str] = {}
    # ``on_behalf``: who signed for the applicant under a power of attorney, checked with it (``powers``).
    reader = _Reader(envelope["content"], "", errors, {"applicant", "on_behalf"} | _FIELDS[case_type])
    applicant = reader.text("applicant", max_length=12, pattern=_PERSONAL_NUMBER)
    application = _READERS[case_type](reader, applicant)
    if errors:
        raise DocumentError(errors)
    return application


# --- Writing ------------------------------------------------------------------------------------------


def _account_data(account: SwedishAccount | ForeignAccount) -> dict[str, Any]:
    if isinstance(account, ForeignAccount):
        return {"kind": "foreign", "iban": account.iban, "bic": account.bic}
    return {
        "kind": "swedish",
        "bank_name": account.bank_name,
        "clearing_number": account.clearing_number,
        "account_number": account.account_number,
    }


def _tax_data(tax: TaxWithholding) -> dict[str, Any]:
    return {"kind": tax.kind, "extra_per_month": str(tax.extra_per_month)}


def application_data(application: Application) -> dict[str, Any]:
    """The document's fields as JSON-ready data (months "YYYY-MM", money as decimal strings); without
    ``kind`` and ``version``, which the case carries."""
    data: dict[str, Any] = {"applicant": application.applicant}
    if isinstance(application, OldAgePensionApplication):
        data |= {
            "parts": [
                {"benefit": p.benefit, "start_month": _month_text(p.start_month), "share": p.share}
                for p in application.parts
            ],
            "survivor_protection": application.survivor_protection,
            "civil_status": application.civil_status,
            "living_abroad": application.living_abroad,
            "country": application.country,
            "tax_withholding": _tax_data(application.tax_withholding),
            "payment_account": _account_data(application.payment_account),
        }
    elif isinstance(application, WithdrawalChange):
        data |= {
            "parts": list(application.parts),
            "change": application.change,
            "share": application.share,
            "from_month": _month_text(application.from_month),
        }
    elif isinstance(application, PaymentAccountChange):
        data["payment_account"] = _account_data(application.payment_account)
    elif isinstance(application, HousingSupplementApplication):
        data |= {
            "from_month": _month_text(application.from_month),
            "civil_status": application.civil_status,
            "housing_kind": application.housing_kind,
        } | {name: getattr(application, name) for name in HOUSEHOLD_AMOUNTS}
    else:
        data["tax_withholding"] = _tax_data(application.tax_withholding)
    return data
