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
from minasidor.applications.models import SignedApplication
from minasidor.applications.withdrawal_documents import change_answers
from minasidor.registers.codec import application as application_of
from minasidor.registers.types import CaseType, OldAgePensionApplication, WithdrawalChange
from minasidor.signing.configured import configured_sealer
from minasidor.signing.seal import pdf_seal
from minasidor.ui.pdf import language_checked, pdf_render

RECEIPT_TEMPLATE = "applications/pdf/receipt.html"


def _application(row: SignedApplication) -> OldAgePensionApplication | WithdrawalChange:
    content = json.loads(bytes(row.canonical_bytes))["content"]
    application = application_of(CaseType(row.case_type), content)
    if not isinstance(application, OldAgePensionApplication | WithdrawalChange):
        raise ValueError("only an application for old-age pension or a change of withdrawal has this receipt")
    return application


def receipt_pdf(row: SignedApplication, *, name: str, language: str) -> bytes:
    """The sealed receipt of the sent application ``row`` in ``language``, for the person called ``name``."""
    if row.case_id is None or row.sent_at is None:
        raise ValueError("an application not yet received has no receipt")
    application = _application(row)
    number: PersonalNumber = application.applicant
    with translation.override(language_checked(language)):
        context = {
            "title": gettext("Receipt: application for old-age pension")
            if isinstance(application, OldAgePensionApplication)
            else gettext("Receipt: change of pension withdrawal"),
            "name": name,
            "personal_number": number.formatted(),
            "case_reference": str(row.case_id)[:8].upper(),
            "case_id": str(row.case_id),
            "received_at": row.sent_at,
            "signed_at": row.signed_at,
            "method": row.evidence.get("method", ""),
            "sha256": row.sha256,
            "answers": application_answers(application)
            if isinstance(application, OldAgePensionApplication)
            else change_answers(application),
        }
        pdf = pdf_render(RECEIPT_TEMPLATE, context)
        reason = gettext("Receipt of an application received by the authority")
    return pdf_seal(pdf, sealer=configured_sealer(), reason=reason, location="Sverige")
