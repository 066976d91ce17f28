"""Requirement: a document to sign has one canonical serialisation (RFC 8785) and its SHA-256; the same content
gives the same bytes whatever the order of its keys, kept bytes read back only if canonical, and the hidden
data a signature carries names that hash."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minasidor.signing.documents import (
    DocumentError,
    DocumentKind,
    SignableDocument,
    document_from_canonical,
    hash_from_non_visible_data,
    signable_document,
)

CONTENT = {
    "parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}],
    "survivorProtection": False,
    "account": {"clearing": "5000", "number": "1234567"},
    "name": "Tolvan Tolvansson",
    "extraTaxKronor": 500,
}


def _document(content: dict[str, object] = CONTENT, **overrides: object) -> SignableDocument:
    values: dict[str, object] = {
        "kind": DocumentKind.PENSION_APPLICATION,
        "version": 1,
        "content": content,
        "summary": "Jag ansöker om allmän ålderspension från mars 2027.",
        **overrides,
    }
    return signable_document(**values)  # type: ignore[arg-type]


def test_the_canonical_bytes_are_rfc_8785() -> None:
    document = _document({"b": "å", "a": 1, "c": [True, None], "é": {"z": 0, "y": "\u20ac"}})
    assert (
        document.canonical
        == (
            '{"content":{"a":1,"b":"å","c":[true,null],"é":{"y":"€","z":0}},"kind":"pension-application","version":1}'
        ).encode()
    )
    assert document.digest == hashlib.sha256(document.canonical).digest()
    assert document.non_visible_data == b"sha256=" + document.hash_hex.encode()


def test_rfc_8785_sorts_keys_by_utf16_code_units() -> None:
    # U+1F600 (a surrogate pair, D83D…) sorts before U+FB33 in UTF-16, after it in code points.
    document = _document({"\ufb33": 1, "\U0001f600": 2})
    assert document.canonical.index("\U0001f600".encode()) < document.canonical.index("\ufb33".encode())


@given(st.permutations(list(CONTENT.items())))
def test_key_order_does_not_change_the_hash(items: list[tuple[str, object]]) -> None:
    assert _document(dict(items)).digest == _document().digest


def test_kind_version_and_content_each_change_the_hash() -> None:
    base = _document().digest
    assert _document(kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE).digest != base
    assert _document(version=2).digest != base
    assert _document({**CONTENT, "extraTaxKronor": 501}).digest != base


def test_floats_are_refused_anywhere() -> None:
    with pytest.raises(DocumentError, match="floats"):
        _document({"amounts": [{"monthly": 12345.5}]})


def test_a_summary_is_required_and_fits_bankid() -> None:
    with pytest.raises(DocumentError, match="summary"):
        _document(summary="  ")
    with pytest.raises(DocumentError, match="1 500"):
        _document(summary="å" * 600)  # 1 200 bytes: 1 600 characters of base64
    assert _document(summary="a" * 1125).summary


def test_a_kept_document_reads_back() -> None:
    document = _document()
    again = document_from_canonical(document.canonical, summary=document.summary)
    assert again == document
    assert again.content == CONTENT


@pytest.mark.parametrize(
    "kept",
    [
        b'{"kind":"pension-application","version":1,"content":{}}',  # keys out of order
        b'{"content":{}, "kind":"pension-application","version":1}',  # whitespace
        b'{"content":{},"kind":"letter","version":1}',  # unknown kind
        b'{"content":{},"extra":1,"kind":"pension-application","version":1}',
        b'{"content":[],"kind":"pension-application","version":1}',
        b"\xff",
    ],
)
def test_kept_bytes_that_are_not_canonical_are_refused(kept: bytes) -> None:
    with pytest.raises(DocumentError):
        document_from_canonical(kept, summary="x")


def test_the_hash_is_read_from_hidden_data() -> None:
    document = _document()
    assert hash_from_non_visible_data(document.non_visible_data) == document.digest
    for bad in (document.digest, b"sha1=" + document.hash_hex.encode(), document.non_visible_data.upper()):
        with pytest.raises(DocumentError):
            hash_from_non_visible_data(bad)
