"""Requirement (issue 17): the sign request names the signer by the attributes the signature service must
find when it authenticates the person again (``Signer``: the personal number, the number a foreign eID is
bound to, the foreign eID's ``prid``); the service passes them to the identity provider as a
``PrincipalSelection`` (valid against the published schema), the identity provider picks that person and
refuses another (``UnknownPrincipal``), and the service refuses to sign for anyone else (``user-mismatch``).
The service also passes the sign message on; the identity provider shows it and confirms it
(``signMessageDigest``), and the service refuses a login that did not (``sigmessage-error``).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import html
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import xmlschema
from lxml import etree

from minasidor.signing.sigservice import (
    CSIG,
    MAPPED_PERSONAL_NUMBER,
    PRID,
    Requester,
    Service,
    Signer,
    sign_request_build,
)
from minasidor.signing.tests.dss_schema import PRINCIPAL_SELECTION
from simulators.saml_idp.idp import CONNECTOR_ENTITY_ID, EIDAS_NF_SUB
from simulators.saml_idp.persons import foreign_person
from simulators.saml_idp.server import IdpThread
from simulators.sigservice.authn import PRINCIPAL_SELECTION as PSC
from simulators.sigservice.authn import SignerAuthentication, SignerMismatchError
from simulators.sigservice.keys import ServiceKeys, key_pem, pem
from simulators.sigservice.service import SIGN_MESSAGE_DIGEST, Authenticated, respond

KARIN = "196201082697"
KARIN_ABROAD = foreign_person("fi-bound-pnr")
ACS = "http://sigservice.test/saml/acs"


@pytest.fixture(scope="module")
def idps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpThread]:
    with IdpThread(tmp_path_factory.mktemp("idp")) as thread:
        yield thread


@pytest.fixture
def service_sp(idps: IdpThread, tmp_path: Path) -> SignerAuthentication:
    """The test signature service's SAML SP, known to the test identity providers."""
    authentication = SignerAuthentication.create(
        tmp_path,
        entity_id="http://sigservice.test/saml/metadata",
        acs_url=ACS,
        federation_metadata=httpx.get(idps.metadata_url, timeout=5).text,
    )
    for idp in idps.providers.idps.values():
        idp.load_sp_metadata(authentication.metadata())
    return authentication


def _bound_signer() -> Signer:
    return Signer(
        personal_number=KARIN,
        prid=KARIN_ABROAD.prid,
        mapped=True,
        identity_provider=CONNECTOR_ENTITY_ID,
        level_of_assurance=EIDAS_NF_SUB,
    )


def _authn_request(location: str) -> etree._Element:
    """The AuthnRequest an HTTP-Redirect binding URL carries."""
    encoded = parse_qs(urlparse(location).query)["SAMLRequest"][0]
    return etree.fromstring(zlib.decompress(base64.b64decode(encoded), -15))


def _choose(location: str, choice: dict[str, str]) -> tuple[str, str]:
    """The identity provider's page (returned) and, after the choice, its SAMLResponse."""
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        page = browser.get(location)
        assert page.status_code == 200, page.text
        answer = browser.post(str(page.url), data=choice)
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', answer.text)
    assert found is not None, answer.text
    return page.text, html.unescape(found.group(1))


def test_a_foreign_eid_bound_to_a_number_is_named_by_both() -> None:
    assert _bound_signer().attributes() == [(MAPPED_PERSONAL_NUMBER, KARIN), (PRID, KARIN_ABROAD.prid)]
    assert _bound_signer().identifier == KARIN, "the certificate names the bound number"
    unbound = Signer(personal_number=None, prid="FR:x", identity_provider="i", level_of_assurance="l")
    assert unbound.attributes() == [(PRID, "FR:x")]
    assert unbound.identifier == "FR:x"


def test_the_services_authentication_request_selects_the_signer_by_the_published_schema(
    service_sp: SignerAuthentication,
) -> None:
    _, location = service_sp.redirect(
        identity_provider=CONNECTOR_ENTITY_ID, relay_state="k", match_values=_bound_signer().attributes()
    )
    request = _authn_request(location)
    selections = request.findall(f"{{urn:oasis:names:tc:SAML:2.0:protocol}}Extensions/{{{PSC}}}PrincipalSelection")
    assert len(selections) == 1
    schema = xmlschema.XMLSchema(str(PRINCIPAL_SELECTION), allow="local")
    assert [str(error.reason) for error in schema.iter_errors(etree.tostring(selections[0]))] == []
    values = [(value.get("Name"), value.text) for value in selections[0]]
    assert values == [(MAPPED_PERSONAL_NUMBER, KARIN), (PRID, KARIN_ABROAD.prid)]


def test_the_identity_provider_offers_the_selected_person_and_refuses_another(
    service_sp: SignerAuthentication,
) -> None:
    request_id, location = service_sp.redirect(
        identity_provider=CONNECTOR_ENTITY_ID, relay_state="k", match_values=_bound_signer().attributes()
    )
    page, response = _choose(location, {"person": "no-bound-pnr", "share": "yes", "action": "login"})
    assert re.search(r'value="fi-bound-pnr"\s+checked', page), "the selected person is offered first"
    assert KARIN in page
    with pytest.raises(SignerMismatchError):
        service_sp.authenticated(response, request_id=request_id)


def test_the_selected_person_is_authenticated_with_every_attribute_the_signer_names(
    service_sp: SignerAuthentication,
) -> None:
    request_id, location = service_sp.redirect(
        identity_provider=CONNECTOR_ENTITY_ID, relay_state="k", match_values=_bound_signer().attributes()
    )
    _, response = _choose(location, {"person": "fi-bound-pnr", "share": "yes", "action": "login"})
    person = service_sp.authenticated(response, request_id=request_id)
    assert person.identifier == KARIN
    assert all(person.attributes.get(name) == value for name, value in _bound_signer().attributes())


def test_declining_to_share_the_number_is_no_match_for_a_bound_signer(service_sp: SignerAuthentication) -> None:
    """The connector then releases the prid only: the identity provider lets it through (the number is not
    released, so not contradicted), and the service finds the Signer's number missing."""
    request_id, location = service_sp.redirect(
        identity_provider=CONNECTOR_ENTITY_ID, relay_state="k", match_values=_bound_signer().attributes()
    )
    _, response = _choose(location, {"person": "fi-bound-pnr", "share": "no", "action": "login"})
    person = service_sp.authenticated(response, request_id=request_id)
    assert MAPPED_PERSONAL_NUMBER not in person.attributes
    assert not all(person.attributes.get(name) == value for name, value in _bound_signer().attributes())


def _sign_message_element(text: str, *, must_show: bool = True) -> bytes:
    element = etree.Element(f"{{{CSIG}}}SignMessage", nsmap={"csig": CSIG}, MustShow=str(must_show).lower())
    etree.SubElement(element, f"{{{CSIG}}}Message").text = base64.b64encode(text.encode()).decode()
    return etree.tostring(element)


def test_the_identity_provider_shows_the_sign_message_and_confirms_it(service_sp: SignerAuthentication) -> None:
    """The connector shows the sign message to the foreign eID user and confirms it with ``signMessageDigest``;
    the service refuses (``sigmessage-error``) an authentication that does not confirm the message it must show."""
    text = "# Ansökan om allmän ålderspension\n\nInkomstpension: 100 procent"
    request_id, location = service_sp.redirect(
        identity_provider=CONNECTOR_ENTITY_ID,
        relay_state="k",
        match_values=_bound_signer().attributes(),
        sign_message=_sign_message_element(text),
    )
    page, response = _choose(location, {"person": "fi-bound-pnr", "share": "yes", "action": "login"})
    assert html.escape(text) in page
    person = service_sp.authenticated(response, request_id=request_id)
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert person.attributes[SIGN_MESSAGE_DIGEST] == f"http://www.w3.org/2001/04/xmlenc#sha256;{digest}"


def test_the_service_refuses_a_login_that_did_not_confirm_the_sign_message() -> None:
    keys = ServiceKeys.generate(now=dt.datetime.now(dt.UTC))
    portal = ServiceKeys.generate(now=dt.datetime.now(dt.UTC))
    requester = Requester(
        entity_id="http://portal.test/sp", key_pem=key_pem(portal.signing_key), cert_pem=pem(portal.signing_cert)
    )
    service = Service(
        entity_id="http://sigservice.test",
        url="http://sigservice.test/sign",
        signing_certs_pem=(pem(keys.signing_cert),),
        ca_root_pem=pem(keys.ca_cert),
    )
    now = dt.datetime.now(dt.UTC)
    sent = sign_request_build(
        requester=requester,
        service=service,
        signer=_bound_signer(),
        document_digest=hashlib.sha256(b"document").digest(),
        sign_message="Ansökan",
        return_url="https://portal.test/sign/svar/",
        now=now,
    )
    person = Authenticated(
        attributes=dict(_bound_signer().attributes()),
        identifier=KARIN,
        given_name="Karin",
        surname="Lindqvist",
        identity_provider=CONNECTOR_ENTITY_ID,
        level_of_assurance=EIDAS_NF_SUB,
    )
    unconfirmed = respond(
        sent.xml, keys=keys, requester_cert_pem=requester.cert_pem, person=person, now=now, sign_message_checked=True
    )
    assert b"sigmessage-error" in unconfirmed
    digest = base64.b64encode(hashlib.sha256("Ansökan".encode()).digest()).decode()
    confirmed = dataclasses.replace(
        person,
        attributes={**person.attributes, SIGN_MESSAGE_DIGEST: f"http://www.w3.org/2001/04/xmlenc#sha256;{digest}"},
    )
    signed = respond(
        sent.xml, keys=keys, requester_cert_pem=requester.cert_pem, person=confirmed, now=now, sign_message_checked=True
    )
    assert b"resultmajor:Success" in signed
