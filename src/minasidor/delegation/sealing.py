"""The sealing of who a power of attorney is between: encrypted with a key derived from the portal's secret.

The table finds people by the access log's keyed pseudonyms; their numbers and names are kept only sealed,
read back for the pages of the two people themselves.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet
from django.utils.crypto import salted_hmac

_SEAL_SALT = "minasidor.delegation.seal"


def _cipher() -> Fernet:
    key = salted_hmac(_SEAL_SALT, "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: dict[str, Any]) -> str:
    return _cipher().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def unseal(sealed: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_cipher().decrypt(sealed.encode()))
    return value
