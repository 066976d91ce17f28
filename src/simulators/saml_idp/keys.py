"""TEST-ONLY keys and certificates of the test identity providers and their federation.

Generated at start into ``var/simulators/saml/`` (git-ignored) when missing. They sign test responses and
a test metadata aggregate; nothing outside this machine trusts them, and the portal trusts them only while
``MINASIDOR_SIMULATORS_ENABLED`` is true.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_SIZE = 2048  # the framework's minimum; enough for a test key and quick to generate
NAMES = ("federation", "eidas-connector", "swedish-eid")


@dataclasses.dataclass(frozen=True)
class KeyPair:
    key_file: Path
    cert_file: Path

    def cert_base64(self) -> str:
        """The certificate's DER in base64 on one line, as metadata carries it."""
        lines = self.cert_file.read_text().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def key_pair(directory: Path, name: str, *, now: dt.datetime) -> KeyPair:
    """The key pair ``name`` in ``directory``, generated when missing or expiring within a day."""
    pair = KeyPair(directory / f"{name}-key.pem", directory / f"{name}.crt")
    if pair.key_file.exists() and pair.cert_file.exists():
        cert = x509.load_pem_x509_certificate(pair.cert_file.read_bytes())
        if cert.not_valid_after_utc > now + dt.timedelta(days=1):
            return pair
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"TEST ONLY - Mina sidor test IdP {name}")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    pair.key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    pair.key_file.chmod(0o600)
    pair.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


def all_key_pairs(directory: Path, *, now: dt.datetime) -> dict[str, KeyPair]:
    return {name: key_pair(directory, name, now=now) for name in NAMES}
