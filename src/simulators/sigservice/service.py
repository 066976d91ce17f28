"""The test signature service's answer to a ``dss:SignRequest``: it checks the request (the requester's
signature against its known certificate, the profile, the time conditions, the signer the request names
against the person authenticated), issues a certificate for that person from its test CA, signs the
requested bytes, and answers with a signed ``dss:SignResponse`` (DSS extension profile). Refusals are
answered as the profile says (``ResultMajor`` RequesterError and the framework's status codes).

The person's authentication (at the test identity providers over SAML) is given to :func:`respond` as an
:class:`Authenticated`; the service's pages that perform it come separately.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree
from signxml.exceptions import InvalidInput, SignXMLException
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from simulators.sigservice.keys import ServiceKeys, key_pem, pem

DSS = "urn:oasis:names:tc:dss:1.0:core:schema"
CSIG = "http://id.elegnamnden.se/csig/1.1/dss-ext/ns"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"dss": DSS, "csig": CSIG, "saml": SAML, "ds": DS}
PROFILE = "http://id.elegnamnden.se/csig/1.1/dss-ext/profile"
SUCCESS = "urn:oasis:names:tc:dss:1.0:resultmajor:Success"
REQUESTER_ERROR = "urn:oasis:names:tc:dss:1.0:resultmajor:RequesterError"
USER_MISMATCH = "http://id.elegnamnden.se/sig-status/1.0/user-mismatch"
REQ_EXPIRED = "http://id.elegnamnden.se/sig-status/1.0/req-expired"
USER_CANCEL = "http://id.elegnamnden.se/sig-status/1.0/user-cancel"
SIGMESSAGE_ERROR = "http://id.elegnamnden.se/sig-status/1.0/sigmessage-error"
SIGN_MESSAGE_DIGEST = "urn:oid:1.2.752.201.3.14"  # signMessageDigest
SECURITY_VIOLATION = "http://id.swedenconnect.se/sig-status/1.1/security-violation"
ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Authenticated:
    """The person as the identity provider authenticated them for the service."""

    attributes: dict[str, str]  # SAML attribute name -> value
    identifier: str  # what goes in the certificate's serialNumber
    given_name: str
    surname: str
    identity_provider: str
    level_of_assurance: str


class RequestRefusedError(Exception):
    def __init__(self, minor: str, message: str) -> None:
        super().__init__(message)
        self.minor = minor
        self.message = message


def _time(text: str | None) -> dt.datetime:
    moment = dt.datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def request_read(request_xml: bytes, *, requester_cert_pem: bytes, now: dt.datetime) -> etree._Element:
    """The request as covered by the requester's signature; :class:`RequestRefusedError` otherwise."""
    try:
        result = XMLVerifier().verify(
            request_xml,
            x509_cert=requester_cert_pem.decode("ascii"),
            expect_config=SignatureConfiguration(require_x509=False),
        )
    except (SignXMLException, InvalidInput, etree.LxmlError, ValueError) as error:
        raise RequestRefusedError(SECURITY_VIOLATION, "the request is not signed by the requester") from error
    request = result.signed_xml if not isinstance(result, list) else result[0].signed_xml
    if request is None or etree.QName(request).localname != "SignRequest" or request.get("Profile") != PROFILE:
        raise RequestRefusedError(SECURITY_VIOLATION, "the signature does not cover a sign request of the profile")
    conditions = request.find("dss:OptionalInputs/csig:SignRequestExtension/saml:Conditions", NS)
    if conditions is None:
        raise RequestRefusedError(SECURITY_VIOLATION, "the request has no conditions")
    if not _time(conditions.get("NotBefore")) <= now < _time(conditions.get("NotOnOrAfter")):
        raise RequestRefusedError(REQ_EXPIRED, "the request is not valid now")
    return request


def signer_attributes(request: etree._Element) -> list[tuple[str, str]]:
    """The request's ``Signer``: the attributes (name, value) the authenticated person must all have."""
    path = "dss:OptionalInputs/csig:SignRequestExtension/csig:Signer/saml:Attribute"
    return [
        (
            attribute.get("Name", ""),
            (attribute.findtext("saml:AttributeValue", default="", namespaces=NS) or "").strip(),
        )
        for attribute in request.findall(path, NS)
    ]


def _sign_message_confirmed(request: etree._Element, person: Authenticated) -> bool:
    """Whether a sign message that must be shown was (the assertion's ``signMessageDigest`` is the SHA-256 of
    the message's text); a message that need not be shown passes."""
    message = request.find("dss:OptionalInputs/csig:SignRequestExtension/csig:SignMessage", NS)
    if message is None or message.get("MustShow", "false").lower() not in ("true", "1"):
        return True
    text = base64.b64decode(message.findtext("csig:Message", default="", namespaces=NS) or "")
    expected = "http://www.w3.org/2001/04/xmlenc#sha256;" + base64.b64encode(hashlib.sha256(text).digest()).decode()
    return person.attributes.get(SIGN_MESSAGE_DIGEST) == expected


def _signer_matches(request: etree._Element, person: Authenticated) -> bool:
    return all(person.attributes.get(name) == value for name, value in signer_attributes(request))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrib=attributes or None)
    if text is not None:
        element.text = text
    return element


def respond(
    request_xml: bytes,
    *,
    keys: ServiceKeys,
    requester_cert_pem: bytes,
    person: Authenticated | None,
    now: dt.datetime,
    request_id_override: str | None = None,
    sign_other_bytes: bytes | None = None,
    response_time: dt.datetime | None = None,
    check_signer: bool = True,
    sign_message_checked: bool = False,
) -> bytes:
    """The signed ``dss:SignResponse`` (bytes) to ``request_xml``; ``person`` None means they cancelled.

    The ``*_override``/``other`` arguments and ``check_signer=False`` (sign for whoever authenticated) let
    tests make a response that a correct client must refuse. ``sign_message_checked``: the person was
    authenticated at an identity provider asked to show the request's sign message; when the request says it
    must be shown, the assertion must confirm it (``signMessageDigest`` of exactly that text), else
    ``sigmessage-error``.
    """
    request_id = request_id_override
    try:
        request = request_read(request_xml, requester_cert_pem=requester_cert_pem, now=now)
        request_id = request_id or request.get("RequestID", "")
        if person is None:
            raise RequestRefusedError(USER_CANCEL, "the person cancelled")
        if check_signer and not _signer_matches(request, person):
            raise RequestRefusedError(USER_MISMATCH, "the authenticated person is not the requested signer")
        if sign_message_checked and not _sign_message_confirmed(request, person):
            raise RequestRefusedError(SIGMESSAGE_ERROR, "the identity provider did not confirm the sign message")
        task = request.find("dss:InputDocuments/dss:Other/csig:SignTasks/csig:SignTaskData", NS)
        if task is None:
            raise RequestRefusedError(SECURITY_VIOLATION, "nothing to sign")
        to_be_signed = base64.b64decode(task.findtext("csig:ToBeSignedBytes", default="", namespaces=NS))
    except RequestRefusedError as refused:
        return _error(request_id or "", refused, keys=keys, now=now)
    signer_key, signer_cert = keys.signer_certificate(
        identifier=person.identifier, given_name=person.given_name, surname=person.surname, now=now
    )
    signed_bytes = sign_other_bytes if sign_other_bytes is not None else to_be_signed
    signature = signer_key.sign(signed_bytes, padding.PKCS1v15(), hashes.SHA256())
    root = etree.Element(f"{{{DSS}}}SignResponse", nsmap=NS, Profile=PROFILE, RequestID=request_id or "")
    _sub(_sub(root, "dss:Result"), "dss:ResultMajor", SUCCESS)
    outputs = _sub(root, "dss:OptionalOutputs")
    extension = _sub(outputs, "csig:SignResponseExtension", Version="1.5")
    _sub(extension, "csig:ResponseTime", _utc(response_time or now))
    _sub(extension, "csig:Request", base64.b64encode(request_xml).decode("ascii"))
    info = _sub(extension, "csig:SignerAssertionInfo")
    context = _sub(info, "csig:ContextInfo")
    _sub(context, "csig:IdentityProvider", person.identity_provider, Format=ENTITY_FORMAT)
    _sub(context, "csig:AuthenticationInstant", _utc(now))
    _sub(context, "saml:AuthnContextClassRef", person.level_of_assurance)
    statement = _sub(info, "saml:AttributeStatement")
    for name, value in person.attributes.items():
        _sub(_sub(statement, "saml:Attribute", Name=name), "saml:AttributeValue", value)
    chain = _sub(extension, "csig:SignatureCertificateChain")
    for certificate in (signer_cert, keys.ca_cert):
        der = base64.b64encode(pem_to_der(pem(certificate))).decode("ascii")
        _sub(chain, "csig:X509Certificate", der)
    _sub(outputs, "ds:Signature", Id="placeholder")
    tasks = _sub(_sub(_sub(root, "dss:SignatureObject"), "dss:Other"), "csig:SignTasks")
    task_out = _sub(tasks, "csig:SignTaskData", SignTaskId="document", SigType="CMS", AdESType="None")
    _sub(task_out, "csig:ToBeSignedBytes", base64.b64encode(signed_bytes).decode("ascii"))
    _sub(task_out, "csig:Base64Signature", base64.b64encode(signature).decode("ascii"), Type=RSA_SHA256)
    return _signed(root, keys)


def pem_to_der(data: bytes) -> bytes:
    body = b"".join(line for line in data.splitlines() if line and not line.startswith(b"-----"))
    return base64.b64decode(body)


def _error(request_id: str, refused: RequestRefusedError, *, keys: ServiceKeys, now: dt.datetime) -> bytes:
    root = etree.Element(f"{{{DSS}}}SignResponse", nsmap=NS, Profile=PROFILE, RequestID=request_id)
    result = _sub(root, "dss:Result")
    _sub(result, "dss:ResultMajor", REQUESTER_ERROR)
    _sub(result, "dss:ResultMinor", refused.minor)
    message = _sub(result, "dss:ResultMessage", refused.message)
    message.set("{http://www.w3.org/XML/1998/namespace}lang", "en")  # DSS core: an InternationalStringType
    outputs = _sub(root, "dss:OptionalOutputs")
    extension = _sub(outputs, "csig:SignResponseExtension", Version="1.5")
    _sub(extension, "csig:ResponseTime", _utc(now))
    _sub(outputs, "ds:Signature", Id="placeholder")
    return _signed(root, keys)


def _signed(root: etree._Element, keys: ServiceKeys) -> bytes:
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        root, key=key_pem(keys.signing_key), cert=pem(keys.signing_cert).decode("ascii")
    )
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))
