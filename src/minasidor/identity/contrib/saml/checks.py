"""The strict checks on a SAML Response, beyond what pysaml2 checks by default.

Before pysaml2 sees the document (:func:`precheck`): it is a ``samlp:Response``; a successful one is
signed at the top, carries exactly one ``EncryptedAssertion`` and no plain ``Assertion`` anywhere, uses
only the framework's algorithms (no 3DES, no RSA PKCS#1 v1.5 key transport, no SHA-1 signatures or
digests), and names our ACS as its ``Destination``. After pysaml2 has verified the signature with the
IdP's key from the verified metadata and decrypted the assertion (:func:`postcheck`): issuer is the IdP
we asked, audience is us, recipient is our ACS, ``InResponseTo`` is our request, issue instants are fresh
(at most ``SAML_CLOCK_SKEW_SECONDS`` ≤ 60 s of skew), the level is one we requested, the authentication
happened after our request (we always send ``ForceAuthn``), and the assertion id has not been seen
before (replay cache until the assertion expires).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from lxml import etree

from minasidor.identity.contrib.saml import attributes as names
from minasidor.security.store import security_cache

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False)
REPLAY_PREFIX = "saml:assertion-seen:"


class Refusal(enum.StrEnum):
    """Why a response was refused (for operators; the citizen sees one plain message)."""

    MALFORMED = "malformed"
    UNSIGNED = "unsigned"
    BAD_SIGNATURE = "bad_signature"
    NOT_ENCRYPTED = "not_encrypted"
    ALGORITHM = "algorithm"
    ISSUER = "issuer"
    UNKNOWN_IDP = "unknown_idp"  # an identity provider that is not in the federation's metadata
    DESTINATION = "destination"
    RECIPIENT = "recipient"
    AUDIENCE = "audience"
    IN_RESPONSE_TO = "in_response_to"
    REPLAY = "replay"
    STALE = "stale"
    LEVEL = "level"
    AUTHN_INSTANT = "authn_instant"
    ATTRIBUTES = "attributes"


class ResponseRefusedError(Exception):
    """The response fails a check; ``reason`` says which."""

    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class Status:
    """The response's status: top-level code and the framework's second-level code, if any."""

    code: str
    subcode: str | None
    message: str

    @property
    def ok(self) -> bool:
        return self.code == names.STATUS_SUCCESS

    @property
    def cancelled(self) -> bool:
        return self.subcode == names.STATUS_CANCEL


@dataclasses.dataclass(frozen=True)
class Expected:
    """What the response must match: our outstanding request and our own addresses."""

    request_id: str
    idp: str
    levels: tuple[str, ...]
    requested_at: dt.datetime
    acs_url: str
    entity_id: str


def parse(document: bytes) -> etree._Element:
    try:
        root = etree.fromstring(document, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise ResponseRefusedError(Refusal.MALFORMED, "not well-formed XML") from error
    if root.tag != f"{{{SAMLP}}}Response":
        raise ResponseRefusedError(Refusal.MALFORMED, "not a samlp:Response")
    return root


def status_of(root: etree._Element) -> Status:
    code = root.find("samlp:Status/samlp:StatusCode", {"samlp": SAMLP})
    if code is None:
        raise ResponseRefusedError(Refusal.MALFORMED, "no status")
    sub = code.find("samlp:StatusCode", {"samlp": SAMLP})
    message = root.findtext("samlp:Status/samlp:StatusMessage", default="", namespaces={"samlp": SAMLP})
    return Status(code=code.get("Value", ""), subcode=sub.get("Value") if sub is not None else None, message=message)


def in_response_to(root: etree._Element) -> str:
    return root.get("InResponseTo", "")


def precheck(root: etree._Element, *, acs_url: str) -> None:
    """The checks on the raw successful response, before it is handed to pysaml2."""
    if root.find(f"{{{DS}}}Signature") is None:
        raise ResponseRefusedError(Refusal.UNSIGNED, "the Response carries no signature")
    if root.find(f".//{{{SAML}}}Assertion") is not None:
        raise ResponseRefusedError(Refusal.NOT_ENCRYPTED, "a plain Assertion is present")
    if len(root.findall(f"{{{SAML}}}EncryptedAssertion")) != 1:
        raise ResponseRefusedError(Refusal.NOT_ENCRYPTED, "exactly one EncryptedAssertion is required")
    _check_algorithms(root)
    if root.get("Destination") != acs_url:
        raise ResponseRefusedError(Refusal.DESTINATION, "Destination is not our ACS")


def _check_algorithms(root: etree._Element) -> None:
    for element in root.iter(f"{{{DS}}}SignatureMethod"):
        if element.get("Algorithm") not in names.ALLOWED_SIGNATURE_METHODS:
            raise ResponseRefusedError(Refusal.ALGORITHM, f"signature {element.get('Algorithm')}")
    for element in root.iter(f"{{{XENC}}}EncryptionMethod"):
        algorithm = element.get("Algorithm")
        parent = element.getparent()
        allowed = (
            names.ALLOWED_KEY_TRANSPORT
            if parent is not None and parent.tag == f"{{{XENC}}}EncryptedKey"
            else names.ALLOWED_BLOCK_ENCRYPTION
        )
        if algorithm not in allowed:
            raise ResponseRefusedError(Refusal.ALGORITHM, f"encryption {algorithm}")
    for element in root.iter(f"{{{DS}}}DigestMethod", f"{{{XENC11}}}MGF"):
        parent = element.getparent()
        in_oaep = parent is not None and parent.tag == f"{{{XENC}}}EncryptionMethod"
        allowed_set = names.ALLOWED_OAEP_PARAMETERS if in_oaep else names.ALLOWED_DIGEST_METHODS
        if element.get("Algorithm") not in allowed_set:
            raise ResponseRefusedError(Refusal.ALGORITHM, f"digest {element.get('Algorithm')}")


def instant_of(value: Any) -> dt.datetime:
    text = str(value).strip().replace("Z", "+00:00")
    instant = dt.datetime.fromisoformat(text)
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def postcheck(
    response: Any,
    assertion: Any,
    *,
    expected: Expected,
    now: dt.datetime,
    skew: dt.timedelta,
    max_age: dt.timedelta,
) -> str:
    """The checks on pysaml2's verified, decrypted response; returns the level of assurance."""
    issuer = (response.issuer.text or "").strip() if response.issuer is not None else ""
    assertion_issuer = (assertion.issuer.text or "").strip() if assertion.issuer is not None else ""
    if issuer != expected.idp or assertion_issuer != expected.idp:
        raise ResponseRefusedError(Refusal.ISSUER, "not the identity provider we asked")
    if response.destination != expected.acs_url:
        raise ResponseRefusedError(Refusal.DESTINATION, "Destination is not our ACS")
    if response.in_response_to != expected.request_id:
        raise ResponseRefusedError(Refusal.IN_RESPONSE_TO, "InResponseTo is not our request")
    _check_subject(assertion, expected)
    _check_audience(assertion, expected)
    for instant in (instant_of(response.issue_instant), instant_of(assertion.issue_instant)):
        if instant > now + skew or instant < now - max_age - skew:
            raise ResponseRefusedError(Refusal.STALE, "IssueInstant outside the accepted window")
    if len(assertion.authn_statement) != 1 or len(assertion.attribute_statement) != 1:
        raise ResponseRefusedError(Refusal.MALFORMED, "one AuthnStatement and one AttributeStatement required")
    statement = assertion.authn_statement[0]
    context = statement.authn_context
    level = (context.authn_context_class_ref.text or "").strip() if context and context.authn_context_class_ref else ""
    if level not in expected.levels:
        raise ResponseRefusedError(Refusal.LEVEL, f"level {level!r} was not requested")
    if instant_of(statement.authn_instant) < expected.requested_at - skew:
        raise ResponseRefusedError(Refusal.AUTHN_INSTANT, "the authentication is older than our request")
    _remember_assertion(assertion, now=now, skew=skew)
    return level


def _check_subject(assertion: Any, expected: Expected) -> None:
    confirmations = assertion.subject.subject_confirmation if assertion.subject is not None else []
    bearer = [c for c in confirmations if c.method == "urn:oasis:names:tc:SAML:2.0:cm:bearer"]
    if not bearer or bearer[0].subject_confirmation_data is None:
        raise ResponseRefusedError(Refusal.RECIPIENT, "no bearer subject confirmation")
    data = bearer[0].subject_confirmation_data
    if data.recipient != expected.acs_url:
        raise ResponseRefusedError(Refusal.RECIPIENT, "Recipient is not our ACS")
    if data.in_response_to != expected.request_id:
        raise ResponseRefusedError(Refusal.IN_RESPONSE_TO, "the subject confirmation is for another request")


def _check_audience(assertion: Any, expected: Expected) -> None:
    restrictions = assertion.conditions.audience_restriction if assertion.conditions is not None else []
    if not restrictions:
        raise ResponseRefusedError(Refusal.AUDIENCE, "no AudienceRestriction")
    for restriction in restrictions:
        if expected.entity_id not in [(audience.text or "").strip() for audience in restriction.audience]:
            raise ResponseRefusedError(Refusal.AUDIENCE, "we are not the audience")


def _remember_assertion(assertion: Any, *, now: dt.datetime, skew: dt.timedelta) -> None:
    """Refuse an assertion id seen before; remember this one until it can no longer be valid."""
    until = now + dt.timedelta(minutes=10)
    if assertion.conditions is not None and assertion.conditions.not_on_or_after:
        until = max(until, instant_of(assertion.conditions.not_on_or_after))
    timeout = int((until + skew - now).total_seconds()) + 1
    if not security_cache().add(f"{REPLAY_PREFIX}{assertion.id}", 1, timeout=timeout):
        raise ResponseRefusedError(Refusal.REPLAY, "this assertion has been used before")
