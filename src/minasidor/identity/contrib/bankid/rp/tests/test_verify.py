"""Requirement: a completed BankID order becomes a login only if its XML signature and OCSP response prove
the person from the configured BankID signing root; any tampering or mismatch refuses it (fail closed)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from minasidor.identity.contrib.bankid.rp.verify import ProofRejectedError, completion_proof_check
from simulators.bankid import persons
from simulators.bankid.ca import CaBundle, Issued
from simulators.bankid.completion import SignedCompletion
from simulators.bankid.ocsp import ocsp_response
from simulators.bankid.signature import SignedContent, b64, sign_xml
from simulators.bankid.testing import make_ca

TOLVAN = "191212121212"
OTHER = "199908072391"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaBundle:
    return make_ca(tmp_path_factory.mktemp("bankid-proof"))


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> CaBundle:
    return make_ca(tmp_path_factory.mktemp("bankid-other"))


def _user(ca: CaBundle, personal_number: str = TOLVAN) -> Issued:
    person = persons.find_person(personal_number)
    assert person is not None
    return SignedCompletion(ca=ca).user_certificate(person, now=NOW)


def _signature(ca: CaBundle, user: Issued, *, visible: str = "Logga in") -> str:
    content = SignedContent(
        user_visible_data=b64(visible),
        user_non_visible_data=None,
        rp_subject="CN=Mina sidor",
        rp_display_name="Mina sidor",
        func_id="Identification",
        uhi="device",
    )
    chain = [user.cert, ca.customer_ca.cert, ca.bank_ca.cert]
    return b64(sign_xml(content=content, key=user.key, chain=chain, nonce=secrets.token_bytes(16)))


def _ocsp(ca: CaBundle, user: Issued, signature: str, *, responder: Issued | None = None) -> str:
    der = ocsp_response(
        user_cert=user.cert,
        issuer=ca.customer_ca.cert,
        responder=responder or ca.ocsp_responder,
        signature_b64=signature,
        now=NOW,
    )
    return b64(der)


def _check(ca: CaBundle, signature: str, ocsp_b64: str, personal_number: str = TOLVAN) -> None:
    completion_proof_check(
        signature_b64=signature,
        ocsp_b64=ocsp_b64,
        personal_number=personal_number,
        root_file=str(ca.signing_root_file),
    )


def test_a_genuine_proof_is_accepted(ca: CaBundle) -> None:
    user = _user(ca)
    signature = _signature(ca, user)
    _check(ca, signature, _ocsp(ca, user, signature))


def test_a_tampered_signature_is_refused(ca: CaBundle) -> None:
    user = _user(ca)
    signature = _signature(ca, user)
    document = base64.b64decode(signature).replace(b64("Logga in").encode(), b64("Skriv ut").encode())
    tampered = b64(document)
    with pytest.raises(ProofRejectedError, match="does not verify"):
        _check(ca, tampered, _ocsp(ca, user, tampered))


def test_a_signature_from_another_root_is_refused(ca: CaBundle, other_ca: CaBundle) -> None:
    user = _user(other_ca)
    signature = _signature(other_ca, user)
    with pytest.raises(ProofRejectedError, match="does not verify"):
        _check(ca, signature, _ocsp(other_ca, user, signature))


def test_a_signature_of_another_person_is_refused(ca: CaBundle) -> None:
    user = _user(ca, OTHER)
    signature = _signature(ca, user)
    with pytest.raises(ProofRejectedError, match="another personal number"):
        _check(ca, signature, _ocsp(ca, user, signature), personal_number=TOLVAN)


def test_an_ocsp_response_made_for_another_signature_is_refused(ca: CaBundle) -> None:
    user = _user(ca)
    signature, earlier = _signature(ca, user), _signature(ca, user, visible="Tidigare")
    with pytest.raises(ProofRejectedError, match="not made for this signature"):
        _check(ca, signature, _ocsp(ca, user, earlier))


def test_an_ocsp_response_from_a_foreign_responder_is_refused(ca: CaBundle, other_ca: CaBundle) -> None:
    user = _user(ca)
    signature = _signature(ca, user)
    with pytest.raises(ProofRejectedError, match="responder"):
        _check(ca, signature, _ocsp(ca, user, signature, responder=other_ca.ocsp_responder))


def test_a_revoked_certificate_is_refused(ca: CaBundle) -> None:
    user = _user(ca)
    signature = _signature(ca, user)
    nonce = base64.b64decode(_ocsp_nonce(ca, user, signature))
    revoked = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=user.cert,
            issuer=ca.customer_ca.cert,
            algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash OCSP uses
            cert_status=ocsp.OCSPCertStatus.REVOKED,
            this_update=NOW,
            next_update=None,
            revocation_time=NOW,
            revocation_reason=x509.ReasonFlags.key_compromise,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.ocsp_responder.cert)
        .certificates([ca.ocsp_responder.cert])
        .add_extension(x509.OCSPNonce(nonce), critical=False)
        .sign(ca.ocsp_responder.key, hashes.SHA256())
    )
    with pytest.raises(ProofRejectedError, match="REVOKED"):
        _check(ca, signature, b64(revoked.public_bytes(serialization.Encoding.DER)))


def _ocsp_nonce(ca: CaBundle, user: Issued, signature: str) -> str:
    response = ocsp.load_der_ocsp_response(base64.b64decode(_ocsp(ca, user, signature)))
    return b64(response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce)


def test_garbage_is_refused(ca: CaBundle) -> None:
    with pytest.raises(ProofRejectedError):
        _check(ca, "not base64!", "")
    with pytest.raises(ProofRejectedError):
        _check(ca, b64("<Signature/>"), b64(b"\x00"))


def test_a_missing_root_file_refuses_every_login(ca: CaBundle, tmp_path: Path) -> None:
    user = _user(ca)
    signature = _signature(ca, user)
    with pytest.raises(OSError, match="No such file"):
        completion_proof_check(
            signature_b64=signature,
            ocsp_b64=_ocsp(ca, user, signature),
            personal_number=TOLVAN,
            root_file=str(tmp_path / "missing.pem"),
        )
