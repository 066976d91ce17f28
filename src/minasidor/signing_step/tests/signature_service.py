"""The test signature service, for every test that signs over SAML: its keys and the portal's, the portal
configured against it (the ``connected`` fixture), and the browser's round trip — the portal's sign request
posted to the service, the service's answer for a person (or a cancel), the answer posted back.

The fixtures reach the tests through the conftest of each tests package that uses them (signing_step,
applications). The keys are generated for the tests only.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.identity.types import Identity
from simulators.sigservice.keys import ServiceKeys, key_pem, pem
from simulators.sigservice.service import Authenticated, respond

IDP = "http://swedish-eid.test/idp"

# The keys' certificates start a month back: tests that use the demo data run on its clock (2026-11-28).
_KEYS_FROM = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)


@pytest.fixture(scope="module")
def keys() -> ServiceKeys:
    """The signature service's keys (test only)."""
    return ServiceKeys.generate(now=_KEYS_FROM)


@pytest.fixture(scope="module")
def portal_keys() -> ServiceKeys:
    """The portal's SAML keys, with which it signs its requests (test only)."""
    return ServiceKeys.generate(now=_KEYS_FROM)


@pytest.fixture
def connected(settings: Settings, tmp_path: Path, keys: ServiceKeys, portal_keys: ServiceKeys) -> ServiceKeys:
    """The portal configured to sign at the test service: its URL, its certificate and CA, the portal's keys."""
    files = {
        "service.crt": pem(keys.signing_cert),
        "ca.crt": pem(keys.ca_cert),
        "sp.key": key_pem(portal_keys.signing_key),
        "sp.crt": pem(portal_keys.signing_cert),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    settings.SIGSERVICE_URL = "https://sigservice.test/sign"
    settings.SIGSERVICE_ENTITY_ID = "https://sigservice.test"
    settings.SIGSERVICE_SIGNING_CERT_FILE = str(tmp_path / "service.crt")
    settings.SIGSERVICE_CA_ROOT_FILE = str(tmp_path / "ca.crt")
    settings.SAML_KEY_FILE = str(tmp_path / "sp.key")
    settings.SAML_CERT_FILE = str(tmp_path / "sp.crt")
    return keys


def sign_request(client: Client) -> bytes:
    """The signed request the portal's page has the browser post to the service (checked to go there only)."""
    page = client.post("/sign/underskriftstjanst/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'action="https://sigservice.test/sign"' in body
    assert "form-action" not in page["Content-Security-Policy"], "the service sends the browser on to an IdP"
    assert "default-src 'none'" in page["Content-Security-Policy"]
    value = re.search(r'name="EidSignRequest" value="([^"]+)"', body)
    assert value is not None
    return base64.b64decode(html.unescape(value.group(1)))


def post_answer(client: Client, response_xml: bytes) -> Any:
    """The service posts its answer cross-site (no session cookie), the browser then comes back."""
    posted = Client().post(
        "/sign/underskriftstjanst/svar/", {"EidSignResponse": base64.b64encode(response_xml).decode()}
    )
    assert posted.status_code == 302
    return client.get(posted["Location"])


def authenticated(identity: Identity, attributes: dict[str, str], identifier: str) -> Authenticated:
    """``identity`` as the service's IdP authenticated them, with these SAML ``attributes``."""
    return Authenticated(
        attributes=attributes,
        identifier=identifier,
        given_name=identity.given_name,
        surname=identity.family_name,
        identity_provider=identity.provider,
        level_of_assurance=identity.level_of_assurance,
    )


def service_answer(
    request_xml: bytes, signer: Authenticated | None, *, keys: ServiceKeys, portal_keys: ServiceKeys
) -> bytes:
    """The test service's answer (signed with ``keys``) to the portal's request: ``signer`` signed, now (None:
    they cancelled)."""
    return respond(
        request_xml, keys=keys, requester_cert_pem=pem(portal_keys.signing_cert), person=signer, now=clock.now()
    )
