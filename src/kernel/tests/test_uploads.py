"""Requirement (issue 18.2): a file sent to the authority is a PDF, JPEG or PNG by its content, not its name,
of limited size, with a plain name whose extension matches; anything else is refused with a reason."""

from __future__ import annotations

import pytest

from kernel.tests.sample_files import EICAR, WINDOWS_PROGRAM, image_bytes, pdf_bytes
from kernel.uploads import JPEG, MAX_BYTES, PDF, PNG, Refusal, UploadRefusedError, upload_check


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("intyg.pdf", pdf_bytes(), PDF),
        ("Läkarintyg (mars) 2026.PDF", pdf_bytes(2), PDF),
        ("foto.jpg", image_bytes("JPEG"), JPEG),
        ("foto.jpeg", image_bytes("JPEG"), JPEG),
        ("skärmbild_1.png", image_bytes("PNG"), PNG),
    ],
)
def test_pdf_jpeg_and_png_pass_with_their_type_found_in_the_content(name: str, content: bytes, kind: str) -> None:
    checked = upload_check(name, content)
    assert checked.content_type == kind
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def _refusal(name: str, content: bytes) -> Refusal:
    with pytest.raises(UploadRefusedError) as refused:
        upload_check(name, content)
    return refused.value.refusal


def test_a_renamed_program_is_refused_by_its_content() -> None:
    assert _refusal("intyg.pdf", WINDOWS_PROGRAM) == Refusal.TYPE


def test_a_file_that_only_starts_like_a_pdf_is_refused_as_damaged() -> None:
    assert _refusal("intyg.pdf", b"%PDF-1.7\n" + WINDOWS_PROGRAM) == Refusal.DAMAGED
    assert _refusal("bild.png", image_bytes("PNG")[:40]) == Refusal.DAMAGED


def test_an_oversized_file_is_refused_before_it_is_parsed() -> None:
    assert _refusal("stor.pdf", b"%PDF-" + b"0" * MAX_BYTES) == Refusal.TOO_LARGE


def test_an_empty_file_is_refused() -> None:
    assert _refusal("tom.pdf", b"") == Refusal.EMPTY


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>.pdf",
        "intyg.pdf<img src=x onerror=alert(1)>",
        "javascript:alert(1).pdf",
        "../../etc/passwd.pdf",
        "C:\\temp\\intyg.pdf",
        ".hidden.pdf",
        "intyg\x00.pdf",
        "a" * 121 + ".pdf",
        "",
    ],
)
def test_a_name_with_markup_a_path_or_control_characters_is_refused(name: str) -> None:
    assert _refusal(name, pdf_bytes()) == Refusal.NAME


def test_the_extension_must_be_the_type_found() -> None:
    assert _refusal("intyg.png", pdf_bytes()) == Refusal.EXTENSION
    assert _refusal("intyg.exe", pdf_bytes()) == Refusal.EXTENSION


def test_the_eicar_string_is_not_a_type_of_its_own() -> None:
    assert _refusal("eicar.pdf", EICAR) == Refusal.TYPE
