"""Requirement: the portal's request to the signature service is a signed DSS SignRequest of the profile
naming the signer, the identity provider, the level and the document's hash; a SignResponse is accepted only
when it answers that request, in time, signed by the service, for the same person, over exactly our hash.
A response for another request id, another signer, another hash, an expired one and one signed by another
key are each refused; a kept response verifies again offline; the request and the response validate against
the published OASIS DSS core and DSS extension schemas."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing.sigservice import (
    NSMAP,
    PERSONAL_NUMBER,
    PROFILE,
    Requester,
    SentRequest,
    Service,
    Signer,
    SignResponseRefusedError,
    digest_of_signed_attributes,
    kept_response_verify,
    sign_request_build,
    sign_response_check,
)
from minasidor.signing.tests.dss_schema import schema_errors
from simulators.sigservice.keys import ServiceKeys, key_pem, pem
from simulators.sigservice.service import Authenticated, respond

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TOLVAN = "191212121212"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
IDP = "http://swedish-eid.test/idp"


@pytest.fixture(scope="module")
def keys() -> ServiceKeys:
    return ServiceKeys.generate(now=NOW)


@pytest.fixture(scope="module")
def requester() -> Requester:
    other = ServiceKeys.generate(now=NOW)  # any key and certificate will do for the portal's side
    return Requester(
        entity_id="http://portal.test/sp", key_pem=key_pem(other.signing_key), cert_pem=pem(other.signing_cert)
    )


def _service(keys: ServiceKeys) -> Service:
    return Service(
        entity_id="http://sigservice.test",
        url="http://sigservice.test/sign",
        signing_certs_pem=(pem(keys.signing_cert),),
        ca_root_pem=pem(keys.ca_cert),
    )


def _document() -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE, version=1, content={"account": "6789-123456789"}, summary="Nytt konto"
    )


SIGNER = Signer(personal_number=TOLVAN, prid=None, identity_provider=IDP, level_of_assurance=LOA3)
TOLVAN_AT_IDP = Authenticated(
    attributes={PERSONAL_NUMBER: TOLVAN},
    identifier=TOLVAN,
    given_name="Tolvan",
    surname="Tolvansson",
    identity_provider=IDP,
    level_of_assurance=LOA3,
)


def _request(keys: ServiceKeys, requester: Requester, document: SignableDocument | None = None) -> SentRequest:
    return sign_request_build(
        requester=requester,
        service=_service(keys),
        signer=SIGNER,
        document_digest=(document or _document()).digest,
        sign_message="# Nytt konto\n\nDu ändrar kontot för din pension.",
        return_url="https://portal.test/sign/svar/",
        now=NOW,
    )


def _check(keys: ServiceKeys, sent: SentRequest, response: bytes, *, now: dt.datetime = NOW) -> object:
    return sign_response_check(
        base64.b64encode(response).decode("ascii"),
        sent=sent,
        service=_service(keys),
        signer=SIGNER,
        accepted_levels=(LOA3,),
        now=now,
    )


def _respond(
    keys: ServiceKeys,
    requester: Requester,
    request_xml: bytes,
    *,
    person: Authenticated | None = TOLVAN_AT_IDP,
    now: dt.datetime = NOW,
    **wrong: Any,
) -> bytes:
    """The test service's answer to ``request_xml``: Tolvan signed, now (``person`` None: cancelled); ``wrong``
    makes an answer that a correct client must refuse (see :func:`simulators.sigservice.service.respond`)."""
    return respond(request_xml, keys=keys, requester_cert_pem=requester.cert_pem, person=person, now=now, **wrong)


def test_the_request_is_a_signed_sign_request_of_the_profile(keys: ServiceKeys, requester: Requester) -> None:
    document = _document()
    sent = _request(keys, requester, document)
    root = etree.fromstring(sent.xml)
    assert root.tag == f"{{{NSMAP['dss']}}}SignRequest"
    assert root.get("Profile") == PROFILE
    assert root.get("RequestID") == sent.request_id
    assert len(sent.request_id) >= 32
    inputs = root.find("dss:OptionalInputs", NSMAP)
    assert inputs is not None
    assert etree.QName(inputs[-1]).localname == "Signature", "the signature is the last of the optional inputs"
    extension = inputs.find("csig:SignRequestExtension", NSMAP)
    assert extension is not None
    assert extension.findtext("csig:Signer/saml:Attribute/saml:AttributeValue", namespaces=NSMAP) == TOLVAN
    assert extension.findtext("csig:IdentityProvider", namespaces=NSMAP) == IDP
    assert extension.findtext("csig:CertRequestProperties/saml:AuthnContextClassRef", namespaces=NSMAP) == LOA3
    message = extension.findtext("csig:SignMessage/csig:Message", namespaces=NSMAP) or ""
    assert base64.b64decode(message).decode() == "# Nytt konto\n\nDu ändrar kontot för din pension."
    tbs = base64.b64decode(root.findtext(".//csig:ToBeSignedBytes", namespaces=NSMAP) or "")
    assert digest_of_signed_attributes(tbs) == document.digest


def test_a_good_response_proves_the_signature_and_verifies_offline(keys: ServiceKeys, requester: Requester) -> None:
    document = _document()
    sent = _request(keys, requester, document)
    response = _respond(keys, requester, sent.xml)
    signature = _check(keys, sent, response)
    assert dataclasses.asdict(signature)["signer_identifier"] == TOLVAN  # type: ignore[call-overload]
    kept = base64.b64encode(response).decode("ascii")
    assert kept_response_verify(
        sign_response=kept, signer_identifier=TOLVAN, document_digest=document.digest, service=_service(keys)
    ) == NOW.replace(microsecond=0)
    with pytest.raises(SignResponseRefusedError, match="another document"):
        kept_response_verify(
            sign_response=kept,
            signer_identifier=TOLVAN,
            document_digest=_document().digest[::-1],
            service=_service(keys),
        )
    with pytest.raises(SignResponseRefusedError, match="another person"):
        kept_response_verify(
            sign_response=kept,
            signer_identifier="199908072391",
            document_digest=document.digest,
            service=_service(keys),
        )


def test_a_response_for_another_request_id_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    response = _respond(keys, requester, sent.xml, request_id_override="f" * 40)
    with pytest.raises(SignResponseRefusedError, match="another request"):
        _check(keys, sent, response)


def test_a_response_quoting_another_request_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent, other = _request(keys, requester), _request(keys, requester)
    response = _respond(keys, requester, other.xml, request_id_override=sent.request_id)
    with pytest.raises(SignResponseRefusedError, match="not ours"):
        _check(keys, sent, response)


def test_a_certificate_for_another_signer_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    someone_else = dataclasses.replace(TOLVAN_AT_IDP, identifier="199908072391")
    response = _respond(keys, requester, sent.xml, person=someone_else)
    with pytest.raises(SignResponseRefusedError, match="another person"):
        _check(keys, sent, response)


def test_the_service_refuses_another_person_and_so_does_the_portal(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    astrid = dataclasses.replace(TOLVAN_AT_IDP, attributes={PERSONAL_NUMBER: "199908072391"}, identifier="199908072391")
    response = _respond(keys, requester, sent.xml, person=astrid)
    assert b"user-mismatch" in response
    with pytest.raises(SignResponseRefusedError, match="did not sign"):
        _check(keys, sent, response)


def test_a_response_whose_authentication_names_another_signer_is_refused(
    keys: ServiceKeys, requester: Requester
) -> None:
    """A service that signed for whoever logged in (it did not match the request's Signer): the attributes it
    reports from its authentication are another person's, even though the certificate it issued names ours."""
    sent = _request(keys, requester)
    astrid_with_tolvans_certificate = dataclasses.replace(TOLVAN_AT_IDP, attributes={PERSONAL_NUMBER: "199908072391"})
    response = _respond(keys, requester, sent.xml, person=astrid_with_tolvans_certificate, check_signer=False)
    assert b"Success" in response
    with pytest.raises(SignResponseRefusedError, match="another person than the signer asked for"):
        _check(keys, sent, response)


def test_a_signature_over_another_hash_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    other = _request(
        keys,
        requester,
        signable_document(kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE, version=1, content={"a": 2}, summary="x"),
    )
    response = _respond(keys, requester, sent.xml, sign_other_bytes=other.to_be_signed)
    with pytest.raises(SignResponseRefusedError, match="another hash"):
        _check(keys, sent, response)


def test_an_expired_response_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    late = _respond(keys, requester, sent.xml, response_time=NOW + dt.timedelta(minutes=10))
    with pytest.raises(SignResponseRefusedError, match="outside the request's time"):
        _check(keys, sent, late)
    good = _respond(keys, requester, sent.xml)
    with pytest.raises(SignResponseRefusedError, match="expired"):
        _check(keys, sent, good, now=NOW + dt.timedelta(minutes=10))


def test_the_service_refuses_an_expired_request(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    response = _respond(keys, requester, sent.xml, now=NOW + dt.timedelta(minutes=5))
    assert b"req-expired" in response


def test_a_response_signed_by_another_key_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    impostor = dataclasses.replace(keys, signing_key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    response = _respond(impostor, requester, sent.xml)
    with pytest.raises(SignResponseRefusedError, match="not signed by the service"):
        _check(keys, sent, response)


def test_a_tampered_response_is_refused(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    response = _respond(keys, requester, sent.xml)
    tampered = response.replace(LOA3.encode(), b"http://id.elegnamnden.se/loa/1.0/loa2")
    assert tampered != response
    with pytest.raises(SignResponseRefusedError, match="not signed by the service"):
        _check(keys, sent, tampered)


def test_the_service_refuses_a_request_signed_by_another_key(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    response = respond(sent.xml, keys=keys, requester_cert_pem=pem(keys.signing_cert), person=TOLVAN_AT_IDP, now=NOW)
    assert b"security-violation" in response


def test_a_cancelled_signing_is_told_apart(keys: ServiceKeys, requester: Requester) -> None:
    sent = _request(keys, requester)
    response = _respond(keys, requester, sent.xml, person=None)
    with pytest.raises(SignResponseRefusedError) as refused:
        _check(keys, sent, response)
    assert refused.value.cancelled


def test_the_request_and_the_response_validate_against_the_published_schemas(
    keys: ServiceKeys, requester: Requester
) -> None:
    """OASIS DSS 1.0 core and the framework's DSS extension 1.1.3, as published (``official_schemas/``)."""
    sent = _request(keys, requester)
    assert schema_errors(sent.xml) == []
    response = _respond(keys, requester, sent.xml)
    assert schema_errors(response) == []
    cancelled = _respond(keys, requester, sent.xml, person=None)
    assert schema_errors(cancelled) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ((b"<csig:RequestTime>", b"<csig:SignService>x</csig:SignService><csig:RequestTime>"), "Unexpected child"),
        ((b'SigType="CMS"', b'SigType="DOCX"'), "value must be one of"),
        ((b'CertType="PKC"', b'CertType="X"'), "value must be one of"),
        ((b'Profile="', b'Bogus="1" Profile="'), "not allowed"),
    ],
)
def test_the_published_schemas_hold_the_request_strictly(
    keys: ServiceKeys, requester: Requester, change: tuple[bytes, bytes], reason: str
) -> None:
    """The extension's elements inside DSS core's open optional inputs and documents are checked by their own
    declarations (order, enumerations), not let through as unknown content."""
    sent = _request(keys, requester)
    assert change[0] in sent.xml
    errors = schema_errors(sent.xml.replace(*change))
    assert len(errors) == 1
    assert reason in errors[0]
