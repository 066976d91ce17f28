"""The simulator's own test certificate authorities, written to and read from one directory.

Two separate hierarchies, as at BankID:

- TLS: ``ssl-root-ca.pem`` issues the server certificate (localhost, 127.0.0.1, ::1); an RP client
  pins this root. ``rp-ca.pem`` issues RP client certificates; the server trusts only it for mTLS.
- Signatures: ``signing-root-ca.pem`` ("BankID Root", member banks) → ``bank-ca.pem`` →
  ``customer-ca.pem``, which issues each test person's certificate and the OCSP responder's.

Every key and password here is for tests only and is written unencrypted (except the PKCS#12 file).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Test-only: the same password BankID uses for its public test RP certificate (FPTestcert5).
RP_PKCS12_PASSWORD = "qwerty123"  # noqa: S105 - documented test-only password

# X.520 "name" attribute, used by BankID in certificate subjects.
NAME_OID = x509.ObjectIdentifier("2.5.4.41")

_CA_YEARS = 10
_LEAF_YEARS = 2
_BACKDATE = dt.timedelta(days=1)

FILES_README = f"""BankID test server — test-only certificates and keys (never use in production).

ssl-root-ca.pem        TLS root: pin this in the RP client (verify the server).
server.pem/-key.pem    TLS server certificate for localhost, 127.0.0.1 and ::1.
rp-ca.pem              CA that issues RP client certificates (the server trusts only this for mTLS).
rp.pem, rp-key.pem     RP client certificate and key (PEM, key unencrypted).
rp.p12                 The same RP certificate and key as PKCS#12, password: {RP_PKCS12_PASSWORD}
signing-root-ca.pem    Root of the signature chain ("BankID Root CA", member banks): verify
                       completionData.signature and the OCSP responder against this.
bank-ca.pem            Intermediate CA of the test bank.
customer-ca.pem        Issues test persons' certificates and the OCSP responder's.
ocsp-responder.pem     OCSP responder certificate.
*-key.pem              Private keys of the above (test only).
"""


def _name(common_name: str, *, organization: str = "Simulated Testbank AB") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key (BankID signs with RSA-SHA256)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def issue(
    *,
    subject: x509.Name,
    issuer: Issued | None,
    now: dt.datetime,
    is_ca: bool,
    years: int,
    key: rsa.RSAPrivateKey | None = None,
    san: list[x509.GeneralName] | None = None,
    eku: list[x509.ObjectIdentifier] | None = None,
) -> Issued:
    """Issue a certificate; with ``issuer=None`` it is self-signed (a root)."""
    key = key or new_key()
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if is_ca:
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        )
    else:
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=not eku,
            key_encipherment=bool(eku),
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
    builder = builder.add_extension(usage, critical=True)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return Issued(cert=builder.sign(signer_key, hashes.SHA256()), key=key)


@dataclass(frozen=True)
class CaBundle:
    """All certificates and keys of one simulator directory."""

    directory: Path
    ssl_root: Issued
    server: Issued
    rp_ca: Issued
    rp: Issued
    signing_root: Issued
    bank_ca: Issued
    customer_ca: Issued
    ocsp_responder: Issued

    @property
    def ssl_root_file(self) -> Path:
        return self.directory / "ssl-root-ca.pem"

    @property
    def server_cert_file(self) -> Path:
        return self.directory / "server.pem"

    @property
    def server_key_file(self) -> Path:
        return self.directory / "server-key.pem"

    @property
    def rp_ca_file(self) -> Path:
        return self.directory / "rp-ca.pem"

    @property
    def rp_cert_file(self) -> Path:
        return self.directory / "rp.pem"

    @property
    def rp_key_file(self) -> Path:
        return self.directory / "rp-key.pem"

    @property
    def rp_pkcs12_file(self) -> Path:
        return self.directory / "rp.p12"

    @property
    def signing_root_file(self) -> Path:
        return self.directory / "signing-root-ca.pem"


_MEMBERS = (
    "ssl_root",
    "server",
    "rp_ca",
    "rp",
    "signing_root",
    "bank_ca",
    "customer_ca",
    "ocsp_responder",
)


def _file_stem(member: str) -> str:
    stems = {"ssl_root": "ssl-root-ca", "signing_root": "signing-root-ca", "ocsp_responder": "ocsp-responder"}
    return stems.get(member, member.replace("_", "-"))


def generate(*, directory: Path, now: dt.datetime) -> CaBundle:
    """Create every certificate and key and write them to ``directory``."""
    ssl_root = issue(
        subject=_name("Simulated BankID SSL Root CA v1 Test", organization="Simulated BankID"),
        issuer=None,
        now=now,
        is_ca=True,
        years=_CA_YEARS,
    )
    server = issue(
        subject=_name("localhost", organization="Simulated BankID"),
        issuer=ssl_root,
        now=now,
        is_ca=False,
        years=_LEAF_YEARS,
        san=[
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ],
        eku=[ExtendedKeyUsageOID.SERVER_AUTH],
    )
    rp_ca = issue(
        subject=_name("Simulated Testbank RP CA v1 for BankID Test"),
        issuer=None,
        now=now,
        is_ca=True,
        years=_CA_YEARS,
    )
    rp = issue(
        subject=x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Simulated Testbank AB"),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, "2021004953"),
                x509.NameAttribute(NAME_OID, "Mina sidor test"),
                x509.NameAttribute(NameOID.COMMON_NAME, "Mina sidor RP Testcert"),
            ]
        ),
        issuer=rp_ca,
        now=now,
        is_ca=False,
        years=_LEAF_YEARS,
        eku=[ExtendedKeyUsageOID.CLIENT_AUTH],
    )
    signing_root = issue(
        subject=x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Simulated BankID"),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "BankID Member Banks CA"),
                x509.NameAttribute(NameOID.COMMON_NAME, "Simulated BankID Root CA v1 Test"),
            ]
        ),
        issuer=None,
        now=now,
        is_ca=True,
        years=_CA_YEARS,
    )
    bank_ca = issue(
        subject=_name("Simulated Testbank CA v1 for BankID Test"),
        issuer=signing_root,
        now=now,
        is_ca=True,
        years=_CA_YEARS,
    )
    customer_ca = issue(
        subject=_name("Simulated Testbank Customer CA1 v1 for BankID Test"),
        issuer=bank_ca,
        now=now,
        is_ca=True,
        years=_CA_YEARS,
    )
    ocsp_responder = issue(
        subject=_name("Simulated Testbank OCSP responder"),
        issuer=customer_ca,
        now=now,
        is_ca=False,
        years=_LEAF_YEARS,
        eku=[ExtendedKeyUsageOID.OCSP_SIGNING],
    )
    bundle = CaBundle(
        directory=directory,
        ssl_root=ssl_root,
        server=server,
        rp_ca=rp_ca,
        rp=rp,
        signing_root=signing_root,
        bank_ca=bank_ca,
        customer_ca=customer_ca,
        ocsp_responder=ocsp_responder,
    )
    _write(bundle)
    return bundle


def _write(bundle: CaBundle) -> None:
    directory = bundle.directory
    directory.mkdir(parents=True, exist_ok=True)
    for member in _MEMBERS:
        issued: Issued = getattr(bundle, member)
        stem = _file_stem(member)
        (directory / f"{stem}.pem").write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))
        key_file = directory / f"{stem}-key.pem"
        key_file.write_bytes(
            issued.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),  # test-only keys, written in the clear on purpose
            )
        )
        key_file.chmod(0o600)
    p12 = pkcs12.serialize_key_and_certificates(
        name=b"rp",
        key=bundle.rp.key,
        cert=bundle.rp.cert,
        cas=[bundle.rp_ca.cert],
        encryption_algorithm=serialization.BestAvailableEncryption(RP_PKCS12_PASSWORD.encode()),
    )
    bundle.rp_pkcs12_file.write_bytes(p12)
    (directory / "README.txt").write_text(FILES_README, encoding="utf-8")


def load(*, directory: Path) -> CaBundle:
    """Read a directory written by :func:`generate`."""
    members: dict[str, Issued] = {}
    for member in _MEMBERS:
        stem = _file_stem(member)
        cert = x509.load_pem_x509_certificate((directory / f"{stem}.pem").read_bytes())
        key = serialization.load_pem_private_key((directory / f"{stem}-key.pem").read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError(f"{stem}-key.pem is not an RSA key")
        members[member] = Issued(cert=cert, key=key)
    return CaBundle(directory=directory, **members)


def load_or_generate(*, directory: Path, now: dt.datetime) -> CaBundle:
    """Load the directory's CA if complete and still valid, else generate a new one."""
    try:
        bundle = load(directory=directory)
    except (FileNotFoundError, ValueError, TypeError):
        return generate(directory=directory, now=now)
    if any(getattr(bundle, member).cert.not_valid_after_utc <= now + dt.timedelta(days=1) for member in _MEMBERS):
        return generate(directory=directory, now=now)
    return bundle
