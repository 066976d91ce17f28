"""The SP's keys. In development and tests (simulators enabled) missing keys are generated, TEST-ONLY.

Production must be given its own keys (``MINASIDOR_SAML_KEY_FILE`` … ``_ENCRYPTION_CERT_FILE``); nothing is
generated there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from kernel import clock


class KeysMissingError(Exception):
    """The SP's key or certificate files are missing (and may not be generated here)."""


def _generate(key_file: Path, cert_file: Path, *, purpose: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"TEST ONLY - Mina sidor SP {purpose}")])
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure_keys() -> None:
    """Check the SP's key files exist; with simulators enabled, generate TEST-ONLY ones when missing."""
    pairs = [
        (Path(settings.SAML_KEY_FILE), Path(settings.SAML_CERT_FILE), "signing"),
        (Path(settings.SAML_ENCRYPTION_KEY_FILE), Path(settings.SAML_ENCRYPTION_CERT_FILE), "encryption"),
    ]
    for key_file, cert_file, purpose in pairs:
        if key_file.exists() and cert_file.exists():
            continue
        if not settings.SIMULATORS_ENABLED:
            raise KeysMissingError(f"The SP's {purpose} key or certificate is missing")
        _generate(key_file, cert_file, purpose=purpose)
