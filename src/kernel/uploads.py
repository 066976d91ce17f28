"""What a file sent to the authority may be: PDF, JPEG or PNG, known by its content, not by its name.

:func:`upload_check` looks at the bytes: the format's magic number first, then the file parsed by a library
that knows the format (pypdf for PDF, Pillow for the images), so a renamed program or a file that only
starts like a PDF is refused. The name must be plain (letters, digits, spaces and ``. _ - ( ) , +``, no
path, no markup, at most 120 characters) and end in an extension of the type found. Each refusal has a
code (:class:`Refusal`) the pages turn into a sentence. Django-free: the portal checks a file before sending
it, and the back office checks it again before keeping it (it trusts no caller).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import io
import re
import unicodedata

MAX_BYTES = 5 * 1024 * 1024
MAX_NAME = 120
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_NAME = re.compile(r"^[\w .,()+\-]+$")
MAX_IMAGE_PIXELS = 50_000_000  # a decompression bomb is refused as not an image


class Refusal(enum.StrEnum):
    """Why a file is refused."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NAME = "name"
    TYPE = "type"
    EXTENSION = "extension"
    DAMAGED = "damaged"
    INFECTED = "infected"
    UNSCANNED = "unscanned"


class UploadRefusedError(ValueError):
    """The file may not be sent; ``refusal`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


@dataclasses.dataclass(frozen=True, slots=True)
class CheckedUpload:
    """A file that passed: its name, the content type found in it, size and SHA-256 (hex)."""

    filename: str
    content_type: str
    size: int
    sha256: str


def filename_check(filename: str) -> str:
    """The name, normalised (NFC, outer spaces removed), or :class:`UploadRefusedError` (``NAME``)."""
    name = unicodedata.normalize("NFC", filename).strip()
    if not name or len(name) > MAX_NAME or not _NAME.fullmatch(name) or name.startswith(".") or ".." in name:
        raise UploadRefusedError(Refusal.NAME)
    return name


def content_type_of(content: bytes) -> str:
    """The type the bytes are (one of PDF, JPEG, PNG), or :class:`UploadRefusedError` (``TYPE``/``DAMAGED``)."""
    found = next((kind for magic, kind in _MAGIC if content.startswith(magic)), None)
    if found is None:
        raise UploadRefusedError(Refusal.TYPE)
    if found == PDF:
        _pdf_parse(content)
    else:
        _image_parse(content, "JPEG" if found == JPEG else "PNG")
    return found


def _pdf_parse(content: bytes) -> None:
    from pypdf import PdfReader  # noqa: PLC0415 - loaded only where files are checked
    from pypdf.errors import PyPdfError  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if len(reader.pages) < 1:
            raise UploadRefusedError(Refusal.DAMAGED)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise UploadRefusedError(Refusal.DAMAGED) from None


def _image_parse(content: bytes, expected: str) -> None:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    try:
        with Image.open(io.BytesIO(content), formats=[expected]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UploadRefusedError(Refusal.DAMAGED)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRefusedError(Refusal.DAMAGED) from None


def upload_check(filename: str, content: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedUpload:
    """Check a file to be sent (size, name, type by content, extension of that type); raises
    :class:`UploadRefusedError` with the first reason found."""
    if not content:
        raise UploadRefusedError(Refusal.EMPTY)
    if len(content) > max_bytes:
        raise UploadRefusedError(Refusal.TOO_LARGE)
    name = filename_check(filename)
    content_type = content_type_of(content)
    if not name.lower().endswith(EXTENSIONS[content_type]):
        raise UploadRefusedError(Refusal.EXTENSION)
    return CheckedUpload(name, content_type, len(content), hashlib.sha256(content).hexdigest())
