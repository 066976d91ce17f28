"""Requirement: settings come from the environment through one documented helper; production refuses unsafe values."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from minasidor.conf import env

PROJECT_ROOT = Path(settings.PROJECT_ROOT)
SAFE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "minasidor.conf.production",
    "MINASIDOR_SECRET_KEY": "a-test-only-secret-that-is-long-enough-for-the-deploy-checks-0123456789",
    "MINASIDOR_AUDIT_PSEUDONYM_KEY": "a-test-only-audit-key",
    "MINASIDOR_SIMULATORS_ENABLED": "false",
    "MINASIDOR_ALLOWED_HOSTS": "minasidor.example",
    "MINASIDOR_BANKID_BASE_URL": "https://appapi2.bankid.com/rp/v6.0/",
    "MINASIDOR_BANKID_CERT_FILE": "/etc/minasidor/bankid-rp.pem",
    "MINASIDOR_BANKID_KEY_FILE": "/etc/minasidor/bankid-rp-key.pem",
    "MINASIDOR_BANKID_CA_FILE": "/etc/minasidor/bankid-ssl-root.pem",
    "MINASIDOR_BANKID_SIGNING_ROOT_FILE": "/etc/minasidor/bankid-signing-root.pem",
    "MINASIDOR_SEAL_CERT_FILE": "/etc/minasidor/seal.pem",
    "MINASIDOR_SEAL_KEY_FILE": "/etc/minasidor/seal-key.pem",
    "MINASIDOR_SEAL_CHAIN_FILE": "/etc/minasidor/seal-ca.pem",
    "MINASIDOR_SEAL_ROOT_FILE": "/etc/minasidor/seal-root.pem",
    "MINASIDOR_MINPENSION_BASE_URL": "https://minpension.example/api/v1/",
    "MINASIDOR_CONSOLE_OIDC_ISSUER": "https://idp.authority.example",
    "MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET": "a-real-secret-from-the-idp",
    "MINASIDOR_SAML_BASE_URL": "https://minasidor.example",
    "MINASIDOR_SAML_METADATA_URL": "https://qa.md.swedenconnect.se/role/idp.xml",
    "MINASIDOR_SAML_METADATA_CERT_FILE": "/etc/minasidor/sc-qa-metadata.crt",
    "MINASIDOR_SAML_EIDAS_CONNECTOR": "https://qa.connector.eidas.swedenconnect.se/eidas",
    "MINASIDOR_SAML_SWEDISH_EID_PROVIDERS": "https://idp.example/freja",
    # A test-only public key (32 bytes of 0x01), not the development pair the production profile refuses.
    "BACKOFFICE_API_TRUSTED_KEYS": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
    # A test-only key for deriving personal codes, not the development key the production profile refuses.
    "BACKOFFICE_PERSONAL_CODE_KEY": "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
    "MINASIDOR_TALSVAR_PLATFORM_TOKEN": "a-test-only-platform-token-for-the-production-profile",
    "MINASIDOR_PORTAL_URL": "https://minasidor.example/",
    "MINASIDOR_EMAIL_HOST": "smtp.minasidor.example",
    "MINASIDOR_EMAIL_PORT": "587",
    "MINASIDOR_EMAIL_USE_TLS": "true",
    "MINASIDOR_EMAIL_FROM": "Pensionsmyndigheten <no-reply@minasidor.example>",
    "MINASIDOR_SMS_BACKEND": "backoffice.notices.sms.DisabledSmsBackend",
    "MINASIDOR_MALWARE_SCANNER": "clamd://clamav.minasidor.example:3310",
    "MINASIDOR_REDIS_URL": "redis://127.0.0.1:6379/15",
}


def test_boolean_reads_the_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [
        ("1", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
    ]:
        monkeypatch.setenv("MINASIDOR_TEST_FLAG", raw)
        assert env.boolean("MINASIDOR_TEST_FLAG", not expected, "test") is expected


def test_a_malformed_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINASIDOR_TEST_NUMBER", "many")
    with pytest.raises(ImproperlyConfigured, match="MINASIDOR_TEST_NUMBER"):
        env.integer("MINASIDOR_TEST_NUMBER", 1, "test")


def test_the_default_applies_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINASIDOR_TEST_LIST", raising=False)
    assert env.strings("MINASIDOR_TEST_LIST", ("a", "b"), "test") == ("a", "b")
    monkeypatch.setenv("MINASIDOR_TEST_LIST", " x, ,y ")
    assert env.strings("MINASIDOR_TEST_LIST", ("a",), "test") == ("x", "y")


def test_every_setting_read_is_documented() -> None:
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", (PROJECT_ROOT / "docs/configuration.md").read_text(), re.M))
    read = {name for name in env.REGISTRY if not name.startswith("MINASIDOR_TEST_")}
    assert read, "the settings read nothing through the helper"
    assert read - documented == set(), "variables read but not documented in docs/configuration.md"
    assert documented - read == set(), "variables documented but never read"


def _start_production(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {**inherited, **SAFE_PRODUCTION_ENV, **extra}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_profile_passes_the_deploy_checks() -> None:
    result = _start_production({})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("MINASIDOR_SIMULATORS_ENABLED", "true", "simulators never run in production"),
        (
            "BACKOFFICE_API_TRUSTED_KEYS",
            settings.INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY,
            "not trust the development key",
        ),
        ("MINASIDOR_DEBUG", "true", "MINASIDOR_DEBUG must be false"),
        (
            "BACKOFFICE_PERSONAL_CODE_KEY",
            settings.INSECURE_DEFAULT_PERSONAL_CODE_KEY,
            "personal codes must not come from the development key",
        ),
        ("MINASIDOR_REDIS_URL", "", "MINASIDOR_REDIS_URL must be set"),
        ("MINASIDOR_SAML_METADATA_URL", "http://127.0.0.1:8445/federation/metadata.xml", "not the test IdPs"),
        ("MINASIDOR_SAML_METADATA_CERT_FILE", "/srv/var/simulators/saml/federation.crt", "not the test one"),
        (
            "MINASIDOR_BANKID_SIGNING_ROOT_FILE",
            "/srv/var/simulators/bankid/signing-root-ca.pem",
            "MINASIDOR_BANKID_SIGNING_ROOT_FILE must be the RP's or BankID's file, not the test server's",
        ),
        ("MINASIDOR_BANKID_KEY_FILE", "/srv/var/simulators/bankid/rp-key.pem", "not the test server's"),
        (
            "MINASIDOR_SEAL_KEY_FILE",
            "/srv/var/test-seal/seal-key.pem",
            "MINASIDOR_SEAL_KEY_FILE must be the authority's seal, not the development test seal",
        ),
        ("MINASIDOR_SEAL_ROOT_FILE", "/srv/var/test-seal/seal-root-ca.pem", "not the development test seal"),
        ("MINASIDOR_SAML_EIDAS_CONNECTOR", "http://test-idp.minasidor.invalid/eidas-connector", "real identity"),
        ("MINASIDOR_SECRET_KEY", settings.INSECURE_DEFAULT_SECRET_KEY, "MINASIDOR_SECRET_KEY must be set"),
        (
            "MINASIDOR_AUDIT_PSEUDONYM_KEY",
            settings.INSECURE_DEFAULT_AUDIT_KEY,
            "AUDIT_PSEUDONYM_KEY must be set",
        ),
    ],
)
def test_production_profile_refuses_unsafe_settings(variable: str, value: str, complaint: str) -> None:
    result = _start_production({variable: value})
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"MINASIDOR_EMAIL_HOST": "127.0.0.1", "MINASIDOR_EMAIL_PORT": "8025"}, "not the mail test server"),
        ({"MINASIDOR_EMAIL_USE_TLS": "false"}, "MINASIDOR_EMAIL_USE_TLS or MINASIDOR_EMAIL_USE_SSL must be true"),
        ({"MINASIDOR_EMAIL_FROM": "Pensionsportalen <no-reply@pensionsportalen.invalid>"}, "the authority's sender"),
        ({"MINASIDOR_SMS_BACKEND": "backoffice.notices.sms.ConsoleSmsBackend"}, "not a file or console"),
        ({"MINASIDOR_SMS_BACKEND": "backoffice.notices.sms.FileSmsBackend"}, "not a file or console"),
        ({"MINASIDOR_MALWARE_SCANNER": "eicar-test"}, "not the EICAR test scanner"),
        ({"MINASIDOR_PORTAL_URL": "http://127.0.0.1:8000/"}, "MINASIDOR_PORTAL_URL must be the portal's public https"),
        (
            {"MINASIDOR_REGISTERS": "http", "MINASIDOR_REGISTERS_URL": "http://backoffice.example/internal/v1/"},
            "MINASIDOR_REGISTERS_URL must be the back office's internal API over https",
        ),
        (
            {"MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET": settings.CONSOLE_DEVELOPMENT_CLIENT_SECRET},
            "MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET and _TOKEN_ENDPOINT",
        ),
        ({"MINASIDOR_CONSOLE_OIDC_ISSUER": "http://127.0.0.1:8446"}, "the authority's identity provider's"),
    ],
)
def test_production_profile_refuses_the_development_mail_and_text_messages(
    changes: dict[str, str], complaint: str
) -> None:
    result = _start_production(changes)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_profile_accepts_a_local_mail_relay_without_tls() -> None:
    result = _start_production(
        {"MINASIDOR_EMAIL_HOST": "127.0.0.1", "MINASIDOR_EMAIL_PORT": "25", "MINASIDOR_EMAIL_USE_TLS": "false"}
    )
    assert result.returncode == 0, result.stderr


LOOPBACK_STACK_ENV = {
    **SAFE_PRODUCTION_ENV,
    "DJANGO_SETTINGS_MODULE": "minasidor.conf.production_loopback",
    # The simulators and test certificates of the production stack on this machine (make prod-up):
    "MINASIDOR_SIMULATORS_ENABLED": "true",
    "MINASIDOR_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MINASIDOR_BANKID_BASE_URL": "https://127.0.0.1:18443/rp/v6.0/",
    "MINASIDOR_BANKID_CERT_FILE": "/srv/var/prod/simulators/bankid/rp.pem",
    "MINASIDOR_BANKID_SIGNING_ROOT_FILE": "/srv/var/prod/simulators/bankid/signing-root-ca.pem",
    "MINASIDOR_SEAL_KEY_FILE": "/srv/var/prod/test-seal/seal-key.pem",
    "MINASIDOR_MINPENSION_BASE_URL": "http://127.0.0.1:18450/api/v1/",
    "MINASIDOR_SAML_METADATA_URL": "http://127.0.0.1:18445/federation/metadata.xml",
    "MINASIDOR_SAML_METADATA_CERT_FILE": "/srv/var/prod/simulators/saml/federation.crt",
    "MINASIDOR_SAML_BASE_URL": "https://127.0.0.1:19443",
    "MINASIDOR_PORTAL_URL": "https://127.0.0.1:19443/",
    "MINASIDOR_SMS_BACKEND": "backoffice.notices.sms.FileSmsBackend",
}


def _start_loopback_stack(changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env={**inherited, **LOOPBACK_STACK_ENV, **changes},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_loopback_stack_runs_the_production_profile_against_the_simulators() -> None:
    result = _start_loopback_stack({})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"MINASIDOR_ALLOWED_HOSTS": "127.0.0.1,minasidor.example"}, "serves loopback only"),
        ({"MINASIDOR_PORTAL_URL": "https://minasidor.example/"}, "serves loopback only"),
        ({"MINASIDOR_SECRET_KEY": settings.INSECURE_DEFAULT_SECRET_KEY}, "MINASIDOR_SECRET_KEY must be set"),
        ({"MINASIDOR_DEBUG": "true"}, "MINASIDOR_DEBUG must be false"),
        ({"BACKOFFICE_API_TRUSTED_KEYS": settings.INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY}, "development key"),
    ],
)
def test_the_loopback_stack_lets_through_only_the_simulators(changes: dict[str, str], complaint: str) -> None:
    result = _start_loopback_stack(changes)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_the_production_profile_itself_still_refuses_the_simulators() -> None:
    """The same values under minasidor.conf.production: every simulator refusal stands."""
    result = _start_loopback_stack({"DJANGO_SETTINGS_MODULE": "minasidor.conf.production"})
    assert result.returncode != 0
    for complaint in ("MINASIDOR_BANKID_BASE_URL", "MINASIDOR_SIMULATORS_ENABLED", "MINASIDOR_MINPENSION_BASE_URL"):
        assert complaint in result.stderr


def test_production_profile_recognises_a_simulators_certificate_copied_elsewhere(tmp_path: Path) -> None:
    """Issue 12.6: the simulators' files were recognised only by "/simulators/" in their path."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Simulated BankID")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    copied = tmp_path / "bankid-signing-root.pem"
    copied.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    result = _start_production({"MINASIDOR_BANKID_SIGNING_ROOT_FILE": str(copied)})
    assert result.returncode != 0
    assert "MINASIDOR_BANKID_SIGNING_ROOT_FILE must be the RP's or BankID's file" in result.stderr
