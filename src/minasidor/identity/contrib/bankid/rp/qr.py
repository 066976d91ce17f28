"""Animated QR data: ``bankid.<qrStartToken>.<seconds>.<hmac>``, refreshed every second.

``seconds`` is the whole number of seconds (floored) since the auth/sign response was received;
the HMAC is HMAC-SHA256 keyed with ``qrStartSecret`` over the decimal seconds, as lowercase hex.
Generate it on the server only: the secret must never reach the browser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math


def qr_data(*, qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """The QR content for ``seconds`` whole seconds after the order was started."""
    if seconds < 0:
        raise ValueError("seconds cannot be negative")
    digest = hmac.new(qr_start_secret.encode("ascii"), str(seconds).encode("ascii"), hashlib.sha256)
    return f"bankid.{qr_start_token}.{seconds}.{digest.hexdigest()}"


def qr_seconds(*, started_at: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds between the order's start and now (floored, never negative)."""
    return max(0, math.floor((now - started_at).total_seconds()))


def qr_data_at(*, qr_start_token: str, qr_start_secret: str, started_at: dt.datetime, now: dt.datetime) -> str:
    """The QR content to show at ``now`` for an order whose start response arrived at ``started_at``."""
    return qr_data(
        qr_start_token=qr_start_token,
        qr_start_secret=qr_start_secret,
        seconds=qr_seconds(started_at=started_at, now=now),
    )
