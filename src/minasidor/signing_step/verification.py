"""A kept signature checked again, offline, from what the back office keeps of it (the case's signed document
and its evidence) and the signing root alone: nothing is asked of BankID or anyone else.

The record must name a method this portal signs with; one of the signature service is checked by
:func:`minasidor.signing.sigservice.kept_response_verify` (the service's signature over its response, the
signer's certificate chain, the signature over the document's hash); a BankID signature by
:func:`minasidor.signing.bankid_evidence.evidence_verify` (the hash recomputed from the canonical bytes, the
XML signature, the chain to the root and the OCSP response judged at the time the bank vouched for the
certificate). The JSON form (:func:`kept_from_json`) is the back office's: ``{"document": {kind, version,
canonical_bytes (base64), sha256, summary}, "evidence": {method, signer_identifier, signed_at, signature,
ocsp_response, sign_response, signer_certificate}}``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
from typing import Any

from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing import sigservice
from minasidor.signing.bankid_evidence import SignatureEvidence as BankIdEvidence
from minasidor.signing.bankid_evidence import SignatureRefusedError, certificate_good_at, evidence_verify
from minasidor.signing.documents import DocumentError, SignableDocument, document_from_canonical


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class KeptSignature:
    """A signed document as the back office keeps it, with its evidence."""

    kind: str
    version: int
    canonical_bytes: bytes = dataclasses.field(repr=False)
    sha256: str
    summary: str = dataclasses.field(repr=False)
    evidence: SignatureEvidence | None


def kept_signature_verify(
    kept: KeptSignature, *, root_file: str, service: sigservice.Service | None = None
) -> SignableDocument:
    """The signed document if the kept signature holds; :class:`SignatureRefusedError` (with the reason)
    otherwise. A BankID signature is checked against ``root_file`` (BankID's signing root), one made at the
    signature service against ``service`` (its response-signing certificates and its CA's root)."""
    evidence = kept.evidence
    if evidence is None:
        raise SignatureRefusedError("the document is kept without evidence of a signature")
    if evidence.method == SignatureMethod.SIGNATURE_SERVICE:
        return _service_signature_verify(kept, evidence, service=service)
    if evidence.method != SignatureMethod.BANKID:
        raise SignatureRefusedError(f"signatures made by {evidence.method} cannot be checked here")
    record = BankIdEvidence(
        method="bankid",
        signer=evidence.signer_identifier,
        order_ref="",
        document_kind=kept.kind,
        document_version=kept.version,
        document_hash=kept.sha256,
        canonical=kept.canonical_bytes,
        summary=kept.summary,
        signature=evidence.signature,
        ocsp_response=evidence.ocsp_response,
        certificate_good_at=certificate_good_at(evidence.ocsp_response),
        completed_at=evidence.signed_at,
    )
    return evidence_verify(record, root_file=root_file)


def _service_signature_verify(
    kept: KeptSignature, evidence: SignatureEvidence, *, service: sigservice.Service | None
) -> SignableDocument:
    if service is None:
        raise SignatureRefusedError("no signature service is configured to check its signatures against")
    try:
        document = document_from_canonical(kept.canonical_bytes, summary=kept.summary)
    except DocumentError as error:
        raise SignatureRefusedError(f"the kept document: {error}") from error
    if (document.kind.value, document.version, document.hash_hex) != (kept.kind, kept.version, kept.sha256):
        raise SignatureRefusedError("the kept document is not the one the record names")
    try:
        sigservice.kept_response_verify(
            sign_response=evidence.sign_response,
            signer_identifier=evidence.signer_identifier,
            document_digest=document.digest,
            service=service,
        )
    except sigservice.SignResponseRefusedError as error:
        raise SignatureRefusedError(error.reason) from error
    return document


def kept_from_json(data: dict[str, Any]) -> KeptSignature:
    """A kept signature from its JSON form; :class:`SignatureRefusedError` if it is not one."""
    try:
        document, evidence = data["document"], data["evidence"]
        return KeptSignature(
            kind=str(document["kind"]),
            version=int(document["version"]),
            canonical_bytes=base64.b64decode(document["canonical_bytes"], validate=True),
            sha256=str(document["sha256"]),
            summary=str(document["summary"]),
            evidence=SignatureEvidence(
                method=SignatureMethod(evidence["method"]),
                signer_identifier=str(evidence["signer_identifier"]),
                signed_at=dt.datetime.fromisoformat(evidence["signed_at"]),
                signature=str(evidence["signature"]),
                ocsp_response=str(evidence["ocsp_response"]),
                sign_response=str(evidence.get("sign_response", "")),
                signer_certificate=str(evidence.get("signer_certificate", "")),
            ),
        )
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise SignatureRefusedError("the file is not a kept signature (document and evidence)") from error
