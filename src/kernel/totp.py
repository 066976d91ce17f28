"""One-time passwords for staff's second factor: HOTP (RFC 4226) and TOTP (RFC 6238), in the standard library.

Written here rather than taken from a package: it is forty lines of HMAC, and the RFCs' own test vectors
check it (``kernel/tests/test_totp.py``). Authenticator apps use SHA-1, 6 digits and 30-second steps.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import struct
import urllib.parse

DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def hotp(key: bytes, counter: int, *, digits: int = 6, digest: str = "sha1") -> str:
    """The HOTP value of ``counter`` (RFC 4226 §5.3: HMAC, dynamic truncation, modulo 10^digits)."""
    mac = hmac.new(key, struct.pack(">Q", counter), DIGESTS[digest]).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def time_step(at: dt.datetime, *, step: int = 30, t0: int = 0) -> int:
    """The TOTP time step ``T = floor((unix time - T0) / X)`` of instant ``at`` (RFC 6238 §4.2)."""
    return (int(at.timestamp()) - t0) // step


def totp(key: bytes, at: dt.datetime, *, step: int = 30, digits: int = 6, digest: str = "sha1") -> str:
    """The TOTP value at instant ``at`` (RFC 6238)."""
    return hotp(key, time_step(at, step=step), digits=digits, digest=digest)


def verify(key: bytes, code: str, at: dt.datetime, *, after_step: int | None = None, window: int = 1) -> int | None:
    """The time step ``code`` is valid for, within ``window`` steps of ``at`` (clock drift), or None.

    A step at or before ``after_step`` (the last one accepted) is refused, so a code works once (RFC 6238 §5.2).
    """
    if not (code.isdigit() and len(code) == 6):
        return None
    current = time_step(at)
    for candidate in range(current - window, current + window + 1):
        if after_step is not None and candidate <= after_step:
            continue
        if hmac.compare_digest(hotp(key, candidate), code):
            return candidate
    return None


def new_secret() -> str:
    """A new random key of 160 bits (RFC 4226 §4 recommends it), in the base32 apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def key_from(secret: str) -> bytes:
    """The key bytes of a base32 secret."""
    return base64.b32decode(secret.upper())


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (usually from a QR code)."""
    label = urllib.parse.quote(f"{issuer}:{account}")
    query = urllib.parse.urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"
