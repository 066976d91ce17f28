"""The production profile: the base settings, hardened, and a refusal to start when anything is unsafe.

Use with ``DJANGO_SETTINGS_MODULE=minasidor.conf.production``. It refuses to start with debug on, with the
development secret key or audit key, with any simulator enabled or any simulator's certificate or root
trusted (BankID's signing root among them: a login's signature is checked against it), with the development
seal of receipts (files under a ``test-seal`` folder), with the mail test server, a relay elsewhere without
TLS or the development text-message backends, with the test malware scanner, and it passes
``manage.py check --deploy`` with no warnings.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from django.core.exceptions import ImproperlyConfigured

from kernel.logging import formatter_config
from minasidor.conf import loopback
from minasidor.conf.settings import *  # noqa: F403 - a profile extends the base settings wholesale
from minasidor.conf.settings import (
    BANKID_BASE_URL,
    BANKID_CA_FILE,
    BANKID_CERT_FILE,
    BANKID_KEY_FILE,
    BANKID_SIGNING_ROOT_FILE,
    CONSOLE_DEVELOPMENT_CLIENT_SECRET,
    DEBUG,
    DEFAULT_FROM_EMAIL,
    EMAIL_HOST,
    EMAIL_PORT,
    EMAIL_USE_SSL,
    EMAIL_USE_TLS,
    INSECURE_DEFAULT_AUDIT_KEY,
    INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY,
    INSECURE_DEFAULT_REGISTERS_SIGNING_KEY,
    INSECURE_DEFAULT_SECRET_KEY,
    MALWARE_SCANNER,
    MINPENSION_BASE_URL,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_RP_CLIENT_SECRET,
    PORTAL_URL,
    REDIS_URL,
    SAML_BASE_URL,
    SAML_EIDAS_CONNECTOR,
    SAML_METADATA_CERT_FILE,
    SAML_METADATA_URL,
    SAML_SWEDISH_EID_PROVIDERS,
    SEAL_CERT_FILE,
    SEAL_CHAIN_FILE,
    SEAL_KEY_FILE,
    SEAL_ROOT_FILE,
    SECRET_KEY,
    SIMULATORS_ENABLED,
    SMS_BACKEND,
)

# What the simulators' certificates say of themselves (simulators.bankid.ca, simulators.saml_idp.keys).
_SIMULATOR_MARKS = ("Simulated", "TEST ONLY", "TEST-ONLY")


def _simulator_made(path: str) -> bool:
    """Whether a file is one of the simulators': by where it lies, or, wherever it was copied to, by what the
    certificates in it say of their subject and issuer."""
    if "/simulators/" in path:
        return True
    try:
        certificates = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError):
        return False  # absent here (checked where it is deployed) or a key: only its place tells
    names = [name.rfc4514_string() for cert in certificates for name in (cert.subject, cert.issuer)]
    return any(mark in name for name in names for mark in _SIMULATOR_MARKS)


_problems = []
if DEBUG:
    _problems.append("MINASIDOR_DEBUG must be false")
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    _problems.append("MINASIDOR_SECRET_KEY must be set to a secret of at least 50 characters")
if AUDIT_PSEUDONYM_KEY == INSECURE_DEFAULT_AUDIT_KEY:  # noqa: F405
    _problems.append("MINASIDOR_AUDIT_PSEUDONYM_KEY must be set")
if any(host in BANKID_BASE_URL for host in ("127.0.0.1", "localhost", "[::1]")):
    _problems.append("MINASIDOR_BANKID_BASE_URL must be BankID's server, not a test server on this machine")
_BANKID_FILES = {
    "MINASIDOR_BANKID_CERT_FILE": BANKID_CERT_FILE,
    "MINASIDOR_BANKID_KEY_FILE": BANKID_KEY_FILE,
    "MINASIDOR_BANKID_CA_FILE": BANKID_CA_FILE,
    "MINASIDOR_BANKID_SIGNING_ROOT_FILE": BANKID_SIGNING_ROOT_FILE,
}
for _name, _path in _BANKID_FILES.items():
    if _simulator_made(_path):
        _problems.append(f"{_name} must be the RP's or BankID's file, not the test server's")
for _name, _path in {
    "MINASIDOR_SIGSERVICE_SIGNING_CERT_FILE": SIGSERVICE_SIGNING_CERT_FILE,  # noqa: F405
    "MINASIDOR_SIGSERVICE_CA_ROOT_FILE": SIGSERVICE_CA_ROOT_FILE,  # noqa: F405
}.items():
    if "/simulators/" in _path or "test-sigservice" in _path:
        _problems.append(f"{_name} must be the signature service's file, not the test service's")
_SEAL_FILES = {
    "MINASIDOR_SEAL_CERT_FILE": SEAL_CERT_FILE,
    "MINASIDOR_SEAL_KEY_FILE": SEAL_KEY_FILE,
    "MINASIDOR_SEAL_CHAIN_FILE": SEAL_CHAIN_FILE,
    "MINASIDOR_SEAL_ROOT_FILE": SEAL_ROOT_FILE,
}
for _name, _path in _SEAL_FILES.items():
    if "/test-seal/" in _path:
        _problems.append(f"{_name} must be the authority's seal, not the development test seal")
if REGISTERS_IMPLEMENTATION == "http" and (  # noqa: F405
    not REGISTERS_URL.startswith("https://") or any(host in REGISTERS_URL for host in ("127.0.0.1", "localhost"))  # noqa: F405
):
    _problems.append("MINASIDOR_REGISTERS_URL must be the back office's internal API over https")
if REGISTERS_IMPLEMENTATION == "http" and REGISTERS_SIGNING_KEY == INSECURE_DEFAULT_REGISTERS_SIGNING_KEY:  # noqa: F405
    _problems.append("MINASIDOR_REGISTERS_SIGNING_KEY must be set when the registers are reached over HTTP")
if INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY in BACKOFFICE_API_TRUSTED_KEYS:  # noqa: F405
    _problems.append("BACKOFFICE_API_TRUSTED_KEYS must not trust the development key")
if TALSVAR_PLATFORM_TOKEN == INSECURE_DEFAULT_TALSVAR_PLATFORM_TOKEN:  # noqa: F405
    _problems.append("MINASIDOR_TALSVAR_PLATFORM_TOKEN must be set: the telephony platform's token, not the test one")
if PERSONAL_CODE_KEY == INSECURE_DEFAULT_PERSONAL_CODE_KEY:  # noqa: F405
    _problems.append("BACKOFFICE_PERSONAL_CODE_KEY must be set: personal codes must not come from the development key")
if not MINPENSION_BASE_URL.startswith("https://") or any(
    host in MINPENSION_BASE_URL for host in ("127.0.0.1", "localhost", "[::1]")
):
    _problems.append("MINASIDOR_MINPENSION_BASE_URL must be Min Pension's server over https, not a test server")
_TEST_HOSTS = ("127.0.0.1", "localhost", "[::1]", ".invalid")
if not SAML_METADATA_URL.startswith("https://") or any(host in SAML_METADATA_URL for host in _TEST_HOSTS):
    _problems.append("MINASIDOR_SAML_METADATA_URL must be the federation's aggregate over https, not the test IdPs")
if _simulator_made(SAML_METADATA_CERT_FILE):
    _problems.append("MINASIDOR_SAML_METADATA_CERT_FILE must be the federation's certificate, not the test one")
if any(".invalid" in idp for idp in (SAML_EIDAS_CONNECTOR, *SAML_SWEDISH_EID_PROVIDERS)):
    _problems.append("MINASIDOR_SAML_EIDAS_CONNECTOR and _SWEDISH_EID_PROVIDERS must name real identity providers")
if not SAML_BASE_URL.startswith("https://"):
    _problems.append("MINASIDOR_SAML_BASE_URL must be the portal's https address")
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
_MAIL_TEST_SERVER_PORT = 8025  # `make run`'s SMTP test server (simulators.mail)
if EMAIL_HOST in _LOOPBACK and EMAIL_PORT == _MAIL_TEST_SERVER_PORT:
    _problems.append("MINASIDOR_EMAIL_HOST and _PORT must be the authority's mail relay, not the mail test server")
if EMAIL_HOST not in _LOOPBACK and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
    _problems.append("MINASIDOR_EMAIL_USE_TLS or MINASIDOR_EMAIL_USE_SSL must be true for a mail relay on another host")
if ".invalid" in DEFAULT_FROM_EMAIL:
    _problems.append("MINASIDOR_EMAIL_FROM must be the authority's sender address")
_DEVELOPMENT_SMS = ("backoffice.notices.sms.FileSmsBackend", "backoffice.notices.sms.ConsoleSmsBackend")
if SMS_BACKEND in _DEVELOPMENT_SMS:
    _problems.append(
        "MINASIDOR_SMS_BACKEND must be a text-message provider (or DisabledSmsBackend), not a file or console"
    )
if not PORTAL_URL.startswith("https://") or any(host in PORTAL_URL for host in _TEST_HOSTS):
    _problems.append("MINASIDOR_PORTAL_URL must be the portal's public https address")
if not MALWARE_SCANNER.startswith("clamd://"):
    _problems.append("MINASIDOR_MALWARE_SCANNER must be a real scanner (clamd://host:port), not the EICAR test scanner")
if not REDIS_URL:
    _problems.append(
        "MINASIDOR_REDIS_URL must be set: sessions, the shared cache and the security store (limits, one-time "
        "protocol state) live in Redis in production, even with one worker"
    )
if SIMULATORS_ENABLED:
    _problems.append("MINASIDOR_SIMULATORS_ENABLED must be false: simulators never run in production")
if OIDC_RP_CLIENT_SECRET == CONSOLE_DEVELOPMENT_CLIENT_SECRET or not OIDC_OP_TOKEN_ENDPOINT.startswith("https://"):
    _problems.append(
        "MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET and _TOKEN_ENDPOINT must be the authority's identity provider's, "
        "over https"
    )
# The production stack on one machine (make prod-up, test-only) expects the refusals about the simulators.
_problems = loopback.remaining(_problems, allowed_hosts=ALLOWED_HOSTS, portal_url=PORTAL_URL)  # noqa: F405
if _problems:
    raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(_problems) + ".")

SECURE_COOKIES = True
SESSION_COOKIE_NAME = "__Host-session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-language"
DEVICE_COOKIE_NAME = "__Host-device"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True

SECURE_SSL_REDIRECT = PRODUCTION_SSL_REDIRECT  # noqa: F405
if PRODUCTION_BEHIND_TLS_PROXY:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 2 * 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SERVESTATIC_USE_FINDERS = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage",
}
LOG_JSON = True
LOGGING["formatters"]["structured"] = formatter_config(json=True)  # noqa: F405
