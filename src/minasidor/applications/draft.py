"""The application being filled in: a draft kept in the server-side session only, for the person who wrote it.

The draft holds the answers as plain JSON values (the session's serialiser), one key per question. It lives
as long as the session (logout, timeout and another person's login end it; decision 0042 keeps the page's
own answers across a timeout, see ``views``), and is dropped once the application is signed. Answers that a
later change makes impossible (a share for a part no longer applied for, survivor protection after a change
of civil status, SINK after moving back to Sweden) are dropped by :meth:`Draft.normalised`, so the summary
never shows an answer the rules would refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from kernel.personal_number import PersonalNumber
from minasidor.identity.types import Identity
from minasidor.pension_data.application import MARRIED_ANSWERS, ApplicationWindow
from minasidor.registers.types import (
    CivilStatusAnswer,
    ForeignAccount,
    OldAgePensionApplication,
    PartChoice,
    PensionPart,
    SwedishAccount,
    TaxWithholding,
    TaxWithholdingKind,
)

SESSION_KEY = "applications.draft"
INCOME_BASED = (PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION)
GUARANTEE_PARTS = (PensionPart.GUARANTEE_PENSION, PensionPart.INCOME_PENSION_SUPPLEMENT)


class Step(enum.StrEnum):
    """The application's pages in order; the value is the page's URL name in ``applications``."""

    PARTS = "parts"
    INCOME_PENSION = "income-pension"
    PREMIUM_PENSION = "premium-pension"
    CIVIL_STATUS = "civil-status"
    SURVIVOR_PROTECTION = "survivor-protection"
    LIVING_ABROAD = "living-abroad"
    TAX = "tax"
    ACCOUNT = "account"


STEP_OF_PART = {PensionPart.INCOME_PENSION: Step.INCOME_PENSION, PensionPart.PREMIUM_PENSION: Step.PREMIUM_PENSION}


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def month_text(day: dt.date) -> str:
    """A month as the draft and the forms write it: ``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclasses.dataclass(frozen=True, slots=True)
class Draft:
    """The answers so far (None: not answered).

    ``starts`` maps an income-based part to ``(month "YYYY-MM", share)``; ``account`` is
    ``{"kind": "swedish", "bank_name", "clearing_number", "account_number"}`` or
    ``{"kind": "foreign", "iban", "bic"}``, already checked by the banks' rules when kept.
    """

    parts: tuple[str, ...] | None = None
    starts: dict[str, tuple[str, int]] = dataclasses.field(default_factory=dict)
    civil_status: str | None = None
    survivor_protection: bool | None = None
    living_abroad: bool | None = None
    country: str = ""
    tax_kind: str | None = None
    extra_per_month: str = "0.00"
    account: dict[str, str] | None = None

    # --- reading the answers ---------------------------------------------------------------------------

    def has(self, part: str) -> bool:
        return self.parts is not None and part in self.parts

    @property
    def survivor_protection_asked(self) -> bool:
        """Survivor protection is asked with premium pension, of the married and those cohabiting as married."""
        return self.has(PensionPart.PREMIUM_PENSION) and self.civil_status in MARRIED_ANSWERS

    def steps(self) -> tuple[Step, ...]:
        """The pages this draft asks, in order (which depend on the answers already given)."""
        steps = [Step.PARTS]
        steps += [STEP_OF_PART[part] for part in INCOME_BASED if self.has(part)]
        steps.append(Step.CIVIL_STATUS)
        if self.survivor_protection_asked:
            steps.append(Step.SURVIVOR_PROTECTION)
        return (*steps, Step.LIVING_ABROAD, Step.TAX, Step.ACCOUNT)

    def answered(self, step: Step) -> bool:
        """Whether the question of ``step`` has an answer."""
        answers = {
            Step.PARTS: self.parts is not None,
            Step.INCOME_PENSION: PensionPart.INCOME_PENSION in self.starts,
            Step.PREMIUM_PENSION: PensionPart.PREMIUM_PENSION in self.starts,
            Step.CIVIL_STATUS: self.civil_status is not None,
            Step.SURVIVOR_PROTECTION: self.survivor_protection is not None,
            Step.LIVING_ABROAD: self.living_abroad is not None,
            Step.TAX: self.tax_kind is not None,
            Step.ACCOUNT: self.account is not None,
        }
        return answers[step]

    def missing(self) -> tuple[Step, ...]:
        """The pages still to answer."""
        return tuple(step for step in self.steps() if not self.answered(step))

    def next_step(self, after: Step, *, returning: bool) -> Step | None:
        """The page after ``after``: the next one in order, or, when the person came from the summary to change
        an answer, the first one still unanswered; None: the summary."""
        if returning:
            missing = self.missing()
            return missing[0] if missing else None
        steps = self.steps()
        later = steps[steps.index(after) + 1 :] if after in steps else ()
        return later[0] if later else None

    def application(self, applicant: PersonalNumber, window: ApplicationWindow) -> OldAgePensionApplication | None:
        """The application these answers make, or None while one is missing.

        Guarantee pension and the supplement are taken whole from the later of the cohort's guarantee-pension
        age and the income-based parts' start (they are paid only with both drawn whole).
        """
        if self.missing() or self.parts is None or self.civil_status is None or self.tax_kind is None:
            return None
        if self.account is None or self.living_abroad is None:
            return None
        chosen = [
            PartChoice(PensionPart(p), _month(self.starts[p][0]), self.starts[p][1])
            for p in INCOME_BASED
            if self.has(p)
        ]
        guarantee_from = max([window.guarantee_from, *(c.start_month for c in chosen)])
        chosen += [PartChoice(PensionPart(p), guarantee_from, 100) for p in GUARANTEE_PARTS if self.has(p)]
        account: SwedishAccount | ForeignAccount
        if self.account["kind"] == "foreign":
            account = ForeignAccount(iban=self.account["iban"], bic=self.account["bic"])
        else:
            account = SwedishAccount(
                bank_name=self.account["bank_name"],
                clearing_number=self.account["clearing_number"],
                account_number=self.account["account_number"],
            )
        return OldAgePensionApplication(
            applicant=applicant,
            parts=tuple(chosen),
            survivor_protection=bool(self.survivor_protection) and self.survivor_protection_asked,
            civil_status=CivilStatusAnswer(self.civil_status),
            living_abroad=self.living_abroad,
            country=self.country if self.living_abroad else "",
            tax_withholding=TaxWithholding(
                kind=TaxWithholdingKind(self.tax_kind),
                extra_per_month=Decimal(self.extra_per_month)
                if self.tax_kind == TaxWithholdingKind.EXTRA
                else Decimal(0),
            ),
            payment_account=account,
        )

    # --- changing the answers --------------------------------------------------------------------------

    def normalised(self, window: ApplicationWindow) -> Draft:
        """The draft without answers the others now make impossible (see the module's docstring)."""
        parts = self.parts
        if parts is not None and not window.guarantee_possible:
            parts = tuple(p for p in parts if p not in GUARANTEE_PARTS) or None
        allowed = {m.isoformat()[:7] for m in window.months}
        starts = {
            part: value
            for part, value in self.starts.items()
            if parts is not None and part in parts and value[0] in allowed
        }
        draft = dataclasses.replace(self, parts=parts, starts=starts)
        if not draft.survivor_protection_asked:
            draft = dataclasses.replace(draft, survivor_protection=None)
        if not draft.living_abroad:
            draft = dataclasses.replace(draft, country="")
            if draft.tax_kind == TaxWithholdingKind.SINK:
                draft = dataclasses.replace(draft, tax_kind=None)
        if draft.account is not None and draft.living_abroad is not None:
            wanted = "foreign" if draft.living_abroad else "swedish"
            if draft.account.get("kind") != wanted:
                draft = dataclasses.replace(draft, account=None)
        return draft

    def to_session(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["parts"] = None if self.parts is None else list(self.parts)
        data["starts"] = {part: [month, share] for part, (month, share) in self.starts.items()}
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Draft:
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in fields}
        if values.get("parts") is not None:
            values["parts"] = tuple(values["parts"])
        values["starts"] = {part: (str(v[0]), int(v[1])) for part, v in (values.get("starts") or {}).items()}
        return cls(**values)


def draft_get(session: SessionBase, identity: Identity) -> Draft:
    """The person's draft in this session (an empty one when there is none, or it is someone else's)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("subject") != identity.pseudonym:
        return Draft()
    try:
        return Draft.from_session(kept.get("answers") or {})
    except (KeyError, TypeError, ValueError, IndexError):
        return Draft()


def draft_keep(session: SessionBase, identity: Identity, draft: Draft) -> None:
    """Keep ``draft`` in the session for ``identity``."""
    session[SESSION_KEY] = {"subject": identity.pseudonym, "answers": draft.to_session()}
