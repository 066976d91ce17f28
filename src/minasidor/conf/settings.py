"""Settings for every environment, each value read from the environment through :mod:`minasidor.conf.env`.

The defaults run the embedded setup on one machine: SQLite files under ``var/``, simulators enabled, no
other server needed. Production uses :mod:`minasidor.conf.production`, which starts from these values and
refuses to run with anything unsafe. Every variable is listed in ``docs/configuration.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from kernel.logging import configure_structlog, formatter_config
from minasidor.conf import env

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SOURCE_ROOT = PROJECT_ROOT / "src"
VAR_DIR = Path(
    env.string("MINASIDOR_VAR_DIR", str(PROJECT_ROOT / "var"), "Where local databases and generated files live.")
)

# A default key for development and tests only: the production profile refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "insecure-development-key-for-tests-and-local-runs-only-never-in-production"  # noqa: S105
SECRET_KEY = env.string(
    "MINASIDOR_SECRET_KEY",
    INSECURE_DEFAULT_SECRET_KEY,
    "Django's secret key; required and secret in production.",
)
DEBUG = env.boolean("MINASIDOR_DEBUG", False, "Django debug mode: detailed error pages. Never in production.")
ALLOWED_HOSTS = list(
    env.strings("MINASIDOR_ALLOWED_HOSTS", ("127.0.0.1", "localhost", "[::1]"), "Host names the portal answers to.")
)
SIMULATORS_ENABLED = env.boolean(
    "MINASIDOR_SIMULATORS_ENABLED",
    True,
    "Whether the portal may talk to the simulators of outside systems (BankID, identity providers, Min Pension). "
    "Production refuses true.",
)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "minasidor.ui",
    "minasidor.audit",
    "minasidor.identity",
    "minasidor.identity.contrib.bankid",
    "minasidor.overview",
    "backoffice.register",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "minasidor.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "minasidor.urls"
ASGI_APPLICATION = "minasidor.asgi.application"
WSGI_APPLICATION = "minasidor.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minasidor.ui.context_processors.site",
            ],
        },
    }
]
FORM_RENDERER = "minasidor.ui.forms.AccessibleFormRenderer"

# --- Databases: the portal's own and the back office's (systems of record) -------------------------
VAR_DB_DIR = VAR_DIR / "db"
DB_CONN_MAX_AGE = env.integer("MINASIDOR_DB_CONN_MAX_AGE", 0, "Seconds to keep database connections open.")
DATABASES = {
    "default": dj_database_url.parse(
        env.string(
            "DATABASE_URL",
            f"sqlite:///{VAR_DB_DIR / 'portal.sqlite3'}",
            "The portal's database (sessions, consents, permissions, access log). SQLite file by default.",
        ),
        conn_max_age=DB_CONN_MAX_AGE,
    ),
    "backoffice": dj_database_url.parse(
        env.string(
            "BACKOFFICE_DATABASE_URL",
            f"sqlite:///{VAR_DB_DIR / 'backoffice.sqlite3'}",
            "The back office's database (the pension register, customer records, cases). SQLite file by default.",
        ),
        conn_max_age=DB_CONN_MAX_AGE,
    ),
}
# The back office's test database does not wait for the portal's (they share nothing).
DATABASES["backoffice"]["TEST"] = {"DEPENDENCIES": []}
DATABASE_ROUTERS = ["minasidor.conf.routers.SystemsOfRecordRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Languages: Swedish first, English ---------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SOURCE_ROOT / "minasidor" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

# --- Static files: built by `make assets`, served by ServeStatic (no CDN) -------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Outside production ServeStatic serves straight from the apps' static folders; production serves the
# collected, hashed files only.
SERVESTATIC_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.string(
            "MINASIDOR_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage",
            "Storage for static files; production uses ServeStatic's compressed manifest storage.",
        )
    },
}

# --- Sessions, cookies and transport ---------------------------------------------------------------
SECURE_COOKIES = env.boolean(
    "MINASIDOR_SECURE_COOKIES",
    False,
    "Send cookies only over HTTPS, with the __Host- prefix. True in production; false for http://127.0.0.1.",
)
SESSION_COOKIE_NAME = "__Host-session" if SECURE_COOKIES else "session"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_NAME = "__Host-language" if SECURE_COOKIES else "language"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Read here, applied by the production profile (plain HTTP on 127.0.0.1 needs neither).
PRODUCTION_SSL_REDIRECT = env.boolean(
    "MINASIDOR_SSL_REDIRECT",
    True,
    "Production: redirect plain HTTP to HTTPS (false only behind a TLS proxy).",
)
PRODUCTION_BEHIND_TLS_PROXY = env.boolean(
    "MINASIDOR_BEHIND_TLS_PROXY",
    False,
    "Production: trust X-Forwarded-Proto from the reverse proxy that terminates TLS.",
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Content-Security-Policy: nothing inline, nothing from elsewhere. Scripts carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}

# --- The access log ---------------------------------------------------------------------------------
# A default pseudonymisation key for development and tests only; production requires its own.
INSECURE_DEFAULT_AUDIT_KEY = "insecure-development-audit-key-for-tests-only"
AUDIT_PSEUDONYM_KEY = env.string(
    "MINASIDOR_AUDIT_PSEUDONYM_KEY",
    INSECURE_DEFAULT_AUDIT_KEY,
    "Secret key that turns a person's identifier into the pseudonym the access log stores. "
    "Changing it makes earlier records unfindable by person.",
)

# --- Logging: structured, never a personal number ---------------------------------------------------
LOG_LEVEL = env.string("MINASIDOR_LOG_LEVEL", "INFO", "Lowest level of log events written.")
LOG_JSON = env.boolean("MINASIDOR_LOG_JSON", False, "Write log events as JSON lines (true in production).")
configure_structlog()
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": formatter_config(json=LOG_JSON)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- BankID (the RP API v6; by default our test server on this machine) ------------------------------
BANKID_SIMULATOR_DIR = VAR_DIR / "simulators" / "bankid"
BANKID_BASE_URL = env.string(
    "MINASIDOR_BANKID_BASE_URL",
    "https://127.0.0.1:8443/rp/v6.0/",
    "BankID RP API base URL: BankID's test or production server, or the BankID test server of `make run`.",
)
BANKID_CERT_FILE = env.string(
    "MINASIDOR_BANKID_CERT_FILE", str(BANKID_SIMULATOR_DIR / "rp.pem"), "The RP client certificate (PEM)."
)
BANKID_KEY_FILE = env.string(
    "MINASIDOR_BANKID_KEY_FILE", str(BANKID_SIMULATOR_DIR / "rp-key.pem"), "The RP client key (PEM)."
)
BANKID_CA_FILE = env.string(
    "MINASIDOR_BANKID_CA_FILE",
    str(BANKID_SIMULATOR_DIR / "ssl-root-ca.pem"),
    "The pinned root certificate of the BankID server's TLS certificate (PEM); not the system store.",
)
BANKID_TIMEOUT_SECONDS = float(
    env.integer("MINASIDOR_BANKID_TIMEOUT_SECONDS", 5, "Seconds to wait for one answer from BankID.")
)
BANKID_STARTS_PER_IP = env.integer(
    "MINASIDOR_BANKID_STARTS_PER_IP", 60, "BankID logins one client address may start in ten minutes."
)
BANKID_STARTS_PER_DEVICE = env.integer(
    "MINASIDOR_BANKID_STARTS_PER_DEVICE", 10, "BankID logins one browser may start in ten minutes."
)
BANKID_PERSONS_PER_DEVICE = env.integer(
    "MINASIDOR_BANKID_PERSONS_PER_DEVICE",
    3,
    "Different people one browser may log in within a day before its logins are paused and operators alerted.",
)
DEVICE_COOKIE_NAME = "__Host-device" if SECURE_COOKIES else "device"

# --- The authority ----------------------------------------------------------------------------------
AUTHORITY_NAME = env.string(
    "MINASIDOR_AUTHORITY_NAME", "Pensionsportalen (demo)", "The authority's name as shown in the header."
)
