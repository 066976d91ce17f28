"""The two test identity providers, built on pysaml2's IdP side (``saml2.server.Server``).

``eidas-connector`` stands for Sweden Connect's eIDAS connector: it answers with the eIDAS attribute set
(prid, pridPersistence, eidasPersonIdentifier, names, date of birth, country, transaction id) and, when the
person has an identity binding and agrees to share it, ``mappedPersonalIdentityNumber`` with
``personalIdentityNumberBinding``. ``swedish-eid`` stands for a Swedish eID at LoA3 (Freja eID+ or
similar) and answers with the ``pnr-01`` set.

Responses are signed (RSA-SHA256) and their assertion encrypted with AES (CBC or GCM) and RSA-OAEP.
pysaml2's own encryption is hard-wired to 3DES, so the response is built unsigned and unencrypted by
pysaml2 and then encrypted and signed here with pysaml2's xmlsec1 backend and our own templates.
:class:`Faults` lets tests produce the bad responses the portal must refuse.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import secrets
import shutil
from pathlib import Path
from typing import Any

from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import (
    RSA_OAEP_MGF1P,
    TRIPLE_DES_CBC,
    get_pem_wrapped_unwrapped,
    make_temp,
    pre_encryption_part,
    pre_signature_part,
)
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from simulators.saml_idp.keys import KeyPair

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
NS = {"samlp": SAMLP, "saml": SAML}
AES128_CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
AES256_CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
_SESSION_KEYS = {AES128_CBC: "aes-128", AES256_CBC: "aes-256", AES256_GCM: "aes-256", TRIPLE_DES_CBC: "des-192"}

TEST_DOMAIN = "http://test-idp.minasidor.invalid"
CONNECTOR_ENTITY_ID = f"{TEST_DOMAIN}/eidas-connector"
SWEDISH_EID_ENTITY_ID = f"{TEST_DOMAIN}/swedish-eid"

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
EIDAS_NF_SUB = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub"
EIDAS_NF_HIGH = "http://id.elegnamnden.se/loa/1.0/eidas-nf-high"
STATUS_CANCEL = "http://id.elegnamnden.se/status/1.0/cancel"
STATUS_UNKNOWN_PRINCIPAL = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"
PRINCIPAL_SELECTION = "http://id.swedenconnect.se/authn/1.0/principal-selection/ns"
CSIG = "http://id.elegnamnden.se/csig/1.1/dss-ext/ns"
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
# The attributes a principal selection names, by the friendly names the IdPs release them under.
URI_OF = {
    "personalIdentityNumber": "urn:oid:1.2.752.29.4.13",
    "mappedPersonalIdentityNumber": "urn:oid:1.2.752.201.3.16",
    "prid": "urn:oid:1.2.752.201.3.4",
    "eidasPersonIdentifier": "urn:oid:1.2.752.201.3.7",
    "c": "urn:oid:2.5.4.6",
}
STATUS_RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_NO_AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"

ATTRIBUTE_MAP_DIR = Path(__file__).parent / "attributemaps"


@dataclasses.dataclass(frozen=True)
class Kind:
    """What one test identity provider is."""

    slug: str
    entity_id: str
    display_name_sv: str
    display_name_en: str
    entity_categories: tuple[str, ...]
    assurance: tuple[str, ...]


CONNECTOR = Kind(
    slug="eidas-connector",
    entity_id=CONNECTOR_ENTITY_ID,
    display_name_sv="Utländsk e-legitimation (TEST)",
    display_name_en="Foreign eID (TEST)",
    entity_categories=(
        "http://id.elegnamnden.se/ec/1.0/eidas-naturalperson",
        "http://id.swedenconnect.se/contract/sc/sweden-connect",
    ),
    assurance=(EIDAS_NF_SUB, EIDAS_NF_HIGH),
)
SWEDISH_EID = Kind(
    slug="swedish-eid",
    entity_id=SWEDISH_EID_ENTITY_ID,
    display_name_sv="Svensk e-legitimation (TEST)",
    display_name_en="Swedish eID (TEST)",
    entity_categories=(
        "http://id.elegnamnden.se/ec/1.0/loa3-pnr",
        "http://id.swedenconnect.se/contract/sc/sweden-connect",
    ),
    assurance=(LOA3,),
)
KINDS = (CONNECTOR, SWEDISH_EID)


@dataclasses.dataclass(frozen=True)
class Faults:
    """What a test may spoil in a response (all off: a correct response)."""

    sign_response: bool = True
    encrypt_assertion: bool = True
    encryption_algorithm: str = AES256_GCM
    audience: str | None = None
    issue_instant_offset: dt.timedelta = dt.timedelta(0)
    authn_instant_offset: dt.timedelta = dt.timedelta(0)
    destination: str | None = None
    in_response_to: str | None = None


@dataclasses.dataclass(frozen=True)
class PendingRequest:
    """An AuthnRequest the IdP has accepted and not answered yet."""

    id: str
    sp_entity_id: str
    acs_url: str
    requested_loas: tuple[str, ...]
    force_authn: bool
    relay_state: str
    # The AuthnRequest's psc:PrincipalSelection: (attribute name, value) the SP expects of the person.
    match_values: tuple[tuple[str, str], ...] = ()
    # A signature service's csig:SignMessage: the text to show the person (decoded), and whether it must be.
    sign_message: str = ""
    sign_message_must_show: bool = False


def _principal_selection(request: Any) -> tuple[tuple[str, str], ...]:
    """The (name, value) of each ``psc:MatchValue`` in the request's ``PrincipalSelection`` extension."""
    found: list[tuple[str, str]] = []
    for element in getattr(request.extensions, "extension_elements", None) or []:
        if (element.tag, element.namespace) != ("PrincipalSelection", PRINCIPAL_SELECTION):
            continue
        for child in element.children:
            if child.tag == "MatchValue" and child.attributes.get("Name"):
                found.append((child.attributes["Name"], (child.text or "").strip()))
    return tuple(found)


def _sign_message(request: Any) -> dict[str, Any]:
    """The request's ``csig:SignMessage`` extension (a signature service's), as PendingRequest fields. An
    encrypted message is not supported here: it reads as a message that cannot be shown."""
    for element in getattr(request.extensions, "extension_elements", None) or []:
        if (element.tag, element.namespace) != ("SignMessage", CSIG):
            continue
        must_show = str(element.attributes.get("MustShow", "false")).lower() in ("true", "1")
        texts = [child.text or "" for child in element.children if child.tag == "Message"]
        try:
            message = base64.b64decode("".join(texts[0].split()), validate=True).decode("utf-8") if texts else ""
        except (ValueError, UnicodeDecodeError):
            message = ""
        return {"sign_message": message, "sign_message_must_show": must_show}
    return {}


def sign_message_digest(message: str) -> str:
    """The ``signMessageDigest`` attribute's value for a message shown (Attribute Specification §3.2.4)."""
    digest = base64.b64encode(hashlib.sha256(message.encode("utf-8")).digest()).decode("ascii")
    return f"{SHA256_URI};{digest}"


def selection_refuses(request: PendingRequest, attributes: dict[str, list[str]]) -> bool:
    """Whether the person authenticated (``attributes``, by friendly name) contradicts the request's
    principal selection: a match value of an attribute the IdP releases for this person, with another value.
    Match values of attributes it does not release are alternatives for other IdPs, and pass."""
    released = {URI_OF.get(name, name): values for name, values in attributes.items()}
    return any(name in released and value not in released[name] for name, value in request.match_values)


class RequestRefusedError(Exception):
    """The AuthnRequest cannot be answered (unknown SP, ACS not in its metadata, no acceptable level)."""


def _utc_text(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestIdentityProvider:
    """One test IdP: its pysaml2 server, its metadata, and responses to parsed requests."""

    __test__ = False  # not a pytest class

    def __init__(self, kind: Kind, *, keys: KeyPair, base_url: str) -> None:
        self.kind = kind
        self.keys = keys
        self.base_url = base_url.rstrip("/")
        config = IdPConfig()
        config.load(self._config())
        self.server = Server(config=config)

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/{self.kind.slug}/sso"

    def _config(self) -> dict[str, Any]:
        return {
            "entityid": self.kind.entity_id,
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "attribute_map_dir": str(ATTRIBUTE_MAP_DIR),
            "key_file": str(self.keys.key_file),
            "cert_file": str(self.keys.cert_file),
            "metadata": {},
            "entity_category": list(self.kind.entity_categories),
            "assurance_certification": list(self.kind.assurance),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (self.sso_url, BINDING_HTTP_REDIRECT),
                            (self.sso_url, BINDING_HTTP_POST),
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "ui_info": {
                        "display_name": [
                            {"text": self.kind.display_name_sv, "lang": "sv"},
                            {"text": self.kind.display_name_en, "lang": "en"},
                        ]
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }

    def entity_descriptor(self) -> etree._Element:
        """This IdP's EntityDescriptor (for the federation aggregate)."""
        return etree.fromstring(str(entity_descriptor(self.server.config)).encode())

    def load_sp_metadata(self, xml: str) -> None:
        """Trust the SP described by ``xml`` (an EntityDescriptor or EntitiesDescriptor), replacing what we
        knew of the same entities before (a new key, new endpoints)."""
        entity_ids = {
            element.get("entityID")
            for element in etree.fromstring(xml.encode()).iter("{urn:oasis:names:tc:SAML:2.0:metadata}EntityDescriptor")
        }
        store = self.server.metadata
        for key, loaded in list(store.metadata.items()):
            if any(entity_id in loaded for entity_id in entity_ids):
                del store.metadata[key]
        store.load("inline", xml)

    def knows(self, sp_entity_id: str) -> bool:
        return sp_entity_id in list(self.server.metadata.keys())

    def parse_request(self, saml_request: str, *, binding: str, relay_state: str = "") -> PendingRequest:
        """Read an AuthnRequest (HTTP-Redirect or HTTP-POST) and check it against the SP's metadata."""
        request = self.server.parse_authn_request(saml_request, binding).message
        sp_entity_id = request.issuer.text.strip()
        if not self.knows(sp_entity_id):
            raise RequestRefusedError(f"unknown service provider {sp_entity_id}")
        registered = self.server.metadata.assertion_consumer_service(sp_entity_id, binding=BINDING_HTTP_POST)
        acs_urls = [endpoint["location"] for endpoint in registered]
        acs_url = request.assertion_consumer_service_url or (acs_urls[0] if acs_urls else "")
        if acs_url not in acs_urls:
            raise RequestRefusedError("AssertionConsumerServiceURL is not in the SP's metadata")
        requested: tuple[str, ...] = ()
        if request.requested_authn_context is not None:
            requested = tuple(ref.text.strip() for ref in request.requested_authn_context.authn_context_class_ref)
        return PendingRequest(
            id=request.id,
            sp_entity_id=sp_entity_id,
            acs_url=acs_url,
            requested_loas=requested,
            force_authn=str(request.force_authn).lower() == "true",
            relay_state=relay_state,
            match_values=_principal_selection(request),
            **_sign_message(request),
        )

    def level_for(self, request: PendingRequest) -> str | None:
        """The strongest level this IdP can give among those requested (None: none acceptable)."""
        for loa in reversed(self.kind.assurance):
            if not request.requested_loas or loa in request.requested_loas:
                return loa
        return None

    def respond(
        self,
        request: PendingRequest,
        *,
        attributes: dict[str, list[str]],
        level: str,
        now: dt.datetime,
        faults: Faults | None = None,
    ) -> str:
        """A successful Response (base64, for an HTTP-POST to the SP) carrying ``attributes``."""
        faults = faults or Faults()
        authn_instant = now + faults.authn_instant_offset
        unsigned = self.server.create_authn_response(
            identity=attributes,
            in_response_to=faults.in_response_to or request.id,
            destination=faults.destination or request.acs_url,
            sp_entity_id=request.sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=secrets.token_hex(16)),
            authn={
                "class_ref": level,
                "authn_instant": int(authn_instant.timestamp()),
                "authn_auth": self.kind.entity_id,
            },
            sign_response=False,
            sign_assertion=False,
            encrypt_assertion=False,
        )
        root = etree.fromstring(str(unsigned).encode())
        issued = _utc_text(now + faults.issue_instant_offset)
        root.set("IssueInstant", issued)
        assertion = root.find("saml:Assertion", NS)
        assert assertion is not None  # noqa: S101 - pysaml2 always builds one here
        assertion.set("IssueInstant", issued)
        if faults.audience is not None:
            for audience in assertion.iterfind(".//saml:Audience", NS):
                audience.text = faults.audience
        if faults.destination is not None:
            for data in assertion.iterfind(".//saml:SubjectConfirmationData", NS):
                data.set("Recipient", faults.destination)
        xml = etree.tostring(root, encoding="unicode")
        if faults.encrypt_assertion:
            xml = self._encrypt(xml, request.sp_entity_id, faults.encryption_algorithm)
        if faults.sign_response:
            xml = self._sign(xml)
        return base64.b64encode(xml.encode()).decode()

    def respond_error(self, request: PendingRequest, *, status: str, message: str, now: dt.datetime) -> str:
        """A signed error Response, e.g. the framework's ``cancel`` under ``Responder``."""
        response = self.server.create_error_response(
            request.id, request.acs_url, (status, message), sign=False, issuer=self.kind.entity_id
        )
        root = etree.fromstring(str(response).encode())
        root.set("IssueInstant", _utc_text(now))
        return base64.b64encode(self._sign(etree.tostring(root, encoding="unicode")).encode()).decode()

    def _encrypt(self, xml: str, sp_entity_id: str, algorithm: str) -> str:
        root = etree.fromstring(xml.encode())
        assertion = root.find("saml:Assertion", NS)
        assert assertion is not None  # noqa: S101 - checked by the caller
        certs = self.server.metadata.certs(sp_entity_id, "any", "encryption")
        if not certs:
            raise RequestRefusedError("the SP's metadata has no encryption key")
        wrapped, unwrapped = get_pem_wrapped_unwrapped(certs[-1][1])
        cert_file = make_temp(wrapped.encode("ascii"), decode=False)
        template = pre_encryption_part(msg_enc=algorithm, key_enc=RSA_OAEP_MGF1P, encrypt_cert=unwrapped)
        # The assertion is encrypted as a document of its own, so that it declares every namespace it
        # uses (xsi, xs) and can be read on its own after decryption.
        encrypted: str = self.server.sec.encrypt_assertion(
            etree.tostring(assertion, encoding="unicode"),
            cert_file.name,
            str(template),
            key_type=_SESSION_KEYS[algorithm],
            node_xpath="/*[local-name()='Assertion']",
        )
        wrapper = etree.Element(f"{{{SAML}}}EncryptedAssertion")
        wrapper.append(etree.fromstring(encrypted.encode()))
        assertion.addprevious(wrapper)
        root.remove(assertion)
        return etree.tostring(root, encoding="unicode")

    def _sign(self, xml: str) -> str:
        root = etree.fromstring(xml.encode())
        response_id = root.get("ID")
        signature = pre_signature_part(
            ident=response_id,
            public_key=self.keys.cert_base64(),
            digest_alg=DIGEST_SHA256,
            sign_alg=SIG_RSA_SHA256,
        )
        issuer = root.find("saml:Issuer", NS)
        position = 1 if issuer is not None else 0
        root.insert(position, etree.fromstring(str(signature).encode()))
        signed: str = self.server.sec.sign_statement(
            etree.tostring(root, encoding="unicode"),
            node_name=f"{SAMLP}:Response",
            key_file=str(self.keys.key_file),
            node_id=response_id,
        )
        return signed
