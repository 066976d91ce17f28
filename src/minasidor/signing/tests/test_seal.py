"""Requirement: a receipt PDF made by our WeasyPrint pipeline (tagged, PDF/UA-1) is sealed by the authority with a
PAdES baseline signature (B-B; B-T with a time-stamping authority) that pyHanko's validator finds intact,
trusted and covering the whole file; one changed byte, an appended update or another root makes the check fail;
the seal leaves the document's tagged structure as it was."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import anyio
import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_private_key_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from pytest_django.fixtures import Settings
from weasyprint import HTML

from minasidor.signing import configured
from minasidor.signing.development_seal import DevelopmentSealFiles, development_seal_files
from minasidor.signing.seal import (
    Sealer,
    SealError,
    certificate_load,
    pdf_seal,
    pdf_seal_async,
    pdf_seal_check,
    sealer_load,
    trust_roots_load,
)

RECEIPT_HTML = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Kvitto på din ansökan</title>
<style>body { font-family: "DejaVu Sans"; }</style></head>
<body><h1>Kvitto på din ansökan</h1>
<p>Vi tog emot din ansökan om allmän ålderspension den 28 november 2026.</p>
<table><caption>Det du ansökte om</caption>
<thead><tr><th scope="col">Del</th><th scope="col">Från</th><th scope="col">Uttag</th></tr></thead>
<tbody><tr><th scope="row">Inkomstpension</th><td>mars 2027</td><td>100 %</td></tr></tbody></table>
</body></html>"""


def _refuse(url: str, timeout: int = 10, ssl_context: object = None) -> object:
    raise ValueError(f"the receipt fetched {url}")


@pytest.fixture(scope="module")
def seal_files(tmp_path_factory: pytest.TempPathFactory) -> DevelopmentSealFiles:
    return development_seal_files(tmp_path_factory.mktemp("seal") / "test-seal", now=dt.datetime.now(dt.UTC))


@pytest.fixture(scope="module")
def sealer(seal_files: DevelopmentSealFiles) -> Sealer:
    return sealer_load(cert_file=seal_files.cert_file, key_file=seal_files.key_file, chain_files=[seal_files.root_file])


@pytest.fixture(scope="module")
def receipt() -> bytes:
    """A tagged receipt, rendered the way the PDF pipeline renders every document (decision 0080)."""
    return bytes(HTML(string=RECEIPT_HTML, url_fetcher=_refuse).write_pdf(pdf_variant="pdf/ua-1"))


@pytest.fixture(scope="module")
def sealed(receipt: bytes, sealer: Sealer) -> bytes:
    return pdf_seal(receipt, sealer=sealer, reason="Kvitto på ansökan", location="Sverige")


def _roots(seal_files: DevelopmentSealFiles) -> list[asn1_x509.Certificate]:
    return trust_roots_load([seal_files.root_file])


def test_a_sealed_receipt_validates(sealed: bytes, receipt: bytes, seal_files: DevelopmentSealFiles) -> None:
    check = pdf_seal_check(sealed, trust_roots=_roots(seal_files))
    assert (check.signer, check.level, check.signed_at) == ("Mina sidor TEST authority seal", "B-B", None)
    assert sealed.startswith(receipt), "the seal is an incremental update: the receipt's bytes are kept"


def test_the_signature_is_pades_baseline(sealed: bytes) -> None:
    embedded = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    signed_attrs = embedded.signer_info["signed_attrs"]
    names = {attr["type"].native for attr in signed_attrs}
    assert "signing_certificate_v2" in names  # ESS signing-certificate-v2, required by B-B
    assert "signing_time" not in names  # B-B puts the claimed time in the signature dictionary's /M
    assert "/M" in embedded.sig_object
    assert embedded.signer_info["digest_algorithm"]["algorithm"].native == "sha256"
    assert isinstance(embedded.signed_data, cms.SignedData)


def test_one_changed_byte_breaks_the_seal(sealed: bytes, receipt: bytes, seal_files: DevelopmentSealFiles) -> None:
    lang = sealed.index(b"/Lang")
    changed = bytearray(sealed)
    changed[lang + 1] = ord("l")  # "/Lang" becomes "/lang": still a readable PDF
    with pytest.raises(SealError, match="changed after sealing"):
        pdf_seal_check(bytes(changed), trust_roots=_roots(seal_files))
    middle = bytearray(sealed)
    middle[len(receipt) // 2] ^= 0x01
    with pytest.raises(SealError):
        pdf_seal_check(bytes(middle), trust_roots=_roots(seal_files))


def test_an_update_after_the_seal_is_refused(sealed: bytes, seal_files: DevelopmentSealFiles) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()  # type: ignore[no-untyped-call]  # pyHanko's writer is partly untyped
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    with pytest.raises(SealError, match="whole file"):
        pdf_seal_check(out.getvalue(), trust_roots=_roots(seal_files))


def test_another_root_is_not_trusted(sealed: bytes, tmp_path: Path) -> None:
    other = development_seal_files(tmp_path / "test-seal", now=dt.datetime.now(dt.UTC))
    with pytest.raises(SealError, match="trusted root"):
        pdf_seal_check(sealed, trust_roots=trust_roots_load([other.root_file]))


def test_an_unsealed_pdf_is_refused(receipt: bytes, seal_files: DevelopmentSealFiles) -> None:
    with pytest.raises(SealError, match="0 signatures"):
        pdf_seal_check(receipt, trust_roots=_roots(seal_files))
    with pytest.raises(SealError, match="cannot be read"):
        pdf_seal_check(b"not a pdf", trust_roots=_roots(seal_files))


def _catalog(reader: PdfReader) -> DictionaryObject:
    catalog = reader.trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject)
    return catalog


def test_the_seal_keeps_the_tagged_structure(sealed: bytes, receipt: bytes) -> None:
    before, after = PdfReader(io.BytesIO(receipt)), PdfReader(io.BytesIO(sealed))
    for reader in (before, after):
        root = _catalog(reader)
        mark_info = root["/MarkInfo"].get_object()
        assert isinstance(mark_info, DictionaryObject)
        assert bool(mark_info["/Marked"])
        assert str(root["/Lang"]) == "sv"
        assert "/StructTreeRoot" in root
        assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()  # type: ignore[union-attr]
    tree = _catalog(after).raw_get("/StructTreeRoot")
    assert tree.idnum == _catalog(before).raw_get("/StructTreeRoot").idnum
    assert f"\n{tree.idnum} 0 obj".encode() not in sealed[len(receipt) :], "the seal rewrote the structure tree"
    assert before.pages[0].extract_text() == after.pages[0].extract_text()
    widgets = [a.get_object() for a in after.pages[0].get("/Annots", []) if a.get_object()["/Subtype"] == "/Widget"]
    assert len(widgets) == 1
    assert widgets[0]["/F"] & 2, "the seal's widget is hidden, so PDF/UA asks no tag for it"


def test_a_time_stamped_seal_is_b_t(receipt: bytes, sealer: Sealer, seal_files: DevelopmentSealFiles) -> None:
    tsa = DummyTimeStamper(
        tsa_cert=certificate_load(seal_files.tsa_cert_file),
        tsa_key=load_private_key_from_pemder(str(seal_files.tsa_key_file), None),
    )
    stamped = pdf_seal(
        receipt, sealer=Sealer(signer=sealer.signer, timestamper=tsa), reason="Kvitto", location="Sverige"
    )
    check = pdf_seal_check(stamped, trust_roots=_roots(seal_files))
    assert check.level == "B-T"
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


@pytest.mark.anyio
async def test_sealing_from_async_code(receipt: bytes, sealer: Sealer, seal_files: DevelopmentSealFiles) -> None:
    sealed = await pdf_seal_async(receipt, sealer=sealer, reason="Kvitto", location="Sverige")
    check = await anyio.to_thread.run_sync(lambda: pdf_seal_check(sealed, trust_roots=_roots(seal_files)))
    assert check.level == "B-B"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_configured_sealer_follows_the_settings(
    settings: Settings, seal_files: DevelopmentSealFiles, receipt: bytes
) -> None:
    settings.SEAL_CERT_FILE = str(seal_files.cert_file)
    settings.SEAL_KEY_FILE = str(seal_files.key_file)
    settings.SEAL_CHAIN_FILE = str(seal_files.root_file)
    settings.SEAL_ROOT_FILE = str(seal_files.root_file)
    settings.SEAL_TSA_URL = ""
    configured.reset()
    try:
        sealed = pdf_seal(receipt, sealer=configured.configured_sealer(), reason="Kvitto", location="Sverige")
        assert pdf_seal_check(sealed, trust_roots=configured.configured_trust_roots()).level == "B-B"
    finally:
        configured.reset()


def test_the_development_seal_folder_must_be_named_test_seal(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="test-seal"):
        development_seal_files(tmp_path / "seal", now=dt.datetime.now(dt.UTC))
