"""The process's one sealer, built from the settings (``MINASIDOR_SEAL_*``), and the trust roots of the check.

The only module of :mod:`minasidor.signing` that reads Django's settings. The sealer is built on first use
and kept; :func:`reset` forgets it (tests that change the settings).
"""

from __future__ import annotations

import functools
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.sign.timestamps import HTTPTimeStamper

from minasidor.signing.seal import Sealer, sealer_load, trust_roots_load


@functools.cache
def configured_sealer() -> Sealer:
    """The authority's seal: B-T with the configured time-stamping authority, B-B without one."""
    tsa_url: str = settings.SEAL_TSA_URL
    return sealer_load(
        cert_file=Path(settings.SEAL_CERT_FILE),
        key_file=Path(settings.SEAL_KEY_FILE),
        chain_files=(Path(settings.SEAL_CHAIN_FILE),),
        key_password=settings.SEAL_KEY_PASSWORD,
        timestamper=HTTPTimeStamper(tsa_url) if tsa_url else None,
    )


@functools.cache
def configured_trust_roots() -> list[asn1_x509.Certificate]:
    """The roots a sealed receipt must chain to (``MINASIDOR_SEAL_ROOT_FILE``)."""
    return trust_roots_load([Path(settings.SEAL_ROOT_FILE)])


def reset() -> None:
    configured_sealer.cache_clear()
    configured_trust_roots.cache_clear()
