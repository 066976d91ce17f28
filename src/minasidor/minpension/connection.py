"""The process's one Min Pension client, built from the settings (one circuit breaker per process)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from minasidor.core import metrics
from minasidor.minpension.client import MinPensionClient, MinPensionSettings


def _path(value: str) -> Path | None:
    return Path(value) if value else None


@functools.cache
def _build(base_url: str, cert: str, key: str, ca: str, timeout: float) -> MinPensionClient:
    made = MinPensionClient(
        settings=MinPensionSettings(
            base_url=base_url, cert_file=_path(cert), key_file=_path(key), ca_file=_path(ca), timeout_seconds=timeout
        )
    )
    metrics.breaker_watch("minpension", made.breaker)
    return made


def client() -> MinPensionClient:
    """The client for the configured Min Pension (a new one if the settings changed, e.g. in tests)."""
    return _build(
        settings.MINPENSION_BASE_URL,
        settings.MINPENSION_CERT_FILE,
        settings.MINPENSION_KEY_FILE,
        settings.MINPENSION_CA_FILE,
        settings.MINPENSION_TIMEOUT_SECONDS,
    )


def reset() -> None:
    """Forget the clients (and their circuit breakers); tests call it between cases."""
    _build.cache_clear()
