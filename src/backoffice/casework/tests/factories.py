"""Submissions for tests: signed applications (canonical JSON, its hash, test-only evidence) and questions."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import rfc8785

KARIN = "196201082697"  # 64, about to retire
AMIR = "195901022995"  # a pensioner with guarantee pension
SARA = "199101012384"  # 35
HANDLER_REF = "handler-17"


KINDS = {
    "old_age_pension": "pension-application",
    "withdrawal_change": "withdrawal-change",
    "housing_supplement": "housing-supplement-application",
}


def canonical(document: dict[str, Any], case_type: str = "old_age_pension") -> bytes:
    """The canonical envelope of a document's content (RFC 8785), as the portal's signing step makes it."""
    return rfc8785.dumps({"kind": KINDS[case_type], "version": 1, "content": document})


def old_age_document(applicant: str = KARIN, **changes: Any) -> dict[str, Any]:
    """An application for the whole income and premium pension from January 2027, table tax, a Swedish account."""
    document: dict[str, Any] = {
        "applicant": applicant,
        "parts": [
            {"benefit": "income_pension", "start_month": "2027-01", "share": 100},
            {"benefit": "premium_pension", "start_month": "2027-01", "share": 100},
        ],
        "survivor_protection": False,
        "civil_status": "married",
        "living_abroad": False,
        "country": "",
        "tax_withholding": {"kind": "table", "extra_per_month": "0.00"},
        "payment_account": {
            "kind": "swedish",
            "bank_name": "Handelsbanken",
            "clearing_number": "6789",
            "account_number": "123456789",
        },
    }
    document.update(changes)
    return document


def housing_supplement_document(applicant: str = AMIR, **changes: Any) -> dict[str, Any]:
    """An application for housing supplement from December 2026: a single person renting for 6 500 kr."""
    document: dict[str, Any] = {
        "applicant": applicant,
        "from_month": "2026-12",
        "civil_status": "single",
        "housing_kind": "rented",
        "housing_cost_per_month": 6500,
        "occupational_pension_per_month": 0,
        "earned_income_per_month": 0,
        "capital_income_per_year": 0,
        "assets": 0,
    }
    document.update(changes)
    return document


def signed_submission(
    document: dict[str, Any], *, key: str | None = None, signer: str | None = None, case_type: str = "old_age_pension"
) -> dict[str, Any]:
    """A signed submission of the content ``document`` as the back office takes it (test-only evidence)."""
    raw = canonical(document, case_type)
    digest = hashlib.sha256(raw).hexdigest()
    return {
        "case_type": case_type,
        "idempotency_key": key or f"sign:{digest}:{document['applicant']}",
        "document": {
            "kind": KINDS[case_type],
            "version": 1,
            "canonical_bytes": base64.b64encode(raw).decode(),
            "sha256": digest,
            "summary": "Du ansöker om allmän ålderspension.",
        },
        "evidence": {
            "method": "bankid",
            "signer_identifier": signer or document["applicant"],
            "signed_at": "2026-11-28T12:00:00+00:00",
            "signature": base64.b64encode(b"<Signature>test only</Signature>").decode(),
            "ocsp_response": base64.b64encode(b"test-only OCSP response").decode(),
        },
    }


def question(key: str = "question-0000000000000001", text: str = "När kommer mitt beslut?") -> dict[str, Any]:
    """A general question."""
    return {"case_type": "general_question", "idempotency_key": key, "subject": "Min pension", "message": text}
