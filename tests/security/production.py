"""The production profile's values, read in a child process (its module refuses unsafe environments)."""

from __future__ import annotations

import base64
import functools
import json
import os
import secrets
import subprocess
import sys
from typing import Any

from django.conf import settings

from minasidor.conf.tests.test_settings import SAFE_PRODUCTION_ENV as PROFILE_TEST_ENV

# The environment the production profile needs to start, kept with the profile's own tests, plus a
# throwaway key for the back office API (generated here, used for nothing else).
SAFE_PRODUCTION_ENV = {
    **PROFILE_TEST_ENV,
    "MINASIDOR_ALLOWED_HOSTS": "testserver",
    "BACKOFFICE_API_TRUSTED_KEYS": base64.b64encode(secrets.token_bytes(32)).decode(),
}

# The settings that shape cookies, headers and transport; the tests apply them with override_settings.
HARDENING = (
    "SECURE_COOKIES",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "DEVICE_COOKIE_NAME",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "MIDDLEWARE",
    "PERMISSIONS_POLICY",
    "DEBUG",
)


@functools.cache
def production_settings(names: tuple[str, ...] = HARDENING) -> dict[str, Any]:
    """The values of ``names`` in the production profile."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    env = {**os.environ, **SAFE_PRODUCTION_ENV}
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=settings.PROJECT_ROOT
    )
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return values
