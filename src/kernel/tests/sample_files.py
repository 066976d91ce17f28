"""Small files of each accepted type, made here (tests only), and the EICAR test string."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter

# The EICAR anti-malware test file (not malware: every scanner flags it by agreement).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# The first bytes of a Windows program ("MZ" header), as a renamed .exe starts.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 40)).save(out, format=kind)
    return out.getvalue()
