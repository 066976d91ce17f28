"""Signed, short-lived service tokens between internal services (docs/decisions/0035).

Shared by the caller (the portal's ``registers``) and the callee (the back office's internal API), which
agree on this format and nothing else.

A token is ``base64url(claims JSON) "." base64url(Ed25519 signature)``. The caller signs with its private
key; the back office holds only public keys (``BACKOFFICE_API_TRUSTED_KEYS``), so it cannot mint tokens.
Claims: ``iss`` (calling service), ``aud`` ("backoffice"), ``iat``/``exp`` (at most 60 s apart), ``jti``,
the request they are good for (``htm`` method, ``htu`` path, ``sbj`` SHA-256 of the subject's personal
number) and ``act``, the principal the call is made for (kind and reference).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

AUDIENCE = "backoffice"
LIFETIME_SECONDS = 60
CLOCK_SKEW_SECONDS = 5


class TokenError(ValueError):
    """The token is missing, malformed, badly signed, expired or made for another request."""


@dataclasses.dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified token says: who calls, for whom, and for which request."""

    service: str
    principal_kind: str
    principal_ref: str
    method: str
    path: str
    subject_digest: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subject_digest(personal_number: str) -> str:
    """How a token names the subject without carrying the personal number."""
    return hashlib.sha256(personal_number.encode()).hexdigest()


def private_key(seed_base64: str) -> Ed25519PrivateKey:
    """The private key from its base64 32-byte seed."""
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed_base64))


def public_key(raw_base64: str) -> Ed25519PublicKey:
    """A public key from its base64 raw 32 bytes."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(raw_base64))


def token_sign(
    key: Ed25519PrivateKey,
    *,
    service: str,
    principal_kind: str,
    principal_ref: str,
    method: str,
    path: str,
    personal_number: str,
    now: float,
) -> str:
    """A token for one request, valid for 60 seconds from ``now`` (seconds since the epoch)."""
    claims = {
        "iss": service,
        "aud": AUDIENCE,
        "iat": int(now),
        "exp": int(now) + LIFETIME_SECONDS,
        "jti": secrets.token_hex(12),
        "htm": method.upper(),
        "htu": path,
        "sbj": subject_digest(personal_number),
        "act": {"kind": principal_kind, "ref": principal_ref},
    }
    payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_b64(key.sign(payload.encode()))}"


def token_verify(token: str, keys: list[Ed25519PublicKey], *, method: str, path: str, now: float) -> TokenClaims:
    """The claims of a valid token for this request; raises :class:`TokenError` otherwise."""
    try:
        payload, signature = token.split(".")
        raw_signature = _unb64(signature)
    except (ValueError, binascii.Error):
        raise TokenError("malformed token") from None
    if not any(_verifies(key, raw_signature, payload.encode()) for key in keys):
        raise TokenError("bad signature")
    try:
        claims: dict[str, Any] = json.loads(_unb64(payload))
        act = claims["act"]
        issued, expires = int(claims["iat"]), int(claims["exp"])
        result = TokenClaims(
            service=str(claims["iss"]),
            principal_kind=str(act["kind"]),
            principal_ref=str(act["ref"]),
            method=str(claims["htm"]),
            path=str(claims["htu"]),
            subject_digest=str(claims["sbj"]),
        )
        audience = claims["aud"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise TokenError("malformed claims") from None
    if audience != AUDIENCE:
        raise TokenError("token for another audience")
    if not issued - CLOCK_SKEW_SECONDS <= now < expires or expires - issued > LIFETIME_SECONDS:
        raise TokenError("token expired or not yet valid")
    if result.method != method.upper() or result.path != path:
        raise TokenError("token made for another request")
    return result


def _verifies(key: Ed25519PublicKey, signature: bytes, payload: bytes) -> bool:
    try:
        key.verify(signature, payload)
    except InvalidSignature:
        return False
    return True
