"""Test helpers: a signed application kept for a person (test personal numbers only)."""

from __future__ import annotations

import uuid

from kernel import clock
from minasidor.applications.documents import idempotency_key
from minasidor.applications.models import SignedApplication
from minasidor.identity.types import Identity
from minasidor.signing.documents import DocumentKind, signable_document


def make_signed_application(identity: Identity, **overrides: object) -> SignedApplication:
    """A pending signed application of ``identity`` (its document names them as the applicant)."""
    assert identity.personal_number is not None
    document = signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content={"applicant": identity.personal_number.value, "nonce": uuid.uuid4().hex},
        summary="# Ansökan om ålderspension",
    )
    now = clock.now()
    values: dict[str, object] = {
        "idempotency_key": idempotency_key(document.hash_hex, identity.personal_number.value),
        "subject_ref": identity.pseudonym,
        "principal_ref": identity.principal.ref,
        "case_type": "old_age_pension",
        "kind": document.kind.value,
        "version": 1,
        "canonical_bytes": document.canonical,
        "sha256": document.hash_hex,
        "summary": document.summary,
        "evidence": {},
        "signed_at": now,
        "kept_at": now,
        "next_attempt_at": now,
    }
    values.update(overrides)
    return SignedApplication.objects.create(**values)
