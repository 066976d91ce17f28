"""Submissions for tests: signed applications (canonical JSON, its hash, test-only evidence) and questions."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

KARIN = "196201082697"  # 64, about to retire
AMIR = "195901022995"  # a pensioner with guarantee pension
SARA = "199101012384"  # 35
HANDLER_REF = "handler-17"


def canonical(document: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 (what the portal's signing step makes)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def old_age_document(applicant: str = KARIN, **changes: Any) -> dict[str, Any]:
    """An application for the whole income and premium pension from January 2027, table tax, a Swedish account."""
    document: dict[str, Any] = {
        "kind": "old_age_pension",
        "version": 1,
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
            "bank_name": "Swedbank",
            "clearing_number": "8327",
            "account_number": "9876543210",
        },
    }
    document.update(changes)
    return document


def signed_submission(
    document: dict[str, Any], *, key: str | None = None, signer: str | None = None, case_type: str | None = None
) -> dict[str, Any]:
    """A signed submission of ``document`` as the back office takes it (evidence made up for tests)."""
    raw = canonical(document)
    digest = hashlib.sha256(raw).hexdigest()
    return {
        "case_type": case_type or document["kind"],
        "idempotency_key": key or f"sign:{digest}:{document['applicant']}",
        "document": {
            "kind": document["kind"],
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
