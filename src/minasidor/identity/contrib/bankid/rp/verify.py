"""Checks of a completed order's proof: the XML signature and the OCSP response, against BankID's root.

BankID's ``completionData`` carries the user's signature (an enveloping XMLDSig over what the app showed
and the certificate chain) and an OCSP response for the user's certificate. A login is accepted only if

1. the signature verifies (both references, ``#bidSignedData`` and ``#bidKeyInfo``; signxml with
   ``excise_empty_xmlns_declarations``, decision 0025) with a certificate whose chain ends in the configured
   BankID signing root (``BANKID_SIGNING_ROOT_FILE``; not the TLS root);
2. that certificate's ``serialNumber`` is the personal number ``collect`` returned;
3. the OCSP response is successful and says ``good`` for exactly that certificate (serial and issuer key),
   is signed by a responder certificate issued by the same CA as the user's (with the OCSP-signing purpose),
   and its nonce begins with SHA-1 of this signature's base64 text (BankID's rule: the response was made
   for this signature).

Anything else raises :class:`ProofRejectedError` (fail closed). See docs/decisions/0074.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from lxml import etree
from signxml.exceptions import InvalidInput, SignXMLException
from signxml.verifier import SignatureConfiguration, VerifyResult, XMLVerifier

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"
KEY_INFO = f"{DSIG}KeyInfo"
SIGNED_DATA = "{http://www.bankid.com/signature/v1.0.0/types}bankIdSignedData"


class ProofRejectedError(Exception):
    """The completion's signature or OCSP response does not prove the login (``reason`` is for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@functools.cache
def _root_file(path: str) -> str:
    """The root file, checked once to hold at least one certificate."""
    if not x509.load_pem_x509_certificates(Path(path).read_bytes()):
        raise ProofRejectedError("the BankID signing root file holds no certificate")
    return path


def completion_proof_check(
    *, signature_b64: str, ocsp_b64: str, personal_number: str, root_file: str, at: dt.datetime | None = None
) -> None:
    """Raise :class:`ProofRejectedError` unless the signature and OCSP response prove ``personal_number``
    (certificates valid ``at``, by default now; a kept signature is checked at the time it was made)."""
    try:
        document = base64.b64decode(signature_b64, validate=True)
        ocsp_der = base64.b64decode(ocsp_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProofRejectedError("signature or OCSP response is not base64") from error
    chain = _verified_chain(document, root_file=_root_file(root_file), at=at)
    user, issuer = chain
    if _serial_number(user) != personal_number:
        raise ProofRejectedError("the signing certificate belongs to another personal number")
    _check_ocsp(ocsp_der, user=user, issuer=issuer, signature_b64=signature_b64)


def verified_signed_data(signature_b64: str, *, root_file: str, at: dt.datetime | None = None) -> etree._Element:
    """The ``bankIdSignedData`` element as the verified signature covers it (what the app showed and signed)."""
    try:
        document = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProofRejectedError("the signature is not base64") from error
    results = _verify(document, root_file=_root_file(root_file), at=at)
    signed = [result.signed_xml for result in results if result.signed_xml is not None]
    data = next((element for element in signed if element.tag == SIGNED_DATA), None)
    if data is None:
        raise ProofRejectedError("the signature does not cover BankID's signed data")
    return data


def _verify(document: bytes, *, root_file: str, at: dt.datetime | None) -> list[VerifyResult]:
    verifier = XMLVerifier()
    verifier.excise_empty_xmlns_declarations = True  # lxml's canonicalisation bug, decision 0025
    config = SignatureConfiguration(verification_time=at)
    try:  # signxml parses without entities, DTDs or network
        verified = verifier.verify(document, ca_pem_file=root_file, expect_config=config, expect_references=2)
    except (SignXMLException, InvalidInput, etree.LxmlError, ValueError) as error:
        raise ProofRejectedError(f"the signature does not verify: {type(error).__name__}") from error
    return verified if isinstance(verified, list) else [verified]


def _verified_chain(
    document: bytes, *, root_file: str, at: dt.datetime | None
) -> tuple[x509.Certificate, x509.Certificate]:
    """The user's certificate and its issuer, from a signature that verifies up to the root."""
    results = _verify(document, root_file=root_file, at=at)
    covered = [result.signed_xml for result in results if result.signed_xml is not None]
    key_info = next((element for element in covered if element.tag == KEY_INFO), None)
    if key_info is None:
        raise ProofRejectedError("the signature does not cover the certificates")
    certificates = [
        x509.load_der_x509_certificate(base64.b64decode("".join((element.text or "").split())))
        for element in key_info.iter(f"{DSIG}X509Certificate")
    ]
    signer = results[0].signature_key
    user = next((cert for cert in certificates if _same_key(cert, signer)), None)
    if user is None:
        raise ProofRejectedError("no certificate in the signature holds the signing key")
    issuer = next((cert for cert in certificates if cert.subject == user.issuer), None)
    if issuer is None:
        raise ProofRejectedError("the signature does not include the user certificate's issuer")
    try:
        user.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise ProofRejectedError("the user certificate's issuer in the signature did not issue it") from error
    return user, issuer


def _same_key(cert: x509.Certificate, key_pem: bytes) -> bool:
    """Whether ``cert`` holds the public key (PEM, as signxml reports it) that verified the signature."""
    pem = serialization.Encoding.PEM
    info = serialization.PublicFormat.SubjectPublicKeyInfo
    return cert.public_key().public_bytes(pem, info).strip() == key_pem.strip()


def _serial_number(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(values[0].value) if values else ""


def _check_ocsp(der: bytes, *, user: x509.Certificate, issuer: x509.Certificate, signature_b64: str) -> None:
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as error:
        raise ProofRejectedError("the OCSP response cannot be read") from error
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise ProofRejectedError(f"the OCSP response is {response.response_status.name}")
    if response.certificate_status is not ocsp.OCSPCertStatus.GOOD:
        raise ProofRejectedError(f"the OCSP response says the certificate is {response.certificate_status.name}")
    if response.serial_number != user.serial_number:
        raise ProofRejectedError("the OCSP response is about another certificate")
    issuer_key = issuer.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    if isinstance(issuer.public_key(), rsa.RSAPublicKey):
        expected = hashlib.new(response.hash_algorithm.name, issuer_key).digest()
        if not hmac.compare_digest(expected, response.issuer_key_hash):
            raise ProofRejectedError("the OCSP response names another issuer")
    _check_responder(response, issuer=issuer)
    try:
        nonce = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound as error:
        raise ProofRejectedError("the OCSP response has no nonce") from error
    expected_nonce = hashlib.sha1(signature_b64.encode("utf-8"), usedforsecurity=False).digest()  # BankID nonce rule
    if not hmac.compare_digest(nonce[: len(expected_nonce)], expected_nonce):
        raise ProofRejectedError("the OCSP response was not made for this signature")


def _check_responder(response: ocsp.OCSPResponse, *, issuer: x509.Certificate) -> None:
    """The response is signed by an OCSP responder certificate that the user's issuer issued."""
    responder = next(iter(response.certificates), None)
    if responder is None:
        raise ProofRejectedError("the OCSP response carries no responder certificate")
    try:
        responder.verify_directly_issued_by(issuer)
        purposes = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound) as error:
        raise ProofRejectedError("the OCSP responder is not one of the user certificate's issuer") from error
    if ExtendedKeyUsageOID.OCSP_SIGNING not in purposes:
        raise ProofRejectedError("the OCSP responder certificate is not for OCSP signing")
    key = responder.public_key()
    algorithm = response.signature_hash_algorithm
    if algorithm is None:
        raise ProofRejectedError("the OCSP response's signature algorithm is not supported")
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        else:
            raise ProofRejectedError("the OCSP responder's key type is not supported")
    except InvalidSignature as error:
        raise ProofRejectedError("the OCSP response's signature does not verify") from error
