"""The session's one cache entry of pension data: encrypted, named and keyed only in the session.

The entry is kept in the cache (Redis in a deployment, the process's memory otherwise) under a random name
that lives only in the session (decision 0090). Its key is never stored: it is derived, when needed, from a
random salt kept in the session and the portal's secret key, so where the sessions and the cache share one
Redis, a copy of that Redis holds the ciphertext and the salt but not the key (issue 12.5, decision 0190).
It expires after the session's idle time without use; nothing of it is written to the portal's database.
"""

from __future__ import annotations

import base64
import pickle  # nosec B403 - only our own, encrypted and authenticated values are unpickled (decision 0090)
import secrets

import structlog
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from minasidor.pension_data.types import PensionData

SESSION_KEY = "pension_data"
CACHE_PREFIX = "pension_data:"

logger = structlog.get_logger(__name__)


def _idle_seconds() -> int:
    return int(settings.SESSION_IDLE_SECONDS)


def _cipher(salt: str) -> Fernet:
    """The entry's cipher: a key derived from the session's salt and the portal's secret key, never stored."""
    digest = salted_hmac("minasidor.pension_data.store", salt, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _handle(session: SessionBase, *, create: bool) -> tuple[str, Fernet] | None:
    """The cache name and the cipher of this session's entry, made when ``create`` and missing."""
    stored = session.get(SESSION_KEY)
    if stored is None or "salt" not in stored:  # none yet, or one of the release that kept the key itself
        if not create:
            return None
        stored = {"name": secrets.token_urlsafe(24), "salt": secrets.token_urlsafe(24)}
        session[SESSION_KEY] = stored
    return CACHE_PREFIX + stored["name"], _cipher(stored["salt"])


def entry_read(session: SessionBase, subject: str) -> PensionData | None:
    """The session's data if it is there, readable and about ``subject`` (the citizen's pseudonym).

    Reading it renews its time in the cache. An entry written by an earlier version of the code (whose
    classes have since moved or changed) counts as missing: the data is fetched anew.
    """
    handle = _handle(session, create=False)
    if handle is None:
        return None
    name, cipher = handle
    blob = cache.get(name)
    if blob is None:
        return None
    try:
        data = pickle.loads(cipher.decrypt(blob))  # noqa: S301  # nosec B301 - authenticated by the session's key
    except InvalidToken:
        logger.warning("pension_data.cache_entry_unreadable")
        return None
    except (pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        logger.warning("pension_data.cache_entry_of_another_version")
        return None
    if not isinstance(data, PensionData) or data.subject != subject:
        return None
    cache.touch(name, _idle_seconds())
    return data


def entry_write(session: SessionBase, data: PensionData) -> None:
    """Keep ``data`` as the session's entry (made, with its name and key, on the first write)."""
    handle = _handle(session, create=True)
    assert handle is not None  # noqa: S101 - created above
    name, cipher = handle
    cache.set(name, cipher.encrypt(pickle.dumps(data)), _idle_seconds())


def entry_delete(session: SessionBase) -> None:
    """Delete the session's entry from the cache, and its name and key from the session."""
    stored = session.get(SESSION_KEY)
    if stored is not None:
        cache.delete(CACHE_PREFIX + stored["name"])
        del session[SESSION_KEY]
