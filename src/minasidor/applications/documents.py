"""The document the person signs for an application: its canonical content and the summary BankID shows.

The content is ``registers.codec.application_content`` of the typed application (what the back office reads
back, decision 0039), wrapped and hashed by ``signing.documents.signable_document`` (decision 0100). The
summary is plain text in BankID's simpleMarkdownV1, in the page's language: a heading, then one line per
answer, short enough for BankID's limit (1 500 characters after base64).
"""

from __future__ import annotations

import hashlib

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def _summary(application: OldAgePensionApplication) -> str:
    lines = [f"# {_('Application for old-age pension')}", ""]
    lines += [f"{question}: {answer}" for question, answer in application_answers(application)]
    lines += ["", _("I apply for old-age pension as above and confirm that my answers are true.")]
    return "\n".join(lines)


def application_document(application: OldAgePensionApplication, *, language: str) -> SignableDocument:
    """The document to sign for ``application``, its summary in ``language`` ("sv" or "en")."""
    with translation.override(language):
        summary = _summary(application)
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=DOCUMENT_VERSION,
        content=application_content(application),
        summary=summary,
    )


def idempotency_key(document_hash: str, personal_number: str) -> str:
    """The key a signed document is submitted under: the same document signed by the same person is one case
    however often it is sent (``pa:`` and the SHA-256 of the document's hash and the personal number)."""
    return "pa:" + hashlib.sha256(f"{document_hash}:{personal_number}".encode("ascii")).hexdigest()
