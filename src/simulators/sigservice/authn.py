"""The test signature service authenticates the signer again, at the identity provider the sign request
names, over SAML (a pysaml2 SP of its own, with TEST-ONLY keys): ``ForceAuthn``, the requested level of
assurance, and the answer (signed, the assertion encrypted) read into an :class:`Authenticated`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, ExtensionElement, extension_element_from_string
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.response import StatusError, StatusUnknownPrincipal
from saml2.samlp import Extensions

from simulators.saml_idp.keys import key_pair
from simulators.sigservice.service import Authenticated

GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
# The attributes that name a signer, in the order a certificate's serialNumber takes them.
IDENTIFIERS = ("urn:oid:1.2.752.29.4.13", "urn:oid:1.2.752.201.3.16", "urn:oid:1.2.752.201.3.4")


# "Principal Selection in SAML Authentication Requests" (the Swedish eID framework): who the service expects.
PRINCIPAL_SELECTION = "http://id.swedenconnect.se/authn/1.0/principal-selection/ns"


class SignerCancelledError(Exception):
    """The person cancelled at the identity provider (or it did not authenticate them)."""


class SignerMismatchError(SignerCancelledError):
    """The identity provider authenticated someone else than the principal selected (``UnknownPrincipal``)."""


def principal_selection(match_values: list[tuple[str, str]]) -> ExtensionElement:
    """The AuthnRequest's ``psc:PrincipalSelection`` extension with one ``MatchValue`` per (name, value)."""
    values = [
        ExtensionElement("MatchValue", namespace=PRINCIPAL_SELECTION, attributes={"Name": name}, text=value)
        for name, value in match_values
    ]
    return ExtensionElement("PrincipalSelection", namespace=PRINCIPAL_SELECTION, children=values)


@dataclasses.dataclass
class SignerAuthentication:
    """The service's SAML SP towards the (test) identity providers of a federation."""

    client: Saml2Client

    @classmethod
    def create(cls, directory: Path, *, entity_id: str, acs_url: str, federation_metadata: str) -> SignerAuthentication:
        keys = key_pair(directory, "sigservice-sp", now=dt.datetime.now(dt.UTC))
        config = SPConfig()
        config.load(
            {
                "entityid": entity_id,
                "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
                "key_file": str(keys.key_file),
                "cert_file": str(keys.cert_file),
                "encryption_keypairs": [{"key_file": str(keys.key_file), "cert_file": str(keys.cert_file)}],
                "allow_unknown_attributes": True,
                "metadata": {"inline": [federation_metadata]},
                "service": {"sp": {"endpoints": {"assertion_consumer_service": [(acs_url, BINDING_HTTP_POST)]}}},
            }
        )
        return cls(client=Saml2Client(config=config))

    def metadata(self) -> str:
        """The SP's metadata (the identity providers load it, as a federation would)."""
        return str(entity_descriptor(self.client.config))

    def redirect(
        self,
        *,
        identity_provider: str,
        relay_state: str,
        match_values: list[tuple[str, str]] | None = None,
        sign_message: bytes | None = None,
    ) -> tuple[str, str]:
        """An AuthnRequest (ForceAuthn) to ``identity_provider``: its id and where to send the browser. With
        ``match_values`` (the sign request's ``Signer``) it names the expected person in a
        ``PrincipalSelection``, so the identity provider can pick them, or refuse someone else; with
        ``sign_message`` (the sign request's ``csig:SignMessage`` element, as XML) it asks the identity
        provider to show that message and confirm it with ``signMessageDigest`` (Deployment Profile §7.1.1)."""
        elements = [principal_selection(match_values)] if match_values else []
        if sign_message:
            elements.append(extension_element_from_string(sign_message.decode("utf-8")))
        extensions = Extensions(extension_elements=elements) if elements else None
        request_id, info = self.client.prepare_for_authenticate(
            entityid=identity_provider,
            binding=BINDING_HTTP_REDIRECT,
            relay_state=relay_state,
            force_authn="true",
            extensions=extensions,
        )
        return request_id, dict(info["headers"])["Location"]

    def authenticated(self, saml_response: str, *, request_id: str) -> Authenticated:
        """The person the identity provider's answer to ``request_id`` authenticated."""
        try:
            parsed = self.client.parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
            )
        except StatusError as error:
            if isinstance(error, StatusUnknownPrincipal):
                raise SignerMismatchError(str(error)) from error
            raise SignerCancelledError(str(error)) from error
        if parsed is None or parsed.assertion is None:
            raise SignerCancelledError("no assertion")
        values = {
            str(attribute.name): str(attribute.attribute_value[0].text)
            for statement in parsed.assertion.attribute_statement
            for attribute in statement.attribute
            if attribute.attribute_value
        }
        identifier = next((values[name] for name in IDENTIFIERS if name in values), "")
        statement = parsed.assertion.authn_statement[0]
        return Authenticated(
            attributes=values,
            identifier=identifier,
            given_name=values.get(GIVEN_NAME, ""),
            surname=values.get(SURNAME, ""),
            identity_provider=str(parsed.assertion.issuer.text),
            level_of_assurance=str(statement.authn_context.authn_context_class_ref.text),
        )
