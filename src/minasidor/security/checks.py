"""System checks that the security middleware is in the chain, accepting the portal's async-friendly
subclasses of Django's (``minasidor.core.inline``).

Django's own deploy checks (security.W001–W003) look for Django's dotted paths in ``MIDDLEWARE`` and would
warn about the subclasses; they are silenced in the settings and replaced by these, which are errors.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.module_loading import import_string

REQUIRED = (
    ("minasidor.E001", SecurityMiddleware, "security headers, HSTS and the HTTPS redirect"),
    ("minasidor.E002", XFrameOptionsMiddleware, "X-Frame-Options against clickjacking"),
    ("minasidor.E003", CsrfViewMiddleware, "protection against cross-site request forgery"),
)


@register(Tags.security, deploy=True)
def security_middleware_present(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Each of Django's security middleware, or a subclass of it, is in ``MIDDLEWARE``."""
    classes = [import_string(path) for path in settings.MIDDLEWARE]
    return [
        Error(f"No {required.__name__} (or subclass) in MIDDLEWARE: no {what}.", id=check_id)
        for check_id, required, what in REQUIRED
        if not any(isinstance(cls, type) and issubclass(cls, required) for cls in classes)
    ]
