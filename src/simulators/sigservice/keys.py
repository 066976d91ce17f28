"""The test signature service's keys: its response-signing key and certificate, and its own test CA that
issues a signing certificate to each person who signs. Generated in memory for tests; TEST ONLY — the
portal's production profile refuses any file of the simulators."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, *extra: x509.NameAttribute[str]) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"), *extra, x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


def _certificate(
    *,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    ca: bool,
    now: dt.datetime,
    days: int,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclasses.dataclass(frozen=True)
class ServiceKeys:
    """The service's signing key and certificate, and its CA for signers' certificates."""

    signing_key: rsa.RSAPrivateKey
    signing_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate

    @classmethod
    def generate(cls, *, now: dt.datetime) -> ServiceKeys:
        ca_key, signing_key = _key(), _key()
        ca_name = _name("Test Signature Service CA (TEST ONLY)")
        ca_cert = _certificate(
            subject=ca_name, key=ca_key, issuer=ca_name, issuer_key=ca_key, ca=True, now=now, days=3650
        )
        signing_name = _name("Test Signature Service (TEST ONLY)")
        signing_cert = _certificate(
            subject=signing_name,
            key=signing_key,
            issuer=signing_name,
            issuer_key=signing_key,
            ca=False,
            now=now,
            days=3650,
        )
        return cls(signing_key=signing_key, signing_cert=signing_cert, ca_key=ca_key, ca_cert=ca_cert)

    def signer_certificate(
        self, *, identifier: str, given_name: str, surname: str, now: dt.datetime
    ) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        """A fresh key and a certificate naming the person (``serialNumber``: personal number or prid)."""
        key = _key()
        subject = _name(
            f"{given_name} {surname}",
            x509.NameAttribute(NameOID.SERIAL_NUMBER, identifier),
            x509.NameAttribute(NameOID.GIVEN_NAME, given_name),
            x509.NameAttribute(NameOID.SURNAME, surname),
        )
        certificate = _certificate(
            subject=subject, key=key, issuer=self.ca_cert.subject, issuer_key=self.ca_key, ca=False, now=now, days=1
        )
        return key, certificate
