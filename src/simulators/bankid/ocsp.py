"""A real OCSP response for a user certificate (``completionData.ocspResponse``).

Signed by an OCSP responder certificate issued by the same CA as the user's certificate; its nonce
extension is BankID's: SHA-1 over the base64 signature string, followed by 12 random bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from simulators.bankid.ca import Issued


def bankid_nonce(signature_b64: str) -> bytes:
    """SHA-1 of the base64 signature (as UTF-8) followed by 12 random bytes: 32 bytes."""
    return hashlib.sha1(signature_b64.encode("utf-8")).digest() + secrets.token_bytes(12)  # noqa: S324


def ocsp_response(
    *,
    user_cert: x509.Certificate,
    issuer: x509.Certificate,
    responder: Issued,
    signature_b64: str,
    now: dt.datetime,
) -> bytes:
    """A DER OCSP response saying ``good`` for ``user_cert``."""
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=user_cert,
            issuer=issuer,
            algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash most OCSP clients expect
            cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=now,
            next_update=None,
            revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.cert)
        .certificates([responder.cert])
        .add_extension(x509.OCSPNonce(bankid_nonce(signature_b64)), critical=False)
    )
    response = builder.sign(responder.key, hashes.SHA256())
    return response.public_bytes(serialization.Encoding.DER)
