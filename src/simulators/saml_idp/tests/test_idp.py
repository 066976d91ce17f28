"""Requirement: the test IdPs answer a standard pysaml2 SP over HTTP with signed responses whose assertion is
encrypted with AES and RSA-OAEP, release the framework's attributes, and publish a signed metadata aggregate."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from signxml import XMLVerifier  # type: ignore[attr-defined]

from simulators.saml_idp.idp import CONNECTOR_ENTITY_ID, SWEDISH_EID_ENTITY_ID
from simulators.saml_idp.keys import key_pair
from simulators.saml_idp.server import IdpThread

ACS = "http://sp.test/acs"
XENC = "http://www.w3.org/2001/04/xmlenc#"


@pytest.fixture(scope="module")
def idps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpThread]:
    with IdpThread(tmp_path_factory.mktemp("idp")) as thread:
        yield thread


def _sp(directory: Path, metadata_xml: str) -> Saml2Client:
    keys = key_pair(directory, "sp", now=dt.datetime.now(dt.UTC))
    config = SPConfig()
    config.load(
        {
            "entityid": "http://sp.test/metadata",
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "key_file": str(keys.key_file),
            "cert_file": str(keys.cert_file),
            "encryption_keypairs": [{"key_file": str(keys.key_file), "cert_file": str(keys.cert_file)}],
            "allow_unknown_attributes": True,
            "metadata": {"inline": [metadata_xml]},
            "service": {"sp": {"endpoints": {"assertion_consumer_service": [(ACS, BINDING_HTTP_POST)]}}},
        }
    )
    return Saml2Client(config=config)


def _login(idps: IdpThread, sp: Saml2Client, idp: str, choice: dict[str, str]) -> tuple[str, str]:
    """Send an AuthnRequest, make the choice on the IdP's page; returns (request id, SAMLResponse)."""
    request_id, info = sp.prepare_for_authenticate(entityid=idp, binding=BINDING_HTTP_REDIRECT, force_authn="true")
    location = dict(info["headers"])["Location"]
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        page = browser.get(location)
        assert page.status_code == 200, page.text
        assert "<script" not in page.text
        answer = browser.post(str(page.url), data=choice)
    assert answer.status_code == 200
    assert f'action="{ACS}"' in answer.text
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', answer.text)
    assert found is not None
    return request_id, unescape(found.group(1))


def test_the_aggregate_is_signed_by_the_federation_key(idps: IdpThread) -> None:
    document = httpx.get(idps.metadata_url, timeout=5).content
    cert = idps.providers.keys["federation"].cert_file.read_text()
    result = XMLVerifier().verify(etree.fromstring(document), x509_cert=cert)
    assert not isinstance(result, list)
    signed = result.signed_xml
    assert signed is not None
    ids = {entity.get("entityID") for entity in signed.iter("{urn:oasis:names:tc:SAML:2.0:metadata}EntityDescriptor")}
    assert ids == {CONNECTOR_ENTITY_ID, SWEDISH_EID_ENTITY_ID}


def test_the_connector_releases_the_eidas_set_with_a_shared_binding(idps: IdpThread, tmp_path: Path) -> None:
    metadata = httpx.get(idps.metadata_url, timeout=5).text
    sp = _sp(tmp_path, metadata)
    sp_metadata = str(entity_descriptor(sp.config))
    for idp in idps.providers.idps.values():
        idp.load_sp_metadata(sp_metadata)
    request_id, saml_response = _login(
        idps, sp, CONNECTOR_ENTITY_ID, {"person": "no-bound-pnr", "share": "yes", "action": "login"}
    )
    xml = etree.fromstring(base64.b64decode(saml_response))
    assert xml.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    algorithms = {element.get("Algorithm") for element in xml.iter(f"{{{XENC}}}EncryptionMethod")}
    assert algorithms == {"http://www.w3.org/2009/xmlenc11#aes256-gcm", f"{XENC}rsa-oaep-mgf1p"}
    parsed = sp.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    values = {
        attribute.name: attribute.attribute_value[0].text
        for attribute in parsed.assertion.attribute_statement[0].attribute
    }
    assert values["urn:oid:1.2.752.201.3.4"] == "NO:02015912345"
    assert values["urn:oid:1.2.752.201.3.16"] == "195901022995"
    assert values["urn:oid:1.2.752.201.3.6"] == "http://id.swedenconnect.se/id-binding/process/populationregister"


def test_declining_to_share_the_binding_leaves_the_number_out(idps: IdpThread, tmp_path: Path) -> None:
    sp = _sp(tmp_path, httpx.get(idps.metadata_url, timeout=5).text)
    for idp in idps.providers.idps.values():
        idp.load_sp_metadata(str(entity_descriptor(sp.config)))
    request_id, saml_response = _login(
        idps, sp, CONNECTOR_ENTITY_ID, {"person": "no-bound-pnr", "share": "no", "action": "login"}
    )
    parsed = sp.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    names = {attribute.name for attribute in parsed.assertion.attribute_statement[0].attribute}
    assert "urn:oid:1.2.752.201.3.16" not in names
    assert "urn:oid:1.2.752.201.3.4" in names


def test_cancel_answers_with_the_frameworks_cancel_status(idps: IdpThread, tmp_path: Path) -> None:
    sp = _sp(tmp_path, httpx.get(idps.metadata_url, timeout=5).text)
    for idp in idps.providers.idps.values():
        idp.load_sp_metadata(str(entity_descriptor(sp.config)))
    _, saml_response = _login(idps, sp, SWEDISH_EID_ENTITY_ID, {"person": "191212121212", "action": "cancel"})
    xml = base64.b64decode(saml_response).decode()
    assert "http://id.elegnamnden.se/status/1.0/cancel" in xml
    assert "EncryptedAssertion" not in xml
