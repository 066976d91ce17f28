"""The document the person signs for an application: its canonical content and the summary BankID shows.

The content is ``registers.codec.application_content`` of the typed application (what the back office reads
back, decision 0039), wrapped and hashed by ``signing.documents.signable_document`` (decision 0100). The
summary is plain text in BankID's simpleMarkdownV1, in the page's language: a heading, then one line per
answer, short enough for BankID's limit (1 500 characters after base64).
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.personal_number import PersonalNumber
from minasidor.applications.forms import country_name, month_label
from minasidor.registers.codec import application_content
from minasidor.registers.types import (
    CivilStatusAnswer,
    ForeignAccount,
    OldAgePensionApplication,
    PensionPart,
    TaxWithholdingKind,
)
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document

DOCUMENT_VERSION = 1

_PARTS = {
    PensionPart.INCOME_PENSION: gettext_lazy("Income pension"),
    PensionPart.PREMIUM_PENSION: gettext_lazy("Premium pension"),
    PensionPart.GUARANTEE_PENSION: gettext_lazy("Guarantee pension"),
    PensionPart.INCOME_PENSION_SUPPLEMENT: gettext_lazy("Income-pension supplement"),
}


def application_answers(application: OldAgePensionApplication) -> list[tuple[str, str]]:
    """The application's answers as (question, answer) in the active language: the summary signed, and the
    receipt, say the same."""
    answers: list[tuple[str, str]] = [
        (
            str(_PARTS[part.part]),
            _("%(share)s per cent from %(month)s") % {"share": part.share, "month": month_label(part.start_month)},
        )
        for part in application.parts
    ]
    statuses = dict(CivilStatusAnswer.choices)
    answers.append((_("Civil status"), str(statuses[application.civil_status])))
    if PensionPart.PREMIUM_PENSION in {p.part for p in application.parts} and application.civil_status in (
        CivilStatusAnswer.MARRIED,
        CivilStatusAnswer.COHABITING_AS_MARRIED,
    ):
        answers.append((_("Survivor protection"), _("Yes") if application.survivor_protection else _("No")))
    country = country_name(application.country) if application.living_abroad else _("Sweden")
    answers.append((_("Country you live in"), country))
    tax = application.tax_withholding
    taxes = {
        TaxWithholdingKind.TABLE: _("By the tax table"),
        TaxWithholdingKind.THIRTY_PERCENT: _("30 per cent"),
        TaxWithholdingKind.SINK: _("SINK, 25 per cent"),
        TaxWithholdingKind.EXTRA: _("By the tax table plus %(amount)s kronor a month")
        % {"amount": f"{tax.extra_per_month:.2f}"},
    }
    answers.append((_("Tax"), taxes[tax.kind]))
    account = application.payment_account
    if isinstance(account, ForeignAccount):
        answers.append((_("Payment account"), f"IBAN {account.iban}, BIC {account.bic}"))
    else:
        number = f"{account.bank_name} {account.clearing_number}, {account.account_number}"
        answers.append((_("Payment account"), number))
    return answers


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OnBehalf:
    """Who signs an application for the applicant under the applicant's power of attorney (decision 0216)."""

    delegate: PersonalNumber
    delegate_name: str
    grantor_name: str
    power_reference: str
    power_sha256: str

    def content(self) -> dict[str, str]:
        """The signed content's ``on_behalf`` block, as the back office checks it against the power."""
        return {
            "delegate": self.delegate.value,
            "delegate_name": self.delegate_name,
            "power_of_attorney": self.power_reference,
            "power_sha256": self.power_sha256,
        }


def on_behalf_heading(on_behalf: OnBehalf | None) -> list[str]:
    """The summary's first lines when a delegate signs (none otherwise): every application says it the same way."""
    if on_behalf is None:
        return []
    return [
        _("On behalf of %(grantor)s, signed by %(delegate)s (%(number)s) with a power of attorney.")
        % {
            "grantor": on_behalf.grantor_name,
            "delegate": on_behalf.delegate_name,
            "number": on_behalf.delegate.formatted(),
        },
        "",
    ]


def with_on_behalf(content: dict[str, Any], on_behalf: OnBehalf | None) -> dict[str, Any]:
    """``content`` with its ``on_behalf`` block when a delegate signs (decision 0216)."""
    if on_behalf is not None:
        content["on_behalf"] = on_behalf.content()
    return content


def _summary(application: OldAgePensionApplication, on_behalf: OnBehalf | None) -> str:
    lines = [f"# {_('Application for old-age pension')}", "", *on_behalf_heading(on_behalf)]
    lines += [f"{question}: {answer}" for question, answer in application_answers(application)]
    if on_behalf is None:
        lines += ["", _("I apply for old-age pension as above and confirm that my answers are true.")]
    else:
        lines += [
            "",
            _(
                "I apply for old-age pension as above on behalf of %(grantor)s, with the power of attorney "
                "they gave me, and confirm that the answers are true."
            )
            % {"grantor": on_behalf.grantor_name},
        ]
    return "\n".join(lines)


def application_document(
    application: OldAgePensionApplication, *, language: str, on_behalf: OnBehalf | None = None
) -> SignableDocument:
    """The document to sign for ``application``, its summary in ``language`` ("sv" or "en"); ``on_behalf``:
    signed by a delegate under the applicant's power of attorney, which the content and the summary say."""
    with translation.override(language):
        summary = _summary(application, on_behalf)
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=DOCUMENT_VERSION,
        content=with_on_behalf(application_content(application), on_behalf),
        summary=summary,
    )


def idempotency_key(document_hash: str, personal_number: str) -> str:
    """The key a signed document is submitted under: the same document signed by the same person is one case
    however often it is sent (``pa:`` and the SHA-256 of the document's hash and the personal number)."""
    return "pa:" + hashlib.sha256(f"{document_hash}:{personal_number}".encode("ascii")).hexdigest()
