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
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kernel.logging import configure_structlog, formatter_config
from minasidor.conf import env, opening_hours
from minasidor.conf.opening_hours import OpeningHours

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SOURCE_ROOT = PROJECT_ROOT / "src"
VAR_DIR = Path(
    env.string("MINASIDOR_VAR_DIR", str(PROJECT_ROOT / "var"), "Where local databases and generated files live.")
)

# A default key for development and tests only: the production profile refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "insecure-development-key-for-tests-and-local-runs-only-never-in-production"  # noqa: S105 # nosec B105
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
    "servestatic",  # its system checks of the static-file settings
    "django_tasks",
    "django_tasks_db",
    "minasidor.background",
    "minasidor.ui",
    "minasidor.audit",
    "minasidor.identity",
    "minasidor.identity.contrib.bankid",
    "minasidor.identity.contrib.saml",
    "minasidor.minpension",
    "minasidor.pension_data",
    "minasidor.pensions",
    "minasidor.privacy",
    "minasidor.signing_step",
    "minasidor.housing",
    "minasidor.temporary_access",
    "minasidor.applications",
    "minasidor.cases",
    "minasidor.casehandling",
    "minasidor.console",
    "minasidor.webtest",
    "minasidor.personal_code",
    "minasidor.form_orders",
    "minasidor.details",
    "minasidor.talsvar",
    "minasidor.delegation",
    "oauth2_provider",
    "minasidor.sharing",
    "minasidor.security",
    "minasidor.operations",
    "django.contrib.admin.apps.SimpleAdminConfig",
    "minasidor.staff",
    "backoffice.register",
    "backoffice.casework",
    "backoffice.statements",
    "backoffice.synthetic",
    "backoffice.notices",
    "backoffice.personal_codes",
    "backoffice.paper_forms",
]

# Django's middleware through minasidor.core.inline: unchanged under WSGI; under ASGI their hooks run
# without a thread where they do no I/O (docs/decisions/0070).
MIDDLEWARE = [
    "minasidor.core.metrics.RequestMetricsMiddleware",
    "minasidor.core.inline.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "minasidor.core.middleware.RequestIdMiddleware",
    "minasidor.core.client_address.ClientAddressMiddleware",
    "minasidor.core.inline.CSPMiddleware",
    "minasidor.core.inline.SessionMiddleware",
    "minasidor.core.inline.LocaleMiddleware",
    "minasidor.core.inline.CommonMiddleware",
    "minasidor.core.inline.CsrfViewMiddleware",
    "minasidor.core.inline.AuthenticationMiddleware",
    "minasidor.identity.middleware.SessionExpiryMiddleware",
    "minasidor.security.middleware.RateLimitMiddleware",
    "minasidor.core.inline.MessageMiddleware",
    "minasidor.core.inline.XFrameOptionsMiddleware",
    "minasidor.security.middleware.PermissionsPolicyMiddleware",
]

# Django's deploy checks look for its own dotted paths; minasidor.security.checks checks for the subclasses.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002", "security.W003"]

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
                "minasidor.identity.context_processors.session_timeout",
                "minasidor.privacy.context_processors.live_permission",
                "minasidor.delegation.context_processors.acting",
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
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A citizen's session ends after this long without activity, and this long after login whatever happens
# (docs/decisions/0040-session-lifetimes.md); the warning comes this long before the end.
SESSION_IDLE_SECONDS = env.integer(
    "MINASIDOR_SESSION_IDLE_SECONDS", 15 * 60, "A citizen's session ends after this many seconds without activity."
)
SESSION_ABSOLUTE_SECONDS = env.integer(
    "MINASIDOR_SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60, "A citizen's session ends this many seconds after login."
)
SESSION_WARNING_SECONDS = env.integer(
    "MINASIDOR_SESSION_WARNING_SECONDS", 2 * 60, "Seconds before the end of a session that the warning is shown."
)
# The store keeps a session no longer than its absolute limit (the middleware enforces both limits).
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Sessions and the cache (rate-limit counters) in Redis when configured; otherwise sessions in the
# database and a per-process cache.
REDIS_URL = env.string(
    "MINASIDOR_REDIS_URL",
    "",
    "Redis for sessions and the shared cache (rate limits), e.g. redis://127.0.0.1:6379/0. Empty: database "
    "sessions and a per-process cache.",
)
# Security state (rate-limit counters, BankID's device blocks, outstanding SAML requests, replay marks) has
# a store of its own that never culls: a table of the portal's database without Redis, Redis with it
# (minasidor.security.store, decision 0046). The default cache may evict; nothing security-relevant is in it.
SECURITY_CACHE = "security"
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    SECURITY_CACHE: {"BACKEND": "minasidor.security.store.DatabaseStore"},
}
if REDIS_URL:
    # Django's Redis cache with one pool per process and async methods without a thread (decision 0071).
    CACHES = {
        "default": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL},
        SECURITY_CACHE: {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "security"},
    }
    # Django's cache sessions, except that an unreachable Redis is an error, not an empty session (the citizen
    # would be logged out by a passing outage; minasidor.core.sessions).
    SESSION_ENGINE = "minasidor.core.sessions"
# The periodic clearing deletes database sessions this long after their time limit ended, and forms kept
# across a timeout this long after they were kept (minasidor.background.sessions, decision 0111).
SESSION_LEFTOVER_SECONDS = env.integer(
    "MINASIDOR_SESSION_LEFTOVER_SECONDS",
    30 * 60,
    "Database sessions: a session that reached its time limit, and a form kept across a timeout, are deleted by "
    "the periodic clearing this many seconds later (the grace lets a form sent just after the end be kept).",
)
# Flash messages in the session: Django's default keeps them in a cookie of their own ("messages"), which
# would be the one cookie without the __Host- prefix (ASVS 3.4.4).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
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

# Reverse proxies of the deployment in front of the portal, each appending to X-Forwarded-For: the client's
# address is the one the farthest of them saw (minasidor.core.client_address, decision 0073).
TRUSTED_PROXY_HOPS = env.integer(
    "MINASIDOR_TRUSTED_PROXY_HOPS",
    0,
    "How many reverse proxies of our own stand in front of the portal, each appending the address it saw to "
    "X-Forwarded-For; the client address is taken that many entries from the right. 0: the header is ignored.",
)
# Status polls one worker handles at once; more are answered 503 + Retry-After at once (decision 0072).
POLLS_IN_FLIGHT_MAX = env.integer(
    "MINASIDOR_POLLS_IN_FLIGHT_MAX",
    100,
    "BankID status polls one worker process handles at once; further ones are answered 503 with Retry-After "
    "at once (the login page waits), so an overloaded worker sheds load instead of queueing it.",
)
# The status poll between collects answered ahead of Django's middleware, with the same checks and headers
# (minasidor.identity.contrib.bankid.lean, decision 0205); needs sessions and limits in one Redis, tracing off.
LEAN_STATUS_POLL = env.boolean(
    "MINASIDOR_LEAN_STATUS_POLL",
    True,
    "Answer BankID status polls between collects by the lean path ahead of Django's middleware (same checks, "
    "headers, limits and metrics); false sends every poll the full way. Used only with Redis and tracing off.",
)
# Worker processes `python -m minasidor.serve` starts behind one port (docs/operations.md, decision 0072).
SERVER_WORKERS = env.integer(
    "MINASIDOR_WORKERS",
    1,
    "Worker processes of `python -m minasidor.serve` (uvicorn) behind one port; more than one needs "
    "MINASIDOR_REDIS_URL. Production: about two per core.",
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "minasidor.security.views.csrf_failure"
# Every request's body, on every route, is capped before it is read (minasidor.core.handler): room for the
# largest form, a case's attachments (kernel.uploads: 5 MiB each) and their encoding.
REQUEST_BODY_MAX_BYTES = env.integer(
    "MINASIDOR_REQUEST_BODY_MAX_BYTES",
    12 * 1024 * 1024,
    "Largest request body the portal reads, on any route; a larger one is answered 413 unread.",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# A larger attachment is written to a temporary file while the request is read. A full disk there is answered
# 503 "not available right now" (minasidor.operations.unavailable); the fault suite puts it on a small
# filesystem to fill it (decision 0252).
FILE_UPLOAD_TEMP_DIR = (
    env.string(
        "MINASIDOR_FILE_UPLOAD_TEMP_DIR",
        "",
        "Where attachments over 1 MB are kept while a request is read (empty: the system's temporary directory).",
    )
    or None
)
# Browser features no page of the portal uses are switched off (minasidor.security.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "xr-spatial-tracking=()"
)
# Where a citizen logs in, and their first page after login (URL names; identity names no page app itself).
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "pensions:home"
# Requests per client address per minute on endpoints that cost the server or a partner something, or keep
# something on it (minasidor.security.counters, decision 0046); BankID's and SAML's login starts have their
# own limits below, per address over ten minutes.
RATE_LIMITS = {
    "bankid:status": 120,
    "bankid:qr": 120,
    "bankid:returned": 30,
    "bankid:proceed": 30,
    "signing_step:bankid-proceed": 30,
    "identity:session-status": 30,
    "identity:session-extend": 30,
    "identity:login": 60,
    "saml:start": 30,
    "saml:choose": 30,
    "saml:complete": 30,
    "saml_protocol:acs": 60,
    "staff:login": 10,
    "sharing:authorize": 30,
    "sharing_api:token": 30,
}
# Staff passwords (citizens have none): at least 12 characters, not a common or personal one, no
# composition rules (ASVS 2.1.1, 2.1.7, 2.1.9). Hashed with Django's PBKDF2-SHA256, 1,000,000 iterations.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The staff administration (Django's admin, own login with a TOTP code) lives at this path, not /admin/.
STAFF_ADMIN_PATH = env.string(
    "MINASIDOR_STAFF_ADMIN_PATH",
    "personal-7c1f/",
    "Path of the staff administration (own login, password and TOTP code). Choose a non-obvious one per site.",
)
# Failed logins to one staff account in an hour, from any session and address, after which it is not tried
# until the oldest failure is an hour old (minasidor.staff, ASVS 2.2.1: at most 100).
STAFF_LOGIN_FAILURES_PER_HOUR = env.integer(
    "MINASIDOR_STAFF_LOGIN_FAILURES_PER_HOUR",
    50,
    "Failed logins to one staff account within an hour (any session, any address) after which logins to it are "
    "refused until the oldest failure is an hour old. At most 100 (ASVS 2.2.1).",
)
if not 1 <= STAFF_LOGIN_FAILURES_PER_HOUR <= 100:
    raise ImproperlyConfigured("MINASIDOR_STAFF_LOGIN_FAILURES_PER_HOUR must be between 1 and 100 (ASVS 2.2.1)")

# --- The customer-service console: staff log in with OpenID Connect (mozilla-django-oidc, decision 0131) --
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the staff administration's password (+ TOTP)
    "minasidor.console.auth.ConsoleOIDCBackend",  # the console's staff, from the authority's IdP
]
CONSOLE_OIDC_ISSUER = env.string(
    "MINASIDOR_CONSOLE_OIDC_ISSUER",
    "http://127.0.0.1:8446",
    "The authority's staff identity provider (OpenID Connect); by default the development provider of `make run`.",
)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.string(
    "MINASIDOR_CONSOLE_OIDC_AUTHORIZATION_ENDPOINT",
    CONSOLE_OIDC_ISSUER + "/authorize",
    "The provider's authorization endpoint (its discovery document names it).",
)
OIDC_OP_TOKEN_ENDPOINT = env.string(
    "MINASIDOR_CONSOLE_OIDC_TOKEN_ENDPOINT", CONSOLE_OIDC_ISSUER + "/token", "The provider's token endpoint."
)
OIDC_OP_USER_ENDPOINT = env.string(
    "MINASIDOR_CONSOLE_OIDC_USERINFO_ENDPOINT", CONSOLE_OIDC_ISSUER + "/userinfo", "The provider's userinfo endpoint."
)
OIDC_OP_JWKS_ENDPOINT = env.string(
    "MINASIDOR_CONSOLE_OIDC_JWKS_ENDPOINT", CONSOLE_OIDC_ISSUER + "/jwks", "The provider's signing keys (JWKS)."
)
OIDC_RP_CLIENT_ID = env.string(
    "MINASIDOR_CONSOLE_OIDC_CLIENT_ID", "minasidor-console", "The console's client id at the staff identity provider."
)
CONSOLE_DEVELOPMENT_CLIENT_SECRET = "development-only-console-secret"  # noqa: S105  # nosec B105 - refused in production
OIDC_RP_CLIENT_SECRET = env.string(
    "MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET",
    CONSOLE_DEVELOPMENT_CLIENT_SECRET,
    "The console's client secret at the staff identity provider; secret in production (the default is refused).",
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile roles"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "console:oidc-callback"
OIDC_TIMEOUT = 5
OIDC_CREATE_USER = True
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False

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

# --- Background work: task queues, workers, periodic jobs (docs/decisions/0110, 0111) ----------------
# Each system's queue lives in its own database, so a task is enqueued in the transaction of the write it
# follows: the portal's tasks on "default", the back office's on "backoffice". Workers: `manage.py run_tasks
# --backend default|backoffice`; the scheduler: `manage.py run_periodic`.
TASKS = {
    "default": {
        "BACKEND": "minasidor.background.backends.DatabaseBackend",
        "QUEUES": ["default"],
        "OPTIONS": {"DATABASE": "default"},
    },
    "backoffice": {
        "BACKEND": "minasidor.background.backends.DatabaseBackend",
        "QUEUES": ["default"],
        "OPTIONS": {"DATABASE": "backoffice"},
    },
}
TASKS_LEASE_SECONDS = env.integer(
    "MINASIDOR_TASKS_LEASE_SECONDS",
    600,
    "A task still running this many seconds after a worker took it has lost its worker and is run again; every "
    "task must finish well within it.",
)
# The scheduler's table of named jobs: the task (dotted path) on its backend, every so many seconds, and
# whether it also runs when the scheduler starts (minasidor.background.scheduler).
_BACKGROUND_TASKS = "minasidor.background.tasks"
PERIODIC_JOBS: list[dict[str, Any]] = [
    {
        # Signed applications the back office did not take at once are sent again (minasidor.applications).
        "name": "applications.send",
        "task": "minasidor.applications.tasks.signed_applications_send",
        "every_seconds": 30,
    },
    {
        "name": "security.expired_delete",
        "task": "minasidor.security.tasks.security_expired_delete",
        "every_seconds": 5 * 60,
        "at_start": True,
    },
    {
        # The ids of DPoP proofs too old to be accepted again are forgotten (minasidor.sharing, decision 0222).
        "name": "sharing.proofs_seen_forget",
        "task": "minasidor.sharing.tasks.proofs_seen_forget",
        "every_seconds": 60,
        "at_start": True,
    },
    {
        # Web tests are kept 24 hours, then deleted (minasidor.webtest, decision 0132).
        "name": "webtest.expired_delete",
        "task": "minasidor.webtest.tasks.webtest_expired_delete",
        "every_seconds": 10 * 60,
        "at_start": True,
    },
    {
        "name": "sessions.clear",
        "task": f"{_BACKGROUND_TASKS}.sessions_clear",
        "every_seconds": 5 * 60,
        "at_start": True,
    },
    {
        "name": "tasks.requeue_stalled.portal",
        "task": f"{_BACKGROUND_TASKS}.tasks_requeue_stalled",
        "every_seconds": 60,
        "kwargs": {"backend": "default"},
    },
    {
        "name": "tasks.requeue_stalled.backoffice",
        "task": f"{_BACKGROUND_TASKS}.tasks_requeue_stalled",
        "backend": "backoffice",
        "every_seconds": 60,
        "kwargs": {"backend": "backoffice"},
    },
    {
        "name": "tasks.prune.portal",
        "task": f"{_BACKGROUND_TASKS}.task_results_prune",
        "every_seconds": 24 * 60 * 60,
        "kwargs": {"backend": "default"},
    },
    {
        "name": "tasks.prune.backoffice",
        "task": f"{_BACKGROUND_TASKS}.task_results_prune",
        "backend": "backoffice",
        "every_seconds": 24 * 60 * 60,
        "kwargs": {"backend": "backoffice"},
    },
    {
        # The proactive delay notice and completions soon due (backoffice.casework, decision 0112).
        "name": "casework.reminders",
        "task": "backoffice.casework.tasks.cases_reminders",
        "backend": "backoffice",
        "every_seconds": 60 * 60,
        "at_start": True,
    },
    {
        "name": "notices.sweep",
        "task": "backoffice.notices.tasks.notices_sweep",
        "backend": "backoffice",
        "every_seconds": 60,
    },
]

# --- Notices: e-mail through Django's SMTP backend, text messages through a provider (decision 0112) -----
PORTAL_URL = env.string(
    "MINASIDOR_PORTAL_URL",
    "http://127.0.0.1:8000/",
    "The portal's public address, as notices name it (https in production).",
)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.string(
    "MINASIDOR_EMAIL_HOST",
    "127.0.0.1",
    "The SMTP server notices are sent through (the authority's mail relay). Default: the mail test server of "
    "`make run`.",
)
EMAIL_PORT = env.integer("MINASIDOR_EMAIL_PORT", 8025, "Its port (the mail test server's by default).")
EMAIL_HOST_USER = env.string("MINASIDOR_EMAIL_HOST_USER", "", "User name at the SMTP server, if it asks for one.")
EMAIL_HOST_PASSWORD = env.string("MINASIDOR_EMAIL_HOST_PASSWORD", "", "Its password; secret.")
EMAIL_USE_TLS = env.boolean("MINASIDOR_EMAIL_USE_TLS", False, "STARTTLS to the SMTP server.")
EMAIL_USE_SSL = env.boolean("MINASIDOR_EMAIL_USE_SSL", False, "Implicit TLS to the SMTP server (port 465).")
EMAIL_TIMEOUT = env.integer("MINASIDOR_EMAIL_TIMEOUT_SECONDS", 10, "Seconds to wait for the SMTP server.")
DEFAULT_FROM_EMAIL = env.string(
    "MINASIDOR_EMAIL_FROM",
    "Pensionsportalen <no-reply@pensionsportalen.invalid>",
    "The sender of notices; its domain also names the notices' Message-IDs.",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env.string(
    "MINASIDOR_SMS_BACKEND",
    "backoffice.notices.sms.FileSmsBackend",
    "Dotted path of the text-message provider's backend (backoffice/notices/sms.py says how to plug one in). "
    "Default: a file of JSON lines; production refuses the development backends.",
)
SMS_FILE = env.string(
    "MINASIDOR_SMS_FILE", str(VAR_DIR / "sms" / "messages.jsonl"), "Where the file backend writes text messages."
)

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
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint (the PDF documents) reports every rendering step at INFO; its problems come at WARNING.
        "weasyprint.progress": {"level": "WARNING"},
        # xmlschema (under pysaml2) says at INFO each time a schema it already holds is asked for again.
        "xmlschema": {"level": "WARNING"},
    },
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
BANKID_SIGNING_ROOT_FILE = env.string(
    "MINASIDOR_BANKID_SIGNING_ROOT_FILE",
    str(BANKID_SIMULATOR_DIR / "signing-root-ca.pem"),
    "The root certificate(s) of BankID's signatures (PEM; BankID's member-bank root, not the TLS root): a "
    "login's XML signature and OCSP response must chain to it, or the login is refused.",
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

# --- Min Pension (occupational and private pensions; by default the test server of `make run`) --------
MINPENSION_BASE_URL = env.string(
    "MINASIDOR_MINPENSION_BASE_URL",
    "http://127.0.0.1:8450/api/v1/",
    "Min Pension's authority API (docs/minpension-contract.md); https with mutual TLS outside this machine.",
)
MINPENSION_CERT_FILE = env.string(
    "MINASIDOR_MINPENSION_CERT_FILE", "", "Our organisation certificate for Min Pension (PEM); needed for https."
)
MINPENSION_KEY_FILE = env.string("MINASIDOR_MINPENSION_KEY_FILE", "", "The key of that certificate (PEM).")
MINPENSION_CA_FILE = env.string(
    "MINASIDOR_MINPENSION_CA_FILE", "", "The pinned root of Min Pension's TLS certificate (PEM)."
)
MINPENSION_TIMEOUT_SECONDS = float(
    env.integer("MINASIDOR_MINPENSION_TIMEOUT_SECONDS", 3, "Seconds to wait for one answer from Min Pension.")
)

# --- The signature service (DSS extension profile) for people who logged in over SAML -----------------
SIGSERVICE_URL = env.string(
    "MINASIDOR_SIGSERVICE_URL",
    "",
    "Where sign requests are posted (the signature service's HTTP-POST endpoint). Empty: not connected, and "
    "people who logged in over SAML are told how to apply on paper.",
)
SIGSERVICE_ENTITY_ID = env.string(
    "MINASIDOR_SIGSERVICE_ENTITY_ID", "", "The signature service's SAML entityID (named in every sign request)."
)
SIGSERVICE_SIGNING_CERT_FILE = env.string(
    "MINASIDOR_SIGSERVICE_SIGNING_CERT_FILE",
    "",
    "The signature service's response-signing certificate(s) from its metadata (PEM; several during a rollover).",
)
SIGSERVICE_CA_ROOT_FILE = env.string(
    "MINASIDOR_SIGSERVICE_CA_ROOT_FILE",
    "",
    "The root of the CA that issues the signature service's signing certificates to signers (PEM).",
)

# --- SAML: foreign eID (eIDAS connector) and other Swedish e-IDs (Sweden Connect) ------------------
SAML_SIMULATOR_DIR = VAR_DIR / "simulators" / "saml"
SAML_KEY_DIR = VAR_DIR / "saml"
SAML_BASE_URL = env.string(
    "MINASIDOR_SAML_BASE_URL",
    "",
    "The portal's public address for SAML (entityID BASE/saml/metadata/, ACS BASE/saml/acs/), e.g. "
    "https://minasidor.example. Empty: taken from the request (development and tests only).",
)
SAML_METADATA_URL = env.string(
    "MINASIDOR_SAML_METADATA_URL",
    "http://127.0.0.1:8445/federation/metadata.xml",
    "The signed federation metadata aggregate of the identity providers, e.g. "
    "https://qa.md.swedenconnect.se/role/idp.xml. Production accepts only an https URL; development also a file "
    "path or an http URL. Default: the test IdPs of `make run`.",
)
SAML_METADATA_CERT_FILE = env.string(
    "MINASIDOR_SAML_METADATA_CERT_FILE",
    str(SAML_SIMULATOR_DIR / "federation.crt"),
    "The certificate (PEM) whose key must have signed the metadata aggregate; an unsigned or otherwise "
    "signed aggregate is refused.",
)
SAML_METADATA_REFRESH_SECONDS = env.integer(
    "MINASIDOR_SAML_METADATA_REFRESH_SECONDS", 3600, "Seconds between downloads of the metadata aggregate."
)
SAML_KEY_FILE = env.string(
    "MINASIDOR_SAML_KEY_FILE", str(SAML_KEY_DIR / "sp-signing-key.pem"), "The SP's signing key (PEM)."
)
SAML_CERT_FILE = env.string(
    "MINASIDOR_SAML_CERT_FILE", str(SAML_KEY_DIR / "sp-signing.crt"), "The SP's signing certificate (PEM)."
)
SAML_ENCRYPTION_KEY_FILE = env.string(
    "MINASIDOR_SAML_ENCRYPTION_KEY_FILE",
    str(SAML_KEY_DIR / "sp-encryption-key.pem"),
    "The SP's decryption key (PEM) for encrypted assertions.",
)
SAML_ENCRYPTION_CERT_FILE = env.string(
    "MINASIDOR_SAML_ENCRYPTION_CERT_FILE",
    str(SAML_KEY_DIR / "sp-encryption.crt"),
    "The SP's encryption certificate (PEM), published in its metadata.",
)
SAML_EIDAS_CONNECTOR = env.string(
    "MINASIDOR_SAML_EIDAS_CONNECTOR",
    "http://test-idp.minasidor.invalid/eidas-connector",
    "entityID of the eIDAS connector, e.g. https://qa.connector.eidas.swedenconnect.se/eidas (QA).",
)
SAML_SWEDISH_EID_PROVIDERS = env.strings(
    "MINASIDOR_SAML_SWEDISH_EID_PROVIDERS",
    ("http://test-idp.minasidor.invalid/swedish-eid",),
    'entityIDs of the Swedish eID identity providers offered as "Other Swedish e-ID" (comma-separated).',
)
SAML_EIDAS_LOAS = env.strings(
    "MINASIDOR_SAML_EIDAS_LOAS",
    ("http://id.elegnamnden.se/loa/1.0/eidas-nf-sub", "http://id.elegnamnden.se/loa/1.0/eidas-nf-high"),
    "Levels of assurance requested (and the only ones accepted) from the eIDAS connector.",
)
SAML_STARTS_PER_ADDRESS = env.integer(
    "MINASIDOR_SAML_STARTS_PER_ADDRESS",
    60,
    "SAML logins (foreign eID, other Swedish e-ID) one client address may start in ten minutes; each start keeps "
    "an outstanding request on the server until it is answered or expires.",
)
SAML_MESSAGES_PER_DAY = env.integer(
    "MINASIDOR_SAML_MESSAGES_PER_DAY",
    5,
    "Messages to customer service one foreign-eID user without a Swedish number may send in a day.",
)
SAML_SWEDISH_EID_LOAS = env.strings(
    "MINASIDOR_SAML_SWEDISH_EID_LOAS",
    ("http://id.elegnamnden.se/loa/1.0/loa3", "http://id.elegnamnden.se/loa/1.0/loa4"),
    "Levels of assurance requested (and the only ones accepted) from Swedish eID providers.",
)
SAML_ACCEPTED_BINDINGS = env.strings(
    "MINASIDOR_SAML_ACCEPTED_BINDINGS",
    (
        "http://id.swedenconnect.se/id-binding/process/populationregister",
        "http://id.swedenconnect.se/id-binding/process/swedish-eid",
    ),
    "Identity-binding processes after which a mapped Swedish number from a foreign eID is trusted.",
)
SAML_CLOCK_SKEW_SECONDS = min(
    60,
    env.integer(
        "MINASIDOR_SAML_CLOCK_SKEW_SECONDS", 60, "Allowed clock difference with identity providers (at most 60)."
    ),
)
SAML_RESPONSE_MAX_AGE_SECONDS = env.integer(
    "MINASIDOR_SAML_RESPONSE_MAX_AGE_SECONDS",
    120,
    "Oldest IssueInstant of a response accepted (seconds, plus the clock skew).",
)
SAML_ORGANIZATION_NUMBER = env.string(
    "MINASIDOR_SAML_ORGANIZATION_NUMBER",
    "",
    "The authority's organisation number (10 digits) for the SP metadata; empty leaves it out.",
)
# The SP trusts the local test federation (loopback aggregate, keys under var/simulators/) only while the
# simulators are enabled; production refuses them outright.
SAML_TRUST_TEST_FEDERATION = SIMULATORS_ENABLED

# --- The registers: the portal's doorway to the back office, and the back office's internal API -----
REGISTERS_IMPLEMENTATION = env.string(
    "MINASIDOR_REGISTERS",
    "in_process",
    "How the portal reaches the back office: in_process (the embedded default) or http (its internal API).",
)
REGISTERS_URL = env.string(
    "MINASIDOR_REGISTERS_URL",
    "http://127.0.0.1:8001/internal/v1/",
    "Base URL of the back office's internal API (used when MINASIDOR_REGISTERS is http).",
)
REGISTERS_TIMEOUT_SECONDS = float(
    env.integer("MINASIDOR_REGISTERS_TIMEOUT_SECONDS", 3, "Seconds to wait for one answer from the back office.")
)
# A development key pair for service tokens; production refuses it (docs/decisions/0035).
INSECURE_DEFAULT_REGISTERS_SIGNING_KEY = "0NvzfLWxJjrerYR5Z+1/nyHAdTAHK1pQZh1HwEU9WJ0="
INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY = "Cn1ffXoxfKund/L0QRa+Tc543N1HpfNPUBpJWJw0nYw="
REGISTERS_SIGNING_KEY = env.string(
    "MINASIDOR_REGISTERS_SIGNING_KEY",
    INSECURE_DEFAULT_REGISTERS_SIGNING_KEY,
    "The portal's Ed25519 private key (base64 of the 32-byte seed) that signs its service tokens; secret.",
)
BACKOFFICE_API_TRUSTED_KEYS = env.strings(
    "BACKOFFICE_API_TRUSTED_KEYS",
    (INSECURE_DEFAULT_REGISTERS_PUBLIC_KEY,),
    "The back office's internal API: Ed25519 public keys (base64) whose service tokens it accepts, "
    "comma-separated (two during a key rotation).",
)

# --- The personal code (personlig kod) and the printing house (docs/decisions/0140) -------------------
# A development key; production refuses it. Codes are derived from it, so the print file can be written again.
INSECURE_DEFAULT_PERSONAL_CODE_KEY = "dGVzdC1vbmx5IHBlcnNvbmFsLWNvZGUga2V5LCBub3QgZm9yIHVzZQ=="
PERSONAL_CODE_KEY = env.string(
    "BACKOFFICE_PERSONAL_CODE_KEY",
    INSECURE_DEFAULT_PERSONAL_CODE_KEY,
    "The back office's secret (base64, at least 32 bytes) that personal codes are derived from; secret.",
)
PERSONAL_CODE_MAX_ATTEMPTS = env.integer(
    "BACKOFFICE_PERSONAL_CODE_MAX_ATTEMPTS",
    3,
    "Wrong personal codes in a row after which the code is locked for the phone (a new code must be ordered).",
)
PERSONAL_CODE_ARGON2_TIME_COST = env.integer(
    "BACKOFFICE_PERSONAL_CODE_ARGON2_TIME_COST", 2, "Argon2id iterations when a personal code is hashed."
)
PERSONAL_CODE_ARGON2_MEMORY_KIB = env.integer(
    "BACKOFFICE_PERSONAL_CODE_ARGON2_MEMORY_KIB", 19456, "Argon2id memory (KiB) when a personal code is hashed."
)
PRINT_DIR = env.string(
    "BACKOFFICE_PRINT_DIR",
    str(VAR_DIR / "print"),
    "Where the back office writes the print files for the printing house (statements, personal-code letters).",
)

# --- The telephone service (talsvar, docs/decisions/0141) ----------------------------------------------
# A test-only token for the phone simulator; production refuses it.
INSECURE_DEFAULT_TALSVAR_PLATFORM_TOKEN = "test-only-talsvar-platform-token"  # noqa: S105  # nosec B105 - test-only, refused in production
TALSVAR_PLATFORM_TOKEN = env.string(
    "MINASIDOR_TALSVAR_PLATFORM_TOKEN",
    INSECURE_DEFAULT_TALSVAR_PLATFORM_TOKEN,
    "The bearer token the telephony platform sends with every fetch of the telephone service's documents; secret.",
)

# --- The authority ----------------------------------------------------------------------------------
AUTHORITY_NAME = env.string(
    "MINASIDOR_AUTHORITY_NAME", "Pensionsportalen (demo)", "The authority's name as shown in the header."
)
CUSTOMER_SERVICE_PHONE = env.string(
    "MINASIDOR_CUSTOMER_SERVICE_PHONE",
    "0771-776 776",
    "The customer-service phone number pages give where a person cannot go on here (e.g. to apply on paper).",
)
CUSTOMER_SERVICE_HOURS = OpeningHours(
    week=env.parsed(
        "MINASIDOR_CUSTOMER_SERVICE_HOURS",
        "mon-fri 8-16",
        "Customer service's opening hours each day of the week, shown wherever a page gives the phone number.",
        opening_hours.week_parse,
    ),
    exceptions=env.parsed(
        "MINASIDOR_CUSTOMER_SERVICE_EXCEPTIONS",
        "",
        "Dates when customer service keeps other hours or is closed; shown from two weeks before.",
        opening_hours.exceptions_parse,
    ),
)

# --- The authority's seal on receipts (PAdES; by default the development seal of `make run`) ------------
SEAL_DEVELOPMENT_DIR = VAR_DIR / "test-seal"
SEAL_CERT_FILE = env.string(
    "MINASIDOR_SEAL_CERT_FILE",
    str(SEAL_DEVELOPMENT_DIR / "seal.pem"),
    "The authority's seal certificate (PEM) that seals PDF receipts. Production refuses the test seal.",
)
SEAL_KEY_FILE = env.string(
    "MINASIDOR_SEAL_KEY_FILE", str(SEAL_DEVELOPMENT_DIR / "seal-key.pem"), "The seal certificate's key (PEM)."
)
SEAL_KEY_PASSWORD = env.string("MINASIDOR_SEAL_KEY_PASSWORD", "", "The seal key's password, if it has one; secret.")
SEAL_CHAIN_FILE = env.string(
    "MINASIDOR_SEAL_CHAIN_FILE",
    str(SEAL_DEVELOPMENT_DIR / "seal-root-ca.pem"),
    "The seal certificate's CA certificates (PEM), embedded in each seal so a validator can build the chain.",
)
SEAL_ROOT_FILE = env.string(
    "MINASIDOR_SEAL_ROOT_FILE",
    str(SEAL_DEVELOPMENT_DIR / "seal-root-ca.pem"),
    "The trust root(s) (PEM) a sealed receipt is checked against by the offline check.",
)
SEAL_TSA_URL = env.string(
    "MINASIDOR_SEAL_TSA_URL",
    "",
    "RFC 3161 time-stamping authority for the seal (PAdES B-T). Empty: seals without a time-stamp (B-B).",
)

# --- Attachments: the malware scan (backoffice.casework.scanning, docs/decisions/0133) ---
MALWARE_SCANNER = env.string(
    "MINASIDOR_MALWARE_SCANNER",
    "eicar-test",
    "The malware scanner attachments pass before they are kept: clamd://host:port (ClamAV's daemon), or "
    "eicar-test (test-only: flags only the EICAR test string; refused in production).",
)

# --- Operations: health, readiness, metrics and traces (minasidor.operations, docs/observability.md) ---
OPERATOR_NETWORKS = env.strings(
    "MINASIDOR_OPERATOR_NETWORKS",
    ("127.0.0.1/32", "::1/128"),
    "Networks (CIDR, comma-separated) whose clients may read the metrics without a token: the operators' "
    "monitoring. The client address is the one MINASIDOR_TRUSTED_PROXY_HOPS gives.",
)
METRICS_TOKEN = env.string(
    "MINASIDOR_METRICS_TOKEN",
    "",
    "A bearer token that also lets a scraper outside the operator networks read the metrics (at least 32 "
    "characters; secret). Empty: only the operator networks may.",
)
TRACING_EXPORTER = env.string(
    "MINASIDOR_TRACING_EXPORTER",
    "",
    "Where OpenTelemetry traces go: empty (off), otlp (OTLP over HTTP, to OTEL_EXPORTER_OTLP_ENDPOINT) or "
    "console (standard output, for trying it out).",
)

# --- Consented sharing with third parties: the authorization server (minasidor.sharing, decisions 0185-0189) ---
# django-oauth-toolkit with every RFC 9700 gate on: authorization code with PKCE (S256 only), no implicit or
# password grant, tokens stored as checksums only, access tokens never in a query string, ``iss`` in the
# authorization response. Access tokens live five minutes, refresh tokens are rotated at every use and refused
# when used twice; both are bound to the client's DPoP key by minasidor.sharing (decision 0186).
SHARING_API_READS_PER_MINUTE = env.integer(
    "MINASIDOR_SHARING_API_READS_PER_MINUTE",
    60,
    "Reads of the sharing API (/api/dela/v1/) one registered client may make a minute, over all citizens.",
)
# The toolkit's own models (swappable; named so that migrations can depend on them).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105  # nosec B105 - a model name
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105  # nosec B105 - a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105  # nosec B105 - a model name
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "minasidor.sharing.validator.SharingValidator",
    "SCOPES": {
        "statement:read": "The latest pension statement",
        "forecast:read": "The pension forecast at the standard assumptions",
        "payments:read": "The pension payments",
    },
    "DEFAULT_SCOPES": [],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,  # nosec B105 - a setting of the toolkit, not a secret
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 90 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,  # nosec B105 - a setting of the toolkit, not a secret
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # nosec B105 - a setting of the toolkit, not a secret
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    # Plain http only for the demo client on this machine, while the simulators are enabled (never in production).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if SIMULATORS_ENABLED else ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,  # nosec B105 - a setting of the toolkit, not a secret
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # nosec B105 - a setting of the toolkit, not a secret
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # nosec B105 - a setting of the toolkit, not a secret
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,  # nosec B105 - a setting of the toolkit, not a secret
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not SIMULATORS_ENABLED,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
