"""The signature service of the Swedish eID framework, seen from the portal (the Signature Requestor):
a signed DSS ``SignRequest`` with the federation's extension, and the checks of the ``SignResponse``.

Profile: "Implementation Profile for using OASIS DSS in Central Signing Services" and "DSS Extension for
Federated Central Signing Services" (``http://id.elegnamnden.se/csig/1.1/dss-ext/profile``; decision 0106).
The document never leaves the portal: the request asks for one CMS signature (``SigType="CMS"``) over DER
signed attributes whose ``messageDigest`` is the SHA-256 of the document's canonical bytes (decision 0100),
so the signature binds exactly our hash. The request names the signer (the SAML attributes the service
must find in its authentication of the person), the identity provider the person logged in with, the
level of assurance, and the sign message shown to the person (the document's summary).

:func:`sign_response_check` accepts a response only if it is signed by the service's key (from its
metadata, configured), it answers our request (``RequestID``, and the request it quotes is ours, byte for
byte), it is in time (``ResponseTime`` within the request's conditions), the signer was authenticated at
the level we asked for, by the identity provider named, with every attribute of the request's ``Signer``
among the attributes it reports, the signer's certificate chains to the service's CA and names the same
person (personal number in ``serialNumber``, or the eIDAS ``prid``), and the returned signature verifies
over exactly our signed attributes. :func:`kept_response_verify` checks a kept response again offline.

Replays (a response presented twice) are the signing step's to refuse (one accepted ``RequestID``).
Django-free.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import itertools
import secrets
from collections.abc import Sequence

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.exceptions import InvalidInput, SignXMLException
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

DSS = "urn:oasis:names:tc:dss:1.0:core:schema"
CSIG = "http://id.elegnamnden.se/csig/1.1/dss-ext/ns"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XS = "http://www.w3.org/2001/XMLSchema"
NSMAP = {"dss": DSS, "csig": CSIG, "saml": SAML, "ds": DS}
PROFILE = "http://id.elegnamnden.se/csig/1.1/dss-ext/profile"
EXTENSION_VERSION = "1.5"
ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SUCCESS = "urn:oasis:names:tc:dss:1.0:resultmajor:Success"
USER_CANCEL = "http://id.elegnamnden.se/sig-status/1.0/user-cancel"
# SAML attributes of the Swedish eID framework that name a signer.
PERSONAL_NUMBER = "urn:oid:1.2.752.29.4.13"  # personalIdentityNumber
MAPPED_PERSONAL_NUMBER = "urn:oid:1.2.752.201.3.16"  # mappedPersonalIdentityNumber (eIDAS, bound)
PRID = "urn:oid:1.2.752.201.3.4"  # prid (eIDAS)
REQUEST_LIFETIME = dt.timedelta(minutes=3)  # the profile recommends at most three minutes
CLOCK_SKEW = dt.timedelta(seconds=30)


class SignResponseRefusedError(Exception):
    """The response does not prove the signature (``reason`` is for operators); ``cancelled`` when the
    person cancelled at the service."""

    def __init__(self, reason: str, *, cancelled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cancelled = cancelled


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Requester:
    """The portal as a Signature Requestor: its entityID, its request-signing key and certificate (PEM)."""

    entity_id: str
    key_pem: bytes = dataclasses.field(repr=False)
    cert_pem: bytes


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """The signature service as its metadata gives it: entityID, where requests go, its response-signing
    certificate(s) and the root of the CA that issues signers' certificates (PEM)."""

    entity_id: str
    url: str
    signing_certs_pem: tuple[bytes, ...]
    ca_root_pem: bytes


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Signer:
    """Who must sign: a Swedish personal number (from a Swedish eID, or ``mapped`` by the eIDAS connector
    from a foreign eID bound to it), and/or a foreign eID's ``prid``; the identity provider they logged in
    with and the level of assurance."""

    personal_number: str | None
    prid: str | None
    identity_provider: str
    level_of_assurance: str
    mapped: bool = False  # the number came from the eIDAS connector's identity binding

    def attributes(self) -> list[tuple[str, str]]:
        """The SAML attributes (name, value) the service must find, every one, in its authentication of the
        person (the request's ``Signer``; the service passes them on to the identity provider as a
        ``PrincipalSelection``): the personal number, and for a foreign eID its ``prid`` as well."""
        found: list[tuple[str, str]] = []
        if self.personal_number is not None:
            found.append((MAPPED_PERSONAL_NUMBER if self.mapped else PERSONAL_NUMBER, self.personal_number))
        if self.prid is not None:
            found.append((PRID, self.prid))
        if not found:
            raise ValueError("a signer needs a personal number or a prid")
        return found

    @property
    def identifier(self) -> str:
        """What the signer's certificate must carry in ``serialNumber``: the number, else the ``prid``."""
        identifier = self.personal_number if self.personal_number is not None else self.prid
        assert identifier is not None  # noqa: S101 - attributes() refuses a signer without either
        return identifier


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SentRequest:
    """A request as sent: its id, its bytes (base64 goes in the form), the signed attributes asked for."""

    request_id: str
    xml: bytes = dataclasses.field(repr=False)
    to_be_signed: bytes = dataclasses.field(repr=False)
    sent_at: dt.datetime
    not_on_or_after: dt.datetime

    @property
    def form_value(self) -> str:
        """``EidSignRequest`` of the HTTP-POST binding."""
        return base64.b64encode(self.xml).decode("ascii")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSignature:
    """What a good response proves, and what is kept of it."""

    request_id: str
    signer_identifier: str
    signature: str  # the CMS signature value, base64
    signer_certificate: str = dataclasses.field(repr=False)  # the chain, PEM, end entity first
    sign_response: str = dataclasses.field(repr=False)  # the whole response, base64, as received
    signed_at: dt.datetime
    level_of_assurance: str


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _parse_time(text: str | None) -> dt.datetime:
    if not text:
        raise ValueError("no time")
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def signed_attributes(document_digest: bytes) -> bytes:
    """The DER signed attributes of a CMS signature over a document with this SHA-256."""
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [document_digest]}),
        ]
    )
    return bytes(attributes.dump())


def digest_of_signed_attributes(der: bytes) -> bytes:
    """The ``messageDigest`` the signed attributes carry; ``ValueError`` if there is not exactly one."""
    attributes = cms.CMSAttributes.load(der)
    digests = [attr["values"][0].native for attr in attributes if attr["type"].native == "message_digest"]
    if len(digests) != 1:
        raise ValueError("the signed attributes carry no single message digest")
    return bytes(digests[0])


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", attrib=attributes or None)
    if text is not None:
        element.text = text
    return element


@functools.lru_cache(maxsize=4)
def _private_key(key_pem: bytes) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    """The requester's key, loaded once (loading checks an RSA key, which costs far more than signing)."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("the requester's key must be RSA or EC")
    return key


def sign_request_build(
    *,
    requester: Requester,
    service: Service,
    signer: Signer,
    document_digest: bytes,
    sign_message: str,
    return_url: str,
    now: dt.datetime,
) -> SentRequest:
    """A signed ``dss:SignRequest`` asking ``service`` for ``signer``'s signature over the document with
    this SHA-256, showing ``sign_message``, with the response to go to ``return_url``."""
    request_id = secrets.token_hex(20)  # 160 bits: the profile asks for at least 128
    not_on_or_after = now + REQUEST_LIFETIME
    root = etree.Element(
        f"{{{DSS}}}SignRequest", nsmap={**NSMAP, "xs": XS, "xsi": XSI}, Profile=PROFILE, RequestID=request_id
    )
    inputs = _sub(root, "dss:OptionalInputs")
    extension = _sub(inputs, "csig:SignRequestExtension", Version=EXTENSION_VERSION)
    _sub(extension, "csig:RequestTime", _utc(now))
    conditions = _sub(
        extension, "saml:Conditions", NotBefore=_utc(now - CLOCK_SKEW), NotOnOrAfter=_utc(not_on_or_after)
    )
    _sub(_sub(conditions, "saml:AudienceRestriction"), "saml:Audience", return_url)
    signer_element = _sub(extension, "csig:Signer")
    for name, value in signer.attributes():
        attribute = _sub(
            signer_element, "saml:Attribute", Name=name, NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
        )
        attribute_value = _sub(attribute, "saml:AttributeValue", value)
        attribute_value.set(f"{{{XSI}}}type", "xs:string")
    _sub(extension, "csig:IdentityProvider", signer.identity_provider, Format=ENTITY_FORMAT)
    _sub(extension, "csig:SignRequester", requester.entity_id, Format=ENTITY_FORMAT)
    _sub(extension, "csig:SignService", service.entity_id, Format=ENTITY_FORMAT)
    _sub(extension, "csig:RequestedSignatureAlgorithm", RSA_SHA256)
    properties = _sub(extension, "csig:CertRequestProperties", CertType="PKC")
    _sub(properties, "saml:AuthnContextClassRef", signer.level_of_assurance)
    message = _sub(extension, "csig:SignMessage", MustShow="true", MimeType="text")
    _sub(message, "csig:Message", base64.b64encode(sign_message.encode("utf-8")).decode("ascii"))
    _sub(inputs, "ds:Signature", Id="placeholder")  # the signature goes last in OptionalInputs (DSS ext. §5)
    to_be_signed = signed_attributes(document_digest)
    tasks = _sub(_sub(_sub(root, "dss:InputDocuments"), "dss:Other"), "csig:SignTasks")
    task = _sub(tasks, "csig:SignTaskData", SignTaskId="document", SigType="CMS", AdESType="None")
    _sub(task, "csig:ToBeSignedBytes", base64.b64encode(to_be_signed).decode("ascii"))
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        root, key=_private_key(requester.key_pem), cert=requester.cert_pem.decode("ascii")
    )
    xml = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    return SentRequest(
        request_id=request_id, xml=xml, to_be_signed=to_be_signed, sent_at=now, not_on_or_after=not_on_or_after
    )


# --- The response -----------------------------------------------------------------------------------


def _verified(xml: bytes, *, certs_pem: Sequence[bytes]) -> etree._Element:
    """The response as covered by a signature of one of the service's keys (never the raw document)."""
    last: Exception | None = None
    for cert in certs_pem:
        try:
            result = XMLVerifier().verify(
                xml, x509_cert=cert.decode("ascii"), expect_config=SignatureConfiguration(require_x509=False)
            )
        except (SignXMLException, InvalidInput, etree.LxmlError, ValueError) as error:
            last = error
            continue
        signed = result.signed_xml if not isinstance(result, list) else result[0].signed_xml
        if signed is None or etree.QName(signed).localname != "SignResponse":
            raise SignResponseRefusedError("the service's signature does not cover the whole response")
        return signed
    raise SignResponseRefusedError(f"the response is not signed by the service: {type(last).__name__}")


def response_signed_by_service(form_value: str, *, service: Service) -> bool:
    """Whether a posted ``EidSignResponse`` is at least signed by the service (a cheap first check before the
    portal keeps anything an anonymous poster sent; :func:`sign_response_check` does the rest)."""
    try:
        _verified(base64.b64decode(form_value, validate=True), certs_pem=service.signing_certs_pem)
    except (binascii.Error, ValueError, SignResponseRefusedError):
        return False
    return True


def _one(root: etree._Element, path: str) -> etree._Element:
    found = root.findall(path, NSMAP)
    if len(found) != 1:
        raise SignResponseRefusedError(f"the response has {len(found)} of {path}, not one")
    return found[0]


def _certificates(chain: etree._Element) -> list[x509.Certificate]:
    try:
        return [
            x509.load_der_x509_certificate(base64.b64decode("".join((element.text or "").split()), validate=True))
            for element in chain.findall("csig:X509Certificate", NSMAP)
        ]
    except (binascii.Error, ValueError) as error:
        raise SignResponseRefusedError("a certificate of the chain cannot be read") from error


def _chain_check(certificates: list[x509.Certificate], *, root_pem: bytes, at: dt.datetime) -> x509.Certificate:
    """The end-entity certificate, if the chain runs from it to the service CA's root, valid ``at``."""
    if not certificates:
        raise SignResponseRefusedError("the response gives no signer certificate")
    root = x509.load_pem_x509_certificate(root_pem)
    chain = list(certificates)
    if chain[-1].fingerprint(hashes.SHA256()) != root.fingerprint(hashes.SHA256()):
        chain.append(root)
    try:
        for subject, issuer in itertools.pairwise(chain):
            subject.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise SignResponseRefusedError("the signer certificate does not chain to the service's CA") from error
    for certificate in chain:
        if not certificate.not_valid_before_utc - CLOCK_SKEW <= at <= certificate.not_valid_after_utc + CLOCK_SKEW:
            raise SignResponseRefusedError("a certificate of the chain was not valid when the signature was made")
    return chain[0]


def _names(certificate: x509.Certificate, signer: Signer) -> str:
    """The identifier the certificate names, if it is the expected signer's."""
    serials = [attr.value for attr in certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    if [str(value) for value in serials] != [signer.identifier]:
        raise SignResponseRefusedError("the signer certificate names another person")
    return signer.identifier


def _authenticated_as(info: etree._Element, signer: Signer) -> None:
    """Refuse unless the attributes the service reports from its authentication of the signer carry every
    value of the request's ``Signer`` (the profile's rule for the service, checked again here)."""
    reported: dict[str, set[str]] = {}
    for attribute in info.findall("saml:AttributeStatement/saml:Attribute", NSMAP):
        values = {(value.text or "").strip() for value in attribute.findall("saml:AttributeValue", NSMAP)}
        reported.setdefault(attribute.get("Name", ""), set()).update(values)
    for name, value in signer.attributes():
        if value not in reported.get(name, set()):
            raise SignResponseRefusedError("the service authenticated another person than the signer asked for")


def _signature_check(certificate: x509.Certificate, *, signature: bytes, to_be_signed: bytes) -> None:
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, to_be_signed, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, to_be_signed, ec.ECDSA(hashes.SHA256()))
        else:
            raise SignResponseRefusedError("the signer's key is of a kind we do not accept")
    except InvalidSignature as error:
        raise SignResponseRefusedError("the signature does not verify over our signed attributes") from error


def _decoded(element: etree._Element) -> bytes:
    try:
        return base64.b64decode("".join((element.text or "").split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignResponseRefusedError(f"{etree.QName(element).localname} is not base64") from error


def sign_response_check(
    form_value: str,
    *,
    sent: SentRequest,
    service: Service,
    signer: Signer,
    accepted_levels: Sequence[str],
    now: dt.datetime,
) -> ServiceSignature:
    """What a ``SignResponse`` (the ``EidSignResponse`` form value) proves, or :class:`SignResponseRefusedError`."""
    try:
        xml = base64.b64decode(form_value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignResponseRefusedError("the response is not base64") from error
    response = _verified(xml, certs_pem=service.signing_certs_pem)
    if not hmac.compare_digest(response.get("RequestID", ""), sent.request_id):
        raise SignResponseRefusedError("the response answers another request")
    major = _one(response, "dss:Result/dss:ResultMajor").text or ""
    if major.strip() != SUCCESS:
        minor = response.findtext("dss:Result/dss:ResultMinor", default="", namespaces=NSMAP).strip()
        raise SignResponseRefusedError(f"the service did not sign: {major} {minor}", cancelled=minor == USER_CANCEL)
    extension = _one(response, "dss:OptionalOutputs/csig:SignResponseExtension")
    quoted = _decoded(_one(extension, "csig:Request"))
    if not hmac.compare_digest(hashlib.sha256(quoted).digest(), hashlib.sha256(sent.xml).digest()):
        raise SignResponseRefusedError("the request the response quotes is not ours")
    try:
        responded_at = _parse_time(_one(extension, "csig:ResponseTime").text)
    except ValueError as error:
        raise SignResponseRefusedError("the response time cannot be read") from error
    if not sent.sent_at - CLOCK_SKEW <= responded_at <= sent.not_on_or_after:
        raise SignResponseRefusedError("the response was made outside the request's time")
    if now > sent.not_on_or_after + CLOCK_SKEW:
        raise SignResponseRefusedError("the response came after the request expired")
    info = _one(extension, "csig:SignerAssertionInfo")
    context = _one(info, "csig:ContextInfo")
    level = (context.findtext("saml:AuthnContextClassRef", default="", namespaces=NSMAP) or "").strip()
    if level not in accepted_levels:
        raise SignResponseRefusedError("the signer was not authenticated at the level asked for")
    if (
        context.findtext("csig:IdentityProvider", default="", namespaces=NSMAP) or ""
    ).strip() != signer.identity_provider:
        raise SignResponseRefusedError("the signer was authenticated by another identity provider")
    _authenticated_as(info, signer)
    certificates = _certificates(_one(extension, "csig:SignatureCertificateChain"))
    certificate = _chain_check(certificates, root_pem=service.ca_root_pem, at=responded_at)
    identifier = _names(certificate, signer)
    task = _one(response, "dss:SignatureObject/dss:Other/csig:SignTasks/csig:SignTaskData")
    to_be_signed = _decoded(_one(task, "csig:ToBeSignedBytes"))
    if not hmac.compare_digest(to_be_signed, sent.to_be_signed):
        raise SignResponseRefusedError("the service signed other attributes than we asked (another hash)")
    signature = _decoded(_one(task, "csig:Base64Signature"))
    _signature_check(certificate, signature=signature, to_be_signed=to_be_signed)
    chain_pem = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certificates).decode("ascii")
    return ServiceSignature(
        request_id=sent.request_id,
        signer_identifier=identifier,
        signature=base64.b64encode(signature).decode("ascii"),
        signer_certificate=chain_pem,
        sign_response=form_value,
        signed_at=responded_at,
        level_of_assurance=level,
    )


def kept_response_verify(
    *, sign_response: str, signer_identifier: str, document_digest: bytes, service: Service
) -> dt.datetime:
    """Check a kept response again, offline: the service's signature over it, the signer certificate's
    chain (judged when the response was made) naming ``signer_identifier``, and the signature over signed
    attributes whose ``messageDigest`` is ``document_digest``. Returns when it was signed."""
    try:
        xml = base64.b64decode(sign_response, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignResponseRefusedError("the kept response is not base64") from error
    response = _verified(xml, certs_pem=service.signing_certs_pem)
    extension = _one(response, "dss:OptionalOutputs/csig:SignResponseExtension")
    try:
        responded_at = _parse_time(_one(extension, "csig:ResponseTime").text)
    except ValueError as error:
        raise SignResponseRefusedError("the response time cannot be read") from error
    certificates = _certificates(_one(extension, "csig:SignatureCertificateChain"))
    certificate = _chain_check(certificates, root_pem=service.ca_root_pem, at=responded_at)
    serials = [str(attr.value) for attr in certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    if serials != [signer_identifier]:
        raise SignResponseRefusedError("the signer certificate names another person than the record")
    task = _one(response, "dss:SignatureObject/dss:Other/csig:SignTasks/csig:SignTaskData")
    to_be_signed = _decoded(_one(task, "csig:ToBeSignedBytes"))
    try:
        digest = digest_of_signed_attributes(to_be_signed)
    except ValueError as error:
        raise SignResponseRefusedError(str(error)) from error
    if not hmac.compare_digest(digest, document_digest):
        raise SignResponseRefusedError("the signature is over another document's hash")
    _signature_check(certificate, signature=_decoded(_one(task, "csig:Base64Signature")), to_be_signed=to_be_signed)
    return responded_at
