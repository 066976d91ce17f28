"""Test factories: a signature as the signing step hands it to its caller, standing in for a real signing.

Nothing here is a signature (the values are base64 of plain words, test only), and only test personal numbers
sign.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client

from kernel import clock
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import REQUEST_KEY, SIGNATURES_KEY, PendingRequest, Signature, SigningMethod

STAND_IN_SIGNATURE = "c2lnbmF0dXJl"  # "signature" in base64: test only, not a signature


def stand_in_signature(
    document: SignableDocument,
    *,
    signer: str,
    method: SigningMethod = "bankid",
    at: dt.datetime | None = None,
    signature: str = STAND_IN_SIGNATURE,
) -> Signature:
    """``signer``'s signature of ``document`` made ``at`` (now) by ``method``, as the step hands it over."""
    at = at or clock.now()
    if method == "bankid":
        evidence = SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=signer,
            signed_at=at,
            signature=signature,
            ocsp_response="b2NzcA==",  # "ocsp": test only
        )
    else:
        evidence = SignatureEvidence(
            method=SignatureMethod.SIGNATURE_SERVICE,
            signer_identifier=signer,
            signed_at=at,
            signature=signature,
            ocsp_response="",
            sign_response="cmVzcG9uc2U=",  # "response": test only
            signer_certificate="-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        )
    return Signature(method=method, document=document, evidence=evidence, signed_at=at, signer=signer)


def signing_stood_in(
    client: Client, *, signer: str, method: SigningMethod = "bankid", signature: str = STAND_IN_SIGNATURE
) -> SignableDocument:
    """Stand in for the signing step the caller just sent the browser to: ``signer``'s signature of the document
    it asked for waits in the client's session for the caller's ``signature_take``; the document comes back."""
    session = client.session
    document = PendingRequest.from_session(session[REQUEST_KEY]).document
    signed = stand_in_signature(document, signer=signer, method=method, signature=signature)
    session[SIGNATURES_KEY] = {**(session.get(SIGNATURES_KEY) or {}), document.hash_hex: signed.to_session()}
    session.save()
    return document
