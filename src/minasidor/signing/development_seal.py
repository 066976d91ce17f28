"""A TEST seal for development and tests: a test CA, the authority's seal certificate and a test time-stamping
authority, written as PEM files into a folder named ``test-seal`` (``var/test-seal/`` for ``make run``).

Every key here is test-only: the subjects say so, the keys are unencrypted, and the production profile
refuses any seal file under a ``test-seal`` folder (decision 0102). Run ``python -m minasidor.signing.development_seal
[DIR]``; existing files are kept, so the seal stays the same across runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

FOLDER_NAME = "test-seal"
TEST_ORGANISATION = "Mina sidor TEST authority (test only, never in production)"
_BACKDATE = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class DevelopmentSealFiles:
    """Where the test seal's files are."""

    directory: Path

    @property
    def root_file(self) -> Path:
        """The test CA's certificate: the trust root of a sealed receipt (and the chain to embed)."""
        return self.directory / "seal-root-ca.pem"

    @property
    def cert_file(self) -> Path:
        return self.directory / "seal.pem"

    @property
    def key_file(self) -> Path:
        return self.directory / "seal-key.pem"

    @property
    def tsa_cert_file(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key_file(self) -> Path:
        return self.directory / "tsa-key.pem"

    def exist(self) -> bool:
        files = (self.root_file, self.cert_file, self.key_file, self.tsa_cert_file, self.tsa_key_file)
        return all(path.exists() for path in files)


def development_seal_files(directory: Path, *, now: dt.datetime) -> DevelopmentSealFiles:
    """The test seal in ``directory`` (which must be named ``test-seal``), made unless all its files exist."""
    if directory.name != FOLDER_NAME:
        raise ValueError(f"the test seal's folder must be named {FOLDER_NAME!r}, so production can refuse it")
    files = DevelopmentSealFiles(directory)
    if files.exist():
        return files
    directory.mkdir(parents=True, exist_ok=True)
    root_key = _key()
    root = _certificate(
        subject="Mina sidor TEST seal CA",
        key=root_key,
        issuer=None,
        issuer_key=root_key,
        now=now,
        years=20,
        ca=True,
    )
    seal_key = _key()
    seal = _certificate(
        subject="Mina sidor TEST authority seal",
        key=seal_key,
        issuer=root,
        issuer_key=root_key,
        now=now,
        years=5,
        ca=False,
    )
    tsa_key = _key()
    tsa = _certificate(
        subject="Mina sidor TEST time-stamping authority",
        key=tsa_key,
        issuer=root,
        issuer_key=root_key,
        now=now,
        years=5,
        ca=False,
        time_stamping=True,
    )
    (directory / "README.txt").write_text(
        "TEST ONLY. These keys seal receipts in development and tests; the production profile refuses them.\n"
    )
    _write_certificate(files.root_file, root)
    _write_certificate(files.cert_file, seal)
    _write_key(files.key_file, seal_key)
    _write_certificate(files.tsa_cert_file, tsa)
    _write_key(files.tsa_key_file, tsa_key)
    return files


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def _certificate(
    *,
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    now: dt.datetime,
    years: int,
    ca: bool,
    time_stamping: bool = False,
) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
        ]
    )
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca and not time_stamping,  # non-repudiation: a seal
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _write_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_bytes(pem)
    path.chmod(0o600)


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else Path("var") / FOLDER_NAME
    files = development_seal_files(directory, now=dt.datetime.now(dt.UTC))
    sys.stdout.write(f"test seal in {files.directory}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
