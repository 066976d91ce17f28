"""A BankID signature of a document: the checks of a completed sign order, and the evidence kept of it.

A sign order is sent with the document's summary as ``userVisibleData`` and its hash as
``userNonVisibleData`` (:mod:`minasidor.signing.documents`). When ``collect`` says ``complete``,
:func:`sign_completion_check` accepts the signature only if

1. ``completionData.user.personalNumber`` is the person who asked to sign (the logged-in person);
2. the XML signature and its certificate chain verify to the configured BankID signing root, the
   certificate names that person, and the OCSP response is good, for that certificate, from its issuer's
   responder and made for this signature — the login's checks, called from
   :mod:`minasidor.identity.contrib.bankid.rp.verify` (decision 0074);
3. the signed ``usrVisibleData`` and ``usrNonVisibleData``, read from the part of the XML the signature
   covers, are exactly the summary and the hash we sent.

It returns the :class:`SignatureEvidence` to keep with the case: the signer, the document's canonical
bytes and hash, the signature and OCSP response as BankID gave them, and the times. :func:`evidence_verify`
checks a kept record again, offline, from the record alone and the signing root: the hash is recomputed
from the canonical bytes, and the certificates are judged at the time the issuing bank's OCSP response
vouched for them (its ``thisUpdate``), so a signature still verifies after the certificate has expired.

Not checked: BankID's ``funcId`` for sign orders (its value is unconfirmed; decision 0025), and whether an
order was collected twice (the signing flow keeps one order per document and refuses a replay). Any
refusal is a :class:`SignatureRefusedError` whose ``reason`` is for operators, never for the citizen.
Django-free (decision 0101).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hmac
from typing import Any, Literal

from cryptography.x509 import ocsp
from lxml import etree

from minasidor.identity.contrib.bankid.rp.types import CompletionData
from minasidor.identity.contrib.bankid.rp.verify import ProofRejectedError, completion_proof_check, verified_signed_data
from minasidor.signing.documents import DocumentError, SignableDocument, document_from_canonical

BANKID_TYPES = "{http://www.bankid.com/signature/v1.0.0/types}"
EVIDENCE_FORMAT = 1


class SignatureRefusedError(Exception):
    """The signature does not prove that the person signed this document (``reason`` is for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SignatureEvidence:
    """What is kept of one signature, enough to verify it again without anything else but the signing root."""

    method: Literal["bankid"]
    signer: str = dataclasses.field(repr=False)  # the personal number the certificate names
    order_ref: str
    document_kind: str
    document_version: int
    document_hash: str  # SHA-256 of ``canonical``, lower-case hex
    canonical: bytes = dataclasses.field(repr=False)
    summary: str = dataclasses.field(repr=False)  # the text the signer's app showed
    signature: str = dataclasses.field(repr=False)  # completionData.signature, base64 XML, as received
    ocsp_response: str = dataclasses.field(repr=False)  # completionData.ocspResponse, base64 DER, as received
    certificate_good_at: dt.datetime  # the OCSP response's thisUpdate: when the bank vouched for the certificate
    completed_at: dt.datetime  # when the portal collected the completed order

    def to_json(self) -> dict[str, Any]:
        """The record as JSON values (bytes in base64, times in ISO 8601 UTC) for the back office to store."""
        return {
            "format": EVIDENCE_FORMAT,
            "method": self.method,
            "signer": self.signer,
            "orderRef": self.order_ref,
            "documentKind": self.document_kind,
            "documentVersion": self.document_version,
            "documentHash": self.document_hash,
            "canonical": base64.b64encode(self.canonical).decode("ascii"),
            "summary": self.summary,
            "signature": self.signature,
            "ocspResponse": self.ocsp_response,
            "certificateGoodAt": self.certificate_good_at.isoformat(),
            "completedAt": self.completed_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignatureEvidence:
        """A stored record read back; :class:`SignatureRefusedError` if it is not one."""
        try:
            if data["format"] != EVIDENCE_FORMAT or data["method"] != "bankid":
                raise SignatureRefusedError("the record is not BankID evidence of a known format")
            return cls(
                method="bankid",
                signer=str(data["signer"]),
                order_ref=str(data["orderRef"]),
                document_kind=str(data["documentKind"]),
                document_version=int(data["documentVersion"]),
                document_hash=str(data["documentHash"]),
                canonical=base64.b64decode(data["canonical"], validate=True),
                summary=str(data["summary"]),
                signature=str(data["signature"]),
                ocsp_response=str(data["ocspResponse"]),
                certificate_good_at=dt.datetime.fromisoformat(data["certificateGoodAt"]),
                completed_at=dt.datetime.fromisoformat(data["completedAt"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as error:
            raise SignatureRefusedError("the record cannot be read") from error


def sign_completion_check(
    *,
    completion: CompletionData,
    order_ref: str,
    document: SignableDocument,
    signer: str,
    root_file: str,
    completed_at: dt.datetime,
) -> SignatureEvidence:
    """The evidence of a completed sign order of ``document`` by the person ``signer`` (a personal number),
    or :class:`SignatureRefusedError`. Certificates are judged now."""
    if not hmac.compare_digest(completion.user.personal_number, signer):
        raise SignatureRefusedError("another person signed")
    good_at = _certificate_good_at(completion.ocsp_response)
    _check_signature(
        signature=completion.signature,
        ocsp_response=completion.ocsp_response,
        signer=signer,
        document=document,
        root_file=root_file,
        at=None,
    )
    return SignatureEvidence(
        method="bankid",
        signer=signer,
        order_ref=order_ref,
        document_kind=document.kind.value,
        document_version=document.version,
        document_hash=document.hash_hex,
        canonical=document.canonical,
        summary=document.summary,
        signature=completion.signature,
        ocsp_response=completion.ocsp_response,
        certificate_good_at=good_at,
        completed_at=completed_at,
    )


def evidence_verify(evidence: SignatureEvidence, *, root_file: str) -> SignableDocument:
    """Check a kept record from itself and the signing root; returns the signed document, or raises
    :class:`SignatureRefusedError`. The certificates are judged at the OCSP response's ``thisUpdate``."""
    try:
        document = document_from_canonical(evidence.canonical, summary=evidence.summary)
    except DocumentError as error:
        raise SignatureRefusedError(f"the kept document: {error}") from error
    if (document.kind.value, document.version) != (evidence.document_kind, evidence.document_version):
        raise SignatureRefusedError("the kept document is of another kind or version than the record says")
    if not hmac.compare_digest(document.hash_hex, evidence.document_hash):
        raise SignatureRefusedError("the kept document's hash is not the recorded one")
    good_at = _certificate_good_at(evidence.ocsp_response)
    if good_at != evidence.certificate_good_at:
        raise SignatureRefusedError("the recorded time is not the OCSP response's")
    _check_signature(
        signature=evidence.signature,
        ocsp_response=evidence.ocsp_response,
        signer=evidence.signer,
        document=document,
        root_file=root_file,
        at=good_at,
    )
    return document


def _check_signature(
    *,
    signature: str,
    ocsp_response: str,
    signer: str,
    document: SignableDocument,
    root_file: str,
    at: dt.datetime | None,
) -> None:
    try:
        completion_proof_check(
            signature_b64=signature, ocsp_b64=ocsp_response, personal_number=signer, root_file=root_file, at=at
        )
        signed = verified_signed_data(signature, root_file=root_file, at=at)
    except ProofRejectedError as error:
        raise SignatureRefusedError(error.reason) from error
    if _signed_value(signed, "usrVisibleData") != document.summary.encode("utf-8"):
        raise SignatureRefusedError("the signed text is not the document's summary")
    if _signed_value(signed, "usrNonVisibleData") != document.non_visible_data:
        raise SignatureRefusedError("the signed hash is not the document's")


def _signed_value(signed: etree._Element, name: str) -> bytes:
    """The decoded base64 of one child of ``bankIdSignedData`` (empty when it is missing)."""
    element = signed.find(f"{BANKID_TYPES}{name}")
    if element is None or not element.text:
        return b""
    try:
        return base64.b64decode("".join(element.text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureRefusedError(f"the signed {name} is not base64") from error


def certificate_good_at(ocsp_b64: str) -> dt.datetime:
    """When the issuing bank's OCSP response vouched for the certificate (its ``thisUpdate``), or
    :class:`SignatureRefusedError` when the response cannot be read."""
    return _certificate_good_at(ocsp_b64)


def _certificate_good_at(ocsp_b64: str) -> dt.datetime:
    try:
        response = ocsp.load_der_ocsp_response(base64.b64decode(ocsp_b64, validate=True))
        return response.this_update_utc
    except (binascii.Error, ValueError) as error:
        raise SignatureRefusedError("the OCSP response cannot be read") from error
