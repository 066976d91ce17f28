"""The documents a person signs, in one canonical form whose SHA-256 is what the signature binds.

A document to sign (an application for pension, a change of payment account, later a power of attorney)
is a JSON object: ``{"kind": …, "version": …, "content": {…}}``, serialised by the JSON Canonicalization
Scheme (RFC 8785, through the ``rfc8785`` library): keys sorted by their UTF-16 code units, no
whitespace, strings and integers in one spelling. The same content always gives the same bytes, so the
hash can be recomputed from the kept bytes years later by any JCS implementation.

- ``content`` holds JSON values only: strings, integers, booleans, null, lists and objects. Floats are
  refused: amounts go as integers (kronor or öre, named in the key) or as decimal strings, so no reader
  ever rounds a binary fraction.
- The **summary** is the plain text shown to the signer (BankID's ``userVisibleData``, simpleMarkdownV1).
  It is kept beside the canonical bytes, not inside them: the signature covers it separately.
- What goes into the signature's hidden part (BankID's ``userNonVisibleData``) is
  :attr:`SignableDocument.non_visible_data`: the ASCII text ``sha256=`` and the hash in lower-case hex, so
  a reader of a kept signature sees the algorithm as well as the value.

No Django here (decision 0100).
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import rfc8785

HASH_PREFIX = b"sha256="
USER_VISIBLE_DATA_MAX = 1500  # BankID: userVisibleData is at most 1 500 characters after base64


class DocumentKind(enum.StrEnum):
    """What a signed document is; the kind is part of the signed bytes."""

    PENSION_APPLICATION = "pension-application"
    PAYMENT_ACCOUNT_CHANGE = "payment-account-change"
    WITHDRAWAL_CHANGE = "withdrawal-change"
    TAX_WITHHOLDING_CHANGE = "tax-withholding-change"
    HOUSING_SUPPLEMENT_APPLICATION = "housing-supplement-application"
    POWER_OF_ATTORNEY = "power-of-attorney"


class DocumentError(ValueError):
    """The document cannot be signed or read back as it is."""


@dataclasses.dataclass(frozen=True, slots=True)
class SignableDocument:
    """One document in its canonical bytes, with their hash and the summary shown to the signer."""

    kind: DocumentKind
    version: int
    canonical: bytes = dataclasses.field(repr=False)
    digest: bytes  # SHA-256 of ``canonical``
    summary: str = dataclasses.field(repr=False)

    @property
    def hash_hex(self) -> str:
        return self.digest.hex()

    @property
    def non_visible_data(self) -> bytes:
        """What the signature's hidden part carries: ``sha256=<hex>``."""
        return HASH_PREFIX + self.hash_hex.encode("ascii")

    @property
    def content(self) -> dict[str, Any]:
        """The content read back from the canonical bytes."""
        envelope: dict[str, Any] = json.loads(self.canonical)
        content: dict[str, Any] = envelope["content"]
        return content


def signable_document(
    *, kind: DocumentKind, version: int, content: Mapping[str, Any], summary: str
) -> SignableDocument:
    """The canonical form of ``content`` as a document of ``kind`` and ``version``, with ``summary``."""
    if version < 1:
        raise DocumentError("a document version starts at 1")
    _refuse_floats(content)
    envelope = {"kind": kind.value, "version": version, "content": dict(content)}
    try:
        canonical = rfc8785.dumps(envelope)
    except rfc8785.CanonicalizationError as error:
        raise DocumentError(f"the content cannot be canonicalised: {error}") from error
    _check_summary(summary)
    return SignableDocument(
        kind=kind, version=version, canonical=canonical, digest=hashlib.sha256(canonical).digest(), summary=summary
    )


def document_from_canonical(canonical: bytes, *, summary: str) -> SignableDocument:
    """A kept document read back: the bytes must be canonical JCS of an envelope, as :func:`signable_document`
    writes them (so a kept record whose bytes were re-serialised on the way is noticed)."""
    try:
        envelope = json.loads(canonical.decode("utf-8"))
        kind = DocumentKind(envelope["kind"])
        version = envelope["version"]
        content = envelope["content"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DocumentError("the kept bytes are not a signed document") from error
    if set(envelope) != {"kind", "version", "content"} or not isinstance(version, int) or not isinstance(content, dict):
        raise DocumentError("the kept bytes are not a signed document")
    document = signable_document(kind=kind, version=version, content=content, summary=summary)
    if not hmac.compare_digest(document.canonical, canonical):
        raise DocumentError("the kept bytes are not in canonical form")
    return document


def hash_from_non_visible_data(data: bytes) -> bytes:
    """The SHA-256 a signature's hidden part names (``sha256=<hex>``), or :class:`DocumentError`."""
    if not data.startswith(HASH_PREFIX):
        raise DocumentError("the hidden data names no SHA-256")
    text = data[len(HASH_PREFIX) :]
    if len(text) != 64 or text.lower() != text:
        raise DocumentError("the hidden data's hash is not 64 lower-case hex digits")
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as error:
        raise DocumentError("the hidden data's hash is not hex") from error


def _check_summary(summary: str) -> None:
    if not summary.strip():
        raise DocumentError("a document to sign needs a summary for the signer")
    if len(base64.b64encode(summary.encode("utf-8"))) > USER_VISIBLE_DATA_MAX:
        raise DocumentError("the summary is longer than BankID shows (1 500 characters after base64)")


def _refuse_floats(value: object) -> None:
    if isinstance(value, float):
        raise DocumentError("floats are not signed: write amounts as integers or decimal strings")
    if isinstance(value, Mapping):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)
