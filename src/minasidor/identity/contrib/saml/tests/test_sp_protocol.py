"""Requirement: the SP's metadata and AuthnRequests follow the Swedish eID framework's deployment profile."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree

from minasidor.identity.contrib.saml import config, protocol
from minasidor.identity.contrib.saml.tests.support import BASE, Federation
from simulators.saml_idp.idp import CONNECTOR_ENTITY_ID

pytestmark = pytest.mark.django_db  # the outstanding request is kept in the security store (a table here)

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
MDUI = "urn:oasis:names:tc:SAML:metadata:ui"
NS = {"md": MD, "saml": SAML, "samlp": SAMLP, "mdui": MDUI}


def test_the_sp_metadata_has_what_the_framework_requires(saml_federation: Federation) -> None:
    root = etree.fromstring(config.sp_metadata(BASE))
    assert root.get("entityID") == f"{BASE}/saml/metadata/"
    categories = root.xpath(
        "md:Extensions//saml:Attribute[@Name='http://macedir.org/entity-category']/saml:AttributeValue/text()",
        namespaces=NS,
    )
    assert isinstance(categories, list)
    assert {str(category) for category in categories} >= {
        "http://id.elegnamnden.se/ec/1.0/eidas-naturalperson",
        "http://id.elegnamnden.se/ec/1.0/loa3-pnr",
        "http://id.elegnamnden.se/st/1.0/public-sector-sp",
    }
    sp = root.find("md:SPSSODescriptor", NS)
    assert sp is not None
    assert sp.get("AuthnRequestsSigned") == "true"
    names = {el.get("{http://www.w3.org/XML/1998/namespace}lang") for el in sp.iterfind(".//mdui:DisplayName", NS)}
    assert names == {"sv", "en"}
    assert sp.find(".//mdui:Logo", NS) is not None
    uses = sorted(str(kd.get("use")) for kd in sp.iterfind("md:KeyDescriptor", NS))
    assert uses == ["encryption", "signing"]
    acs = sp.find("md:AssertionConsumerService", NS)
    assert acs is not None
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert acs.get("Location") == f"{BASE}/saml/acs/"
    declared = etree.tostring(root).decode()
    assert "sha1" not in declared.replace("rsa-oaep-mgf1p", "")
    assert "tripledes" not in declared


def test_the_authn_request_forces_authentication_and_lists_exactly_the_acceptable_levels(
    saml_federation: Federation,
) -> None:
    location, outstanding = protocol.login_request_create(
        base=BASE, kind="eidas", idp=CONNECTOR_ENTITY_ID, language="sv"
    )
    query = parse_qs(urlsplit(location).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert "Signature" in query
    request = etree.fromstring(zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15))
    assert request.get("ForceAuthn") == "true"
    assert request.find("samlp:NameIDPolicy", NS) is None
    assert request.get("Destination") == location.split("?")[0]
    assert request.get("AssertionConsumerServiceURL") == f"{BASE}/saml/acs/"
    context = request.find("samlp:RequestedAuthnContext", NS)
    assert context is not None
    assert context.get("Comparison") == "exact"
    assert [ref.text for ref in context.iterfind("saml:AuthnContextClassRef", NS)] == list(outstanding.levels)
    assert outstanding.levels == (
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-high",
    )
