"""The one-time code, its keyed hash, and the sealing of the subject key (decision 0126)."""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet
from django.utils.crypto import salted_hmac

from minasidor.temporary_access.types import CODE_DIGITS

_HASH_SALT = "minasidor.temporary_access.code"
_SEAL_SALT = "minasidor.temporary_access.seal"


def code_new() -> str:
    """A random code of CODE_DIGITS digits, easy to read out on the phone."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def code_normalise(entered: str) -> str:
    """What an agent typed, without spaces or dashes (people group digits when they read them out)."""
    return "".join(ch for ch in entered if ch not in " -\u00a0")


def code_hash(code: str) -> str:
    """The keyed hash the code is stored and found by; the code itself is never stored."""
    return salted_hmac(_HASH_SALT, code, algorithm="sha256").hexdigest()


def _cipher() -> Fernet:
    key = salted_hmac(_SEAL_SALT, "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(subject_key: str) -> str:
    return _cipher().encrypt(subject_key.encode()).decode()


def unseal(sealed: str) -> str:
    return _cipher().decrypt(sealed.encode()).decode()
