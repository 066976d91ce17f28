"""Requirement: only a signed, untampered, unexpired federation aggregate is used; the test federation only in dev."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.saml.federation import FEDERATION, MetadataError, verified_aggregate
from minasidor.identity.contrib.saml.tests.support import Federation
from simulators.saml_idp.federation import aggregate, signed_aggregate
from simulators.saml_idp.idp import CONNECTOR_ENTITY_ID, SWEDISH_EID_ENTITY_ID
from simulators.saml_idp.keys import key_pair

NOW = dt.datetime.now(dt.UTC)


def _entities(federation: Federation) -> list[etree._Element]:
    return [idp.entity_descriptor() for idp in federation.providers.idps.values()]


def test_a_signed_aggregate_is_used(saml_federation_files: Federation) -> None:
    signed = signed_aggregate(
        _entities(saml_federation_files), keys=saml_federation_files.providers.keys["federation"], now=NOW, name="t"
    )
    xml = verified_aggregate(signed, cert_pem=saml_federation_files.cert_file.read_text(), now=NOW).decode()
    assert CONNECTOR_ENTITY_ID in xml
    assert SWEDISH_EID_ENTITY_ID in xml
    assert "Signature" not in xml


def test_an_unsigned_aggregate_is_refused(saml_federation_files: Federation) -> None:
    unsigned = etree.tostring(aggregate(_entities(saml_federation_files), now=NOW, name="t"))
    with pytest.raises(MetadataError, match="not signed"):
        verified_aggregate(unsigned, cert_pem=saml_federation_files.cert_file.read_text(), now=NOW)


def test_a_tampered_aggregate_is_refused(saml_federation_files: Federation) -> None:
    signed = signed_aggregate(
        _entities(saml_federation_files), keys=saml_federation_files.providers.keys["federation"], now=NOW, name="t"
    )
    tampered = signed.replace(b"https://", b"http://").replace(b"swedish-eid/sso", b"evil/sso")
    assert tampered != signed
    with pytest.raises(MetadataError, match="signature"):
        verified_aggregate(tampered, cert_pem=saml_federation_files.cert_file.read_text(), now=NOW)


def test_an_aggregate_signed_by_another_key_is_refused(saml_federation_files: Federation, tmp_path: Path) -> None:
    other = key_pair(tmp_path, "other-federation", now=NOW)
    signed = signed_aggregate(_entities(saml_federation_files), keys=other, now=NOW, name="t")
    with pytest.raises(MetadataError, match="signature"):
        verified_aggregate(signed, cert_pem=saml_federation_files.cert_file.read_text(), now=NOW)


def test_an_expired_aggregate_is_refused(saml_federation_files: Federation) -> None:
    signed = signed_aggregate(
        _entities(saml_federation_files), keys=saml_federation_files.providers.keys["federation"], now=NOW, name="t"
    )
    with pytest.raises(MetadataError, match="expired"):
        verified_aggregate(
            signed, cert_pem=saml_federation_files.cert_file.read_text(), now=NOW + dt.timedelta(days=30)
        )


def test_the_local_test_federation_is_trusted_only_with_simulators_enabled(settings: Settings) -> None:
    settings.SAML_METADATA_URL = "http://127.0.0.1:8445/federation/metadata.xml"
    settings.SAML_TRUST_TEST_FEDERATION = False
    FEDERATION.reset()
    with pytest.raises(MetadataError, match="simulators"):
        FEDERATION.xml()
    settings.SAML_METADATA_URL = "https://qa.md.swedenconnect.se/role/idp.xml"
    settings.SAML_METADATA_CERT_FILE = str(Path(settings.VAR_DIR) / "simulators" / "saml" / "federation.crt")
    with pytest.raises(MetadataError, match="simulators"):
        FEDERATION.xml()
