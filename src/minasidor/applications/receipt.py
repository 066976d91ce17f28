"""The receipt of a signed application: a tagged PDF of what was applied for and when, sealed by the authority.

Made from the signed bytes kept in the outbox (the one source of what was applied for), by the portal's PDF
pipeline (``ui.pdf``, PDF/UA-1, decision 0080), then sealed with the authority's PAdES seal
(``signing.configured.configured_sealer``, decision 0102): any PDF signature validator can check that the
authority issued it and that not a byte has changed since. Only a sent application has a receipt: the
receipt says when the application reached the authority.
"""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext

from kernel.personal_number import PersonalNumber
from minasidor.applications.documents import application_answers
from minasidor.applications.housing_documents import housing_answers
from minasidor.applications.models import SignedApplication
from minasidor.applications.withdrawal_documents import change_answers
from minasidor.registers.codec import application as application_of
from minasidor.registers.types import (
    CaseType,
    HousingSupplementApplication,
    OldAgePensionApplication,
    WithdrawalChange,
)
from minasidor.signing.configured import configured_sealer
from minasidor.signing.seal import pdf_seal
from minasidor.ui.pdf import language_checked, pdf_render

RECEIPT_TEMPLATE = "applications/pdf/receipt.html"


Applied = OldAgePensionApplication | WithdrawalChange | HousingSupplementApplication


def _application(row: SignedApplication) -> Applied:
    content = json.loads(bytes(row.canonical_bytes))["content"]
    application = application_of(CaseType(row.case_type), content)
    if not isinstance(application, Applied):
        raise ValueError(f"no receipt for an application of type {row.case_type}")
    return application


def _title_and_answers(application: Applied) -> tuple[str, list[tuple[str, str]]]:
    """The receipt's title and the answers it repeats, in the active language."""
    if isinstance(application, OldAgePensionApplication):
        return gettext("Receipt: application for old-age pension"), application_answers(application)
    if isinstance(application, HousingSupplementApplication):
        return gettext("Receipt: application for housing supplement"), housing_answers(application)
    return gettext("Receipt: change of pension withdrawal"), change_answers(application)


def receipt_pdf(row: SignedApplication, *, name: str, language: str) -> bytes:
    """The sealed receipt of the sent application ``row`` in ``language``, for the person called ``name``."""
    if row.case_id is None or row.sent_at is None:
        raise ValueError("an application not yet received has no receipt")
    application = _application(row)
    number: PersonalNumber = application.applicant
    with translation.override(language_checked(language)):
        title, answers = _title_and_answers(application)
        if row.signed_by_delegate:  # decision 0216: signed for the person under their power of attorney
            signer = gettext("%(name)s, with their own e-ID, with a power of attorney") % {
                "name": row.signed_by_delegate
            }
            answers = [*answers, (gettext("Signed by"), signer)]
        context = {
            "title": title,
            "name": name,
            "personal_number": number.formatted(),
            "case_reference": str(row.case_id)[:8].upper(),
            "case_id": str(row.case_id),
            "received_at": row.sent_at,
            "signed_at": row.signed_at,
            "method": row.evidence.get("method", ""),
            "sha256": row.sha256,
            "answers": answers,
        }
        pdf = pdf_render(RECEIPT_TEMPLATE, context)
        reason = gettext("Receipt of an application received by the authority")
    return pdf_seal(pdf, sealer=configured_sealer(), reason=reason, location="Sverige")
