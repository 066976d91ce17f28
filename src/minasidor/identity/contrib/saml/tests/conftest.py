"""Fixtures for the SAML tests: a test federation, and the SP pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.saml import config
from minasidor.identity.contrib.saml.tests.support import Federation, make_federation


@pytest.fixture(scope="session")
def saml_federation_files(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    return make_federation(tmp_path_factory.mktemp("saml-federation"))


@pytest.fixture(scope="session")
def saml_sp_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("saml-sp")


@pytest.fixture
def saml_federation(saml_federation_files: Federation, saml_sp_keys: Path, settings: Settings) -> Iterator[Federation]:
    """The SP trusting the test federation's signed aggregate (a file), with its own test keys."""
    settings.SAML_METADATA_URL = str(saml_federation_files.metadata_file)
    settings.SAML_METADATA_CERT_FILE = str(saml_federation_files.cert_file)
    settings.SAML_KEY_FILE = str(saml_sp_keys / "sign-key.pem")
    settings.SAML_CERT_FILE = str(saml_sp_keys / "sign.crt")
    settings.SAML_ENCRYPTION_KEY_FILE = str(saml_sp_keys / "enc-key.pem")
    settings.SAML_ENCRYPTION_CERT_FILE = str(saml_sp_keys / "enc.crt")
    config.reset()
    cache.clear()
    saml_federation_files.introduce_sp()
    yield saml_federation_files
    config.reset()
