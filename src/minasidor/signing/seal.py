"""The authority's seal on a PDF (a receipt): a PAdES baseline signature made with pyHanko, and its check.

:func:`pdf_seal` adds one signature to the PDF as an incremental update (the document's bytes stay as they
were, its tagged structure too): ``/SubFilter /ETSI.CAdES.detached``, SHA-256, the signing-certificate-v2
attribute and no CMS signing time — PAdES B-B (ETSI EN 319 142-1) — and, when the sealer has a
time-stamping authority, a signature time-stamp in the CMS: PAdES B-T. The signature is certifying with
"no changes allowed", since a receipt is never filled in afterwards. Its field is invisible.

:func:`pdf_seal_check` validates a sealed PDF with pyHanko's validator against given trust roots, without
fetching anything: the signature must be intact and valid, its certificate chain must end in a trust root,
it must cover the whole file (nothing appended after it), and a time-stamp, when there is one, must be
valid too. It is what the tests and the offline check call. Decision 0102.

Django-free; :mod:`minasidor.signing.configured` builds the process's sealer from the settings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

FIELD_NAME = "Sigill"


class SealError(Exception):
    """The PDF could not be sealed, or a sealed PDF does not hold (``reason`` says why, for operators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, with the private key parsed once instead of at every signature.

    SimpleSigner parses the key from its DER form for each raw signature, twice a seal (the size estimate
    and the signature), and for an RSA key ``cryptography`` checks the key's primes each time: about 190 ms
    for a 3072-bit key, nearly all of a seal's time. RSA PKCS#1 v1.5 and ECDSA are signed with the kept key;
    any other mechanism goes to pyHanko's own code."""

    @functools.cached_property
    def _private_key(self) -> PrivateKeyTypes:
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._private_key
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        signature: bytes = super().sign_raw(data, digest_algorithm)
        return signature


@dataclasses.dataclass(frozen=True, slots=True)
class Sealer:
    """The seal key and certificate (with the chain to embed), and the time-stamping authority if any."""

    signer: signers.SimpleSigner
    timestamper: TimeStamper | None = None

    @property
    def level(self) -> str:
        return "B-T" if self.timestamper is not None else "B-B"


@dataclasses.dataclass(frozen=True, slots=True)
class SealCheck:
    """What the check of a sealed PDF found (only returned when the seal holds)."""

    signer: str  # the seal certificate's common name
    signed_at: dt.datetime | None  # the time-stamp's time (B-T), or None (B-B: the signer's claim only)
    level: str  # "B-B" or "B-T"


def sealer_load(
    *,
    cert_file: Path,
    key_file: Path,
    chain_files: Sequence[Path] = (),
    key_password: str = "",
    timestamper: TimeStamper | None = None,
) -> Sealer:
    """A sealer from PEM (or DER) files; ``chain_files`` hold the certificates to embed up to the root."""
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]  # pyHanko leaves this one untyped
        key_file=str(key_file),
        cert_file=str(cert_file),
        ca_chain_files=tuple(str(path) for path in chain_files) or None,
        key_passphrase=key_password.encode() if key_password else None,
    )
    if signer is None:
        raise SealError("the seal key or certificate cannot be read")
    kept = _KeptKeySigner(
        signing_cert=signer.signing_cert,
        signing_key=signer.signing_key,
        cert_registry=signer.cert_registry,
        signature_mechanism=signer.signature_mechanism,
    )
    return Sealer(signer=kept, timestamper=timestamper)


def _metadata(*, reason: str, location: str) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )


# Hidden, not printed: PDF/UA asks every visible annotation to be in the structure tree; a hidden one is not.
_FIELD = fields.SigFieldSpec(
    FIELD_NAME,
    readable_field_name="Myndighetens sigill",
    invis_sig_settings=fields.InvisSigSettings(set_print_flag=False, set_hidden_flag=True),
)


def pdf_seal(pdf: bytes, *, sealer: Sealer, reason: str, location: str) -> bytes:
    """``pdf`` with the authority's seal added as an incremental update (not for a running event loop: use
    :func:`pdf_seal_async` there)."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        output = signers.sign_pdf(
            writer,
            _metadata(reason=reason, location=location),
            signer=sealer.signer,
            timestamper=sealer.timestamper,
            new_field_spec=_FIELD,
        )
    except (PdfError, SigningError, OSError) as error:
        raise SealError(f"the PDF cannot be sealed: {error}") from error
    return bytes(output.getvalue())


async def pdf_seal_async(pdf: bytes, *, sealer: Sealer, reason: str, location: str) -> bytes:
    """:func:`pdf_seal` for async code."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        pdf_signer = signers.PdfSigner(
            _metadata(reason=reason, location=location),
            signer=sealer.signer,
            timestamper=sealer.timestamper,
            new_field_spec=_FIELD,
        )
        output = await pdf_signer.async_sign_pdf(writer)
    except (PdfError, SigningError, OSError) as error:
        raise SealError(f"the PDF cannot be sealed: {error}") from error
    return bytes(output.getvalue())


def trust_roots_load(files: Sequence[Path]) -> list[asn1_x509.Certificate]:
    """The certificates in PEM or DER files, as trust roots for :func:`pdf_seal_check`."""
    untyped = load_certs_from_pemder  # pyHanko leaves its key-file readers untyped
    roots = [cert for path in files for cert in untyped([str(path)])]  # type: ignore[no-untyped-call]
    if not roots:
        raise SealError("no trust root")
    return roots


def pdf_seal_check(pdf: bytes, *, trust_roots: Sequence[asn1_x509.Certificate]) -> SealCheck:
    """Validate the one seal of a sealed PDF against ``trust_roots``; :class:`SealError` unless it holds."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, OSError, ValueError) as error:
        raise SealError(f"the PDF cannot be read: {error}") from error
    if len(signatures) != 1:
        raise SealError(f"the PDF has {len(signatures)} signatures, not the one seal")
    embedded = signatures[0]
    if embedded.sig_object.get("/SubFilter") != "/ETSI.CAdES.detached":
        raise SealError("the signature is not a PAdES signature")
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status: PdfSignatureStatus = validate_pdf_signature(
            embedded, signer_validation_context=context, ts_validation_context=context
        )
    except (PdfError, ValueError) as error:
        raise SealError(f"the seal cannot be validated: {error}") from error
    if not status.intact or not status.valid:
        raise SealError("the seal does not match the document: it was changed after sealing")
    if not status.trusted:
        raise SealError("the seal's certificate does not chain to a trusted root")
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        raise SealError("the seal does not cover the whole file: something was added after sealing")
    timestamp = status.timestamp_validity
    if timestamp is not None and not (timestamp.intact and timestamp.valid and timestamp.trusted):
        raise SealError("the seal's time-stamp does not hold")
    return SealCheck(
        signer=str(status.signing_cert.subject.native.get("common_name", status.signing_cert.subject.human_friendly)),
        signed_at=timestamp.timestamp if timestamp is not None else None,
        level="B-T" if timestamp is not None else "B-B",
    )


def certificate_load(path: Path) -> asn1_x509.Certificate:
    """One certificate from a PEM or DER file (for a test time-stamping authority, say)."""
    certificate: asn1_x509.Certificate = load_cert_from_pemder(str(path))  # type: ignore[no-untyped-call]
    return certificate
