"""completionData (§6.9): a real XML signature in BankID's structure that verifies against the test CA,
and a real OCSP response that parses, says good and carries BankID's nonce."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.verifier import XMLVerifier

from simulators.bankid.app_actions import Action, ActionOptions, act, qr_auth_code, scan
from simulators.bankid.ca import CaBundle
from simulators.bankid.clock import ManualClock
from simulators.bankid.completion import SignedCompletion
from simulators.bankid.orders import OrderBook, OrderKind, OrderRequest
from simulators.bankid.testing import TEST_START

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"
TYPES = "{http://www.bankid.com/signature/v1.0.0/types}"
VISIBLE = base64.b64encode("Skriv under ansökan om pension".encode()).decode()
NON_VISIBLE = base64.b64encode(b"case-4711").decode()


@pytest.fixture(scope="module")
def completed(bundle: CaBundle) -> dict[str, object]:
    clock = ManualClock(dt.datetime.now(dt.UTC))
    book = OrderBook(clock=clock, completion=SignedCompletion(ca=bundle))
    order = book.start(
        OrderRequest(
            kind=OrderKind.SIGN,
            end_user_ip="192.0.2.1",
            user_visible_data=VISIBLE,
            user_non_visible_data=NON_VISIBLE,
            rp_subject="CN=Mina sidor RP Testcert,O=Simulated Testbank AB,C=SE",
            rp_display_name="Mina sidor test",
            requirement={"mrtd": True},
            return_risk=True,
        )
    )
    code = qr_auth_code(qr_start_secret=order.qr_start_secret, seconds=0)
    scan(book, qr_data=f"bankid.{order.qr_start_token}.0.{code}", personal_number="191212121212")
    act(book, order_ref=order.order_ref, action=Action.APPROVE, options=ActionOptions(risk="moderate"))
    body = book.collect(order.order_ref)
    assert body["status"] == "complete"
    data: dict[str, object] = body["completionData"]
    return data


def verifier() -> XMLVerifier:
    """signxml's verifier, working around libxml2 2.14's subtree C14N, which emits a spurious
    ``xmlns=""`` on grandchildren of an element with a default namespace (BankID's XML has none)."""
    xml_verifier = XMLVerifier()
    xml_verifier.excise_empty_xmlns_declarations = True
    return xml_verifier


def signature_xml(completed: dict[str, object]) -> bytes:
    return base64.b64decode(str(completed["signature"]))


def test_completion_fields(completed: dict[str, object]) -> None:
    assert completed["user"] == {
        "personalNumber": "191212121212",
        "name": "Tolvan Tolvansson",
        "givenName": "Tolvan",
        "surname": "Tolvansson",
    }
    assert completed["device"]["ipAddress"] == "192.0.2.1"  # type: ignore[index]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(completed["bankIdIssueDate"]))
    assert completed["stepUp"] == {"mrtd": True}
    assert completed["risk"] == "moderate"


def test_signature_verifies_with_signxml_against_signing_root(completed: dict[str, object], bundle: CaBundle) -> None:
    results = verifier().verify(
        signature_xml(completed), ca_pem_file=str(bundle.signing_root_file), expect_references=2
    )
    assert isinstance(results, list)
    ids = sorted(str(result.signed_xml.get("Id")) for result in results if result.signed_xml is not None)
    assert ids == ["bidKeyInfo", "bidSignedData"]


def test_signature_fails_against_another_root(completed: dict[str, object], bundle: CaBundle) -> None:
    with pytest.raises(Exception, match=r"(?i)certificate|verif|candidates exhausted"):
        verifier().verify(signature_xml(completed), ca_pem_file=str(bundle.ssl_root_file), expect_references=2)


def test_raw_text_digests_match_as_at_bankid(completed: dict[str, object], bundle: CaBundle) -> None:
    """BankID's XML is already canonical: hashing the raw substrings gives the digests."""
    text = signature_xml(completed).decode()
    signed_data = re.search(r"<bankIdSignedData.*</bankIdSignedData>", text)
    key_info = re.search(r"<KeyInfo.*</KeyInfo>", text)
    signed_info = re.search(r"<SignedInfo.*</SignedInfo>", text)
    assert signed_data
    assert key_info
    assert signed_info
    digests = re.findall(r"<DigestValue>([^<]+)</DigestValue>", text)
    assert digests == [
        base64.b64encode(hashlib.sha256(part.group(0).encode()).digest()).decode() for part in (signed_data, key_info)
    ]
    root = etree.fromstring(signature_xml(completed))
    first_cert = x509.load_der_x509_certificate(
        base64.b64decode(root.findtext(f"{DSIG}KeyInfo/{DSIG}X509Data/{DSIG}X509Certificate") or "")
    )
    public_key = first_cert.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(
        base64.b64decode(root.findtext(f"{DSIG}SignatureValue") or ""),
        signed_info.group(0).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_structure_and_echoed_data(completed: dict[str, object]) -> None:
    root = etree.fromstring(signature_xml(completed))
    refs = root.findall(f"{DSIG}SignedInfo/{DSIG}Reference")
    assert [ref.get("URI") for ref in refs] == ["#bidSignedData", "#bidKeyInfo"]
    assert refs[0].get("Type") == "http://www.bankid.com/signature/v1.0.0/types"
    data = root.find(f"{DSIG}Object/{TYPES}bankIdSignedData")
    assert data is not None
    assert data.findtext(f"{TYPES}usrVisibleData") == VISIBLE
    assert data.findtext(f"{TYPES}usrNonVisibleData") == NON_VISIBLE
    assert data.findtext(f"{TYPES}clientInfo/{TYPES}funcId") == "Signing"
    name = base64.b64decode(data.findtext(f"{TYPES}srvInfo/{TYPES}name") or "").decode()
    assert name == "CN=Mina sidor RP Testcert,O=Simulated Testbank AB,C=SE"
    certs = root.findall(f"{DSIG}KeyInfo/{DSIG}X509Data/{DSIG}X509Certificate")
    assert len(certs) == 3


def test_user_certificate_names_the_person(completed: dict[str, object], bundle: CaBundle) -> None:
    root = etree.fromstring(signature_xml(completed))
    der = base64.b64decode(root.findtext(f"{DSIG}KeyInfo/{DSIG}X509Data/{DSIG}X509Certificate") or "")
    cert = x509.load_der_x509_certificate(der)
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "191212121212"
    assert cert.issuer == bundle.customer_ca.cert.subject
    cert.verify_directly_issued_by(bundle.customer_ca.cert)


def test_ocsp_response_is_good_signed_by_the_same_issuer_with_bankid_nonce(
    completed: dict[str, object], bundle: CaBundle
) -> None:
    response = ocsp.load_der_ocsp_response(base64.b64decode(str(completed["ocspResponse"])))
    assert response.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status is ocsp.OCSPCertStatus.GOOD
    responder = response.certificates[0]
    assert responder.issuer == bundle.customer_ca.cert.subject
    responder.verify_directly_issued_by(bundle.customer_ca.cert)
    public_key = responder.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    assert response.signature_hash_algorithm is not None
    public_key.verify(
        response.signature, response.tbs_response_bytes, padding.PKCS1v15(), response.signature_hash_algorithm
    )
    nonce = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    assert len(nonce) == 32
    assert nonce[:20] == hashlib.sha1(str(completed["signature"]).encode()).digest()  # noqa: S324


def test_identification_func_id(bundle: CaBundle) -> None:
    book = OrderBook(clock=ManualClock(TEST_START), completion=SignedCompletion(ca=bundle))
    order = book.start(OrderRequest(kind=OrderKind.AUTH, end_user_ip="127.0.0.1", rp_subject="CN=x"))
    code = qr_auth_code(qr_start_secret=order.qr_start_secret, seconds=0)
    scan(book, qr_data=f"bankid.{order.qr_start_token}.0.{code}", personal_number="190000000000")
    act(book, order_ref=order.order_ref, action=Action.APPROVE, options=ActionOptions())
    data = book.collect(order.order_ref)["completionData"]
    root = etree.fromstring(base64.b64decode(data["signature"]))
    assert root.findtext(f"{DSIG}Object/{TYPES}bankIdSignedData/{TYPES}clientInfo/{TYPES}funcId") == "Identification"
    assert "risk" not in data
    assert "stepUp" not in data
