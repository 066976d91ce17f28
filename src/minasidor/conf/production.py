"""The production profile: the base settings, hardened, and a refusal to start when anything is unsafe.

Use with ``DJANGO_SETTINGS_MODULE=minasidor.conf.production``. It refuses to start with debug on, with the
development secret key or audit key, or with any simulator enabled, and it passes
``manage.py check --deploy`` with no warnings.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from kernel.logging import formatter_config
from minasidor.conf.settings import *  # noqa: F403 - a profile extends the base settings wholesale
from minasidor.conf.settings import (
    BANKID_BASE_URL,
    DEBUG,
    INSECURE_DEFAULT_AUDIT_KEY,
    INSECURE_DEFAULT_SECRET_KEY,
    SECRET_KEY,
    SIMULATORS_ENABLED,
)

_problems = []
if DEBUG:
    _problems.append("MINASIDOR_DEBUG must be false")
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    _problems.append("MINASIDOR_SECRET_KEY must be set to a secret of at least 50 characters")
if AUDIT_PSEUDONYM_KEY == INSECURE_DEFAULT_AUDIT_KEY:  # noqa: F405
    _problems.append("MINASIDOR_AUDIT_PSEUDONYM_KEY must be set")
if any(host in BANKID_BASE_URL for host in ("127.0.0.1", "localhost", "[::1]")):
    _problems.append("MINASIDOR_BANKID_BASE_URL must be BankID's server, not a test server on this machine")
if SIMULATORS_ENABLED:
    _problems.append("MINASIDOR_SIMULATORS_ENABLED must be false: simulators never run in production")
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
