"""Requirement: the deploy checks still fail when security, clickjacking or CSRF middleware is missing,
whether Django's own class or the portal's async-friendly subclass is used."""

from __future__ import annotations

from pytest_django.fixtures import Settings

from minasidor.security.checks import security_middleware_present


def test_the_portals_chain_passes() -> None:
    assert security_middleware_present(None) == []


def test_djangos_own_classes_pass_too(settings: Settings) -> None:
    settings.MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    assert security_middleware_present(None) == []


def test_a_missing_one_is_an_error(settings: Settings) -> None:
    settings.MIDDLEWARE = [path for path in settings.MIDDLEWARE if not path.endswith("XFrameOptionsMiddleware")]
    assert [error.id for error in security_middleware_present(None)] == ["minasidor.E002"]
