"""The code itself: derived from the back office's secret, hashed with Argon2id, checked against the hash.

A code is eight digits, ``HMAC-SHA-256(key, personal number | issue)`` reduced to 10^8. Deriving it (as
banks derive PINs from a PIN-generation key) means the clear code is never stored anywhere: the database
keeps only its Argon2id hash, and the print file can be written again after a crash with the very same
codes, so a restarted run neither loses a code nor issues a second one (docs/decisions/0140).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings

CODE_DIGITS = 8
_MODULUS = 10**CODE_DIGITS


def _key() -> bytes:
    key = base64.b64decode(settings.PERSONAL_CODE_KEY)
    if len(key) < 32:
        raise ValueError("BACKOFFICE_PERSONAL_CODE_KEY must be at least 32 bytes")
    return key


def code_derive(personal_number: str, issue: str) -> str:
    """The clear code of ``issue`` for the person: eight digits, the same every time it is derived."""
    digest = hmac.new(_key(), f"{personal_number}|{issue}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % _MODULUS:0{CODE_DIGITS}d}"


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.PERSONAL_CODE_ARGON2_TIME_COST,
        memory_cost=settings.PERSONAL_CODE_ARGON2_MEMORY_KIB,
        parallelism=1,
        type=Type.ID,
    )


def code_hash(code: str) -> str:
    """The code's Argon2id hash (PHC string: parameters, a random salt and the hash)."""
    return _hasher().hash(code)


def code_matches(code_hash_: str, code: str) -> bool:
    """Whether ``code`` is the one ``code_hash_`` was made of (by the parameters stored in the hash)."""
    try:
        return _hasher().verify(code_hash_, code)
    except (VerificationError, InvalidHashError):
        return False


def well_formed(code: str) -> bool:
    """Eight ASCII digits."""
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


_DUMMY: list[str] = []


def code_compare_with_nothing(code: str) -> None:
    """Spend the time of one check when there is no code to check, so timing does not tell who has one."""
    if not _DUMMY:
        _DUMMY.append(code_hash("0" * CODE_DIGITS))
    code_matches(_DUMMY[0], code)
