"""Keyed pseudonyms: how the access log names a person without storing their identifier.

A person is identified by a *subject key*: ``se:<12-digit personal or coordination number>`` for a
Swedish number, or ``eidas:<country>:<prid>`` for a foreign eID without one. The log stores
HMAC-SHA256(key, subject key), so the authority (holding the key) can find a person's records, while the
table alone reveals no one.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from minasidor.audit.types import Principal, PrincipalKind


def pseudonym_for(subject_key: str) -> str:
    """The access log's pseudonym for the person with ``subject_key``."""
    if not subject_key or ":" not in subject_key:
        raise ValueError("A subject key looks like 'se:<number>' or 'eidas:<country>:<id>'")
    key = settings.AUDIT_PSEUDONYM_KEY.encode()
    return hmac.new(key, subject_key.encode(), hashlib.sha256).hexdigest()


def citizen_principal(subject_key: str) -> Principal:
    """The principal for a citizen acting on their own data."""
    return Principal(kind=PrincipalKind.CITIZEN, ref=pseudonym_for(subject_key))
