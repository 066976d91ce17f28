"""The one TLS context of the BankID client: our RP certificate, and BankID's root pinned.

The system trust store is not used: only ``ca_file`` (BankID's SSL root, or the test server's) can
vouch for the server. The RP certificate comes as PEM files, or as the PKCS#12 file banks deliver.
"""

from __future__ import annotations

import secrets
import ssl
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12


def _pinned_context(ca_file: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context.load_verify_locations(cafile=str(ca_file))
    return context


def rp_ssl_context(
    *, cert_file: Path, key_file: Path, ca_file: Path, key_password: str | None = None
) -> ssl.SSLContext:
    """A client context: TLS 1.2+, hostname checked, server verified against ``ca_file`` only."""
    context = _pinned_context(ca_file)
    context.load_cert_chain(certfile=str(cert_file), keyfile=str(key_file), password=key_password)
    return context


def rp_ssl_context_from_pkcs12(*, pkcs12_file: Path, password: str, ca_file: Path) -> ssl.SSLContext:
    """The same context from a PKCS#12 file. The key reaches disk only re-encrypted, for a moment,
    because Python's ``ssl`` loads keys from files only."""
    key, cert, chain = pkcs12.load_key_and_certificates(pkcs12_file.read_bytes(), password.encode("utf-8"))
    if key is None or cert is None:
        raise ValueError("The PKCS#12 file holds no private key and certificate")
    transient = secrets.token_urlsafe(32)
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *chain]) + key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(transient.encode("ascii")),
    )
    context = _pinned_context(ca_file)
    with tempfile.TemporaryDirectory(prefix="bankid-") as directory:
        bundle = Path(directory) / "rp.pem"
        bundle.touch(mode=0o600)
        bundle.write_bytes(pem)
        context.load_cert_chain(certfile=str(bundle), password=transient)
    return context
