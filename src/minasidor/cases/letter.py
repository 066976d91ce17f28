"""The decision letter (beslutsbrev) of a decided application — for old-age pension, a change of pension
withdrawal or housing supplement — as a sealed, tagged PDF.

What the letter says is what the back office fixed when the case handler decided: the decision entry of the
case's append-only history holds the outcome, each part with its share, the month it is paid from and its
amount a month as the grant wrote it into the register, the first payment, the reasons and the handler's
reference (docs/decisions/0155); for a change of withdrawal also what was changed (a new share, a pause, a
stop), for housing supplement the month it is paid from and the amounts a month of housing supplement and
maintenance support (decision 0234). The portal lays it out with the PDF pipeline of every document (``ui.pdf``,
PDF/UA-1, decision 0080) in the person's language for letters (Swedish unless they chose English), and seals
it with the authority's PAdES seal as the receipt is (decision 0102). How to ask for a review: within two
months of receiving the decision (shared reference, services §1.5; docs/applying.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minasidor.registers.types import CaseDetail, CaseEventKind, CaseType, DecisionOutcome

LETTER_TEMPLATE = "cases/pdf/decision_letter.html"
LETTER_CASE_TYPES = (CaseType.OLD_AGE_PENSION, CaseType.WITHDRAWAL_CHANGE, CaseType.HOUSING_SUPPLEMENT)
REVIEW_MONTHS = 2

TITLES = {
    CaseType.OLD_AGE_PENSION: _("Decision on your application for old-age pension"),
    CaseType.WITHDRAWAL_CHANGE: _("Decision on your change of pension withdrawal"),
    CaseType.HOUSING_SUPPLEMENT: _("Decision on your application for housing supplement"),
}

PART_NAMES = {
    "income_pension": _("Income pension"),
    "supplementary_pension": _("Supplementary pension"),
    "premium_pension": _("Premium pension"),
    "guarantee_pension": _("Guarantee pension"),
    "income_pension_supplement": _("Income pension supplement"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class LetterPart:
    """One part as decided: its share, the first day it is paid for and its amount a month before tax."""

    benefit: str
    share: int
    payable_from: dt.date
    monthly_amount: Decimal

    @property
    def name(self) -> str:
        return str(PART_NAMES.get(self.benefit, self.benefit))


@dataclasses.dataclass(frozen=True, slots=True)
class LetterPayment:
    """The first payment the decision planned."""

    payment_date: dt.date
    gross: Decimal
    tax: Decimal
    net: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class HousingAmounts:
    """What a granted housing supplement pays a month before tax from ``payable_from``."""

    payable_from: dt.date
    housing_supplement: Decimal
    maintenance_support: Decimal

    @property
    def total(self) -> Decimal:
        return self.housing_supplement + self.maintenance_support


@dataclasses.dataclass(frozen=True, slots=True)
class DecisionLetter:
    """What a decision letter says, read from the case's decision entry. ``change`` is what a change of
    withdrawal did (``share``, ``pause`` or ``stop``; "" for other cases); ``housing`` the amounts a granted
    housing supplement pays."""

    case_id: str
    case_type: CaseType
    decided_at: dt.datetime
    received_at: dt.datetime
    outcome: DecisionOutcome
    reasons: str
    handler_reference: str
    parts: tuple[LetterPart, ...]
    first_payment: LetterPayment | None
    survivor_protection: bool | None
    change: str = ""
    housing: HousingAmounts | None = None

    @property
    def title(self) -> str:
        return str(TITLES[self.case_type])

    @property
    def case_reference(self) -> str:
        return self.case_id[:8].upper()

    @property
    def paid_parts(self) -> tuple[LetterPart, ...]:
        return tuple(part for part in self.parts if part.monthly_amount > 0)

    @property
    def unpaid_parts(self) -> tuple[LetterPart, ...]:
        return tuple(part for part in self.parts if part.monthly_amount <= 0)


class NoDecisionLetterError(LookupError):
    """The case has no decision letter (not decided, or a kind of case whose decision has none here)."""


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _parts(payload: Any) -> tuple[LetterPart, ...]:
    order = list(PART_NAMES)
    parts = [
        LetterPart(
            benefit=str(part.get("benefit", "")),
            share=int(part.get("share", 0)),
            payable_from=dt.date.fromisoformat(part["payable_from"]),
            monthly_amount=_amount(part.get("monthly_amount")),
        )
        for part in payload.get("parts", ())
        if isinstance(part, dict) and isinstance(part.get("payable_from"), str)
    ]
    return tuple(sorted(parts, key=lambda p: order.index(p.benefit) if p.benefit in order else len(order)))


def _first_payment(payload: Any) -> LetterPayment | None:
    payments = [
        p for p in payload.get("payments", ()) if isinstance(p, dict) and isinstance(p.get("payment_date"), str)
    ]
    if not payments:
        return None
    first = min(payments, key=lambda p: p["payment_date"])
    return LetterPayment(
        payment_date=dt.date.fromisoformat(first["payment_date"]),
        gross=_amount(first.get("gross")),
        tax=_amount(first.get("tax")),
        net=_amount(first.get("net")),
    )


def _housing(payload: Any) -> HousingAmounts | None:
    payable_from = payload.get("payable_from")
    if not isinstance(payable_from, str):
        return None
    return HousingAmounts(
        payable_from=dt.date.fromisoformat(payable_from),
        housing_supplement=_amount(payload.get("housing_supplement_per_month")),
        maintenance_support=_amount(payload.get("maintenance_support_per_month")),
    )


def decision_letter_of(detail: CaseDetail) -> DecisionLetter:
    """The letter of the case's decision; raises :class:`NoDecisionLetterError` when there is none."""
    summary = detail.summary
    if summary.case_type not in LETTER_CASE_TYPES:
        raise NoDecisionLetterError("this kind of case has no decision letter")
    decisions = [event for event in detail.history if event.kind == CaseEventKind.DECISION]
    if not decisions:
        raise NoDecisionLetterError("the case is not decided")
    decision = max(decisions, key=lambda event: event.sequence)
    payload = decision.payload
    outcome = payload.get("outcome")
    if outcome not in DecisionOutcome.values:
        raise NoDecisionLetterError("the decision has no outcome")
    survivor = payload.get("survivor_protection")
    granted = outcome == DecisionOutcome.GRANTED
    case_type = CaseType(summary.case_type)
    return DecisionLetter(
        case_id=str(summary.case_id),
        case_type=case_type,
        decided_at=decision.occurred_at,
        received_at=summary.opened_at,
        outcome=DecisionOutcome(outcome),
        reasons=decision.text,
        handler_reference=str(payload.get("handler_reference", "")),
        parts=_parts(payload) if granted else (),
        first_payment=_first_payment(payload) if granted else None,
        survivor_protection=survivor if isinstance(survivor, bool) else None,
        change=str(payload.get("change", "")) if case_type == CaseType.WITHDRAWAL_CHANGE else "",
        housing=_housing(payload) if granted and case_type == CaseType.HOUSING_SUPPLEMENT else None,
    )


def decision_letter_pdf(letter: DecisionLetter, *, name: str, personal_number: str, language: str) -> bytes:
    """The sealed decision letter in ``language`` (Swedish or English) for the person called ``name``."""
    # The PDF and seal libraries are heavy: loaded when a letter is made, not with the case pages.
    from minasidor.signing.configured import configured_sealer  # noqa: PLC0415
    from minasidor.signing.seal import pdf_seal  # noqa: PLC0415
    from minasidor.ui.pdf import language_checked, pdf_render  # noqa: PLC0415

    with translation.override(language_checked(language)):
        context = {
            "title": letter.title,
            "letter": letter,
            "name": name,
            "personal_number": personal_number,
            "review_months": REVIEW_MONTHS,
        }
        pdf = pdf_render(LETTER_TEMPLATE, context)
        reason = gettext("Decision letter issued by the authority")
    return pdf_seal(pdf, sealer=configured_sealer(), reason=reason, location="Sverige")
