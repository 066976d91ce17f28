"""Reading the text of a QR code from an uploaded picture (needs the dev extras zxing-cpp and Pillow)."""

from __future__ import annotations

import io

from simulators.bankid.errors import AppError

MAX_IMAGE_BYTES = 5_000_000


def read_qr_text(image: bytes) -> str:
    """The text of the first QR code in a PNG/JPEG/GIF picture, or an ``invalidQr`` refusal."""
    if len(image) > MAX_IMAGE_BYTES:
        raise AppError(status=400, code="invalidQr", message="The picture is larger than 5 MB.")
    try:
        import zxingcpp  # noqa: PLC0415 - optional: only the dev extras install it
        from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - same
    except ImportError:
        raise AppError(
            status=400, code="noQrReader", message="Reading QR pictures needs zxing-cpp and Pillow installed."
        ) from None
    try:
        with Image.open(io.BytesIO(image)) as picture:
            results = zxingcpp.read_barcodes(picture.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError):
        raise AppError(status=400, code="invalidQr", message="The file is not a picture.") from None
    texts = [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode]
    if not texts:
        raise AppError(status=400, code="invalidQr", message="No QR code was found in the picture.")
    return texts[0]
