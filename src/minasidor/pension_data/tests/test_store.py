"""Requirement: the session's pension data is stored only encrypted, is read only for its own citizen, and an
entry that cannot be read as today's data (written before a new version was deployed) is fetched anew rather
than failing the page."""

from __future__ import annotations

import datetime as dt

from cryptography.fernet import Fernet, InvalidToken
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.test import override_settings

from minasidor.pension_data.store import CACHE_PREFIX, SESSION_KEY, _cipher, entry_delete, entry_read, entry_write
from minasidor.pension_data.types import PensionData
from minasidor.registers.tests.factories import make_snapshot

LENA = "198001139297"


def _data(subject: str = "pseudonym-of-lena") -> PensionData:
    return PensionData(
        subject=subject, fetched_at=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), snapshot=make_snapshot(LENA)
    )


def test_the_entry_is_encrypted_and_read_back_for_its_own_citizen_only() -> None:
    session = SessionStore()
    entry_write(session, _data())
    name = CACHE_PREFIX + session[SESSION_KEY]["name"]
    assert LENA.encode() not in cache.get(name)
    assert entry_read(session, "pseudonym-of-lena") == _data()
    assert entry_read(session, "pseudonym-of-someone-else") is None
    entry_delete(session)
    assert cache.get(name) is None
    assert SESSION_KEY not in session


def test_an_entry_of_classes_that_no_longer_exist_counts_as_missing() -> None:
    session = SessionStore()
    entry_write(session, _data())
    stored = session[SESSION_KEY]
    earlier_version = b"cminasidor.mypension.session_data\nPensionData\n)\x81."  # a class of an earlier layout
    cache.set(CACHE_PREFIX + stored["name"], _cipher(stored["salt"]).encrypt(earlier_version))
    assert entry_read(session, "pseudonym-of-lena") is None


def test_the_session_and_the_cache_together_do_not_hold_the_key() -> None:
    """Issue 12.5: with sessions and the cache in one Redis, a copy of it held the key beside the ciphertext."""
    session = SessionStore()
    entry_write(session, _data())
    session.save()
    blob = cache.get(CACHE_PREFIX + session[SESSION_KEY]["name"])
    everything_stored = [*session.load().values(), *session[SESSION_KEY].values()]
    for value in everything_stored:
        candidates = [value.encode()] if isinstance(value, str) else []
        for candidate in candidates:
            try:
                Fernet(candidate).decrypt(blob)
            except (ValueError, InvalidToken):
                continue
            raise AssertionError("a value kept in the session decrypts the pension data")
    assert entry_read(session, "pseudonym-of-lena") == _data()


def test_the_entry_cannot_be_read_without_the_portals_secret_key() -> None:
    session = SessionStore()
    entry_write(session, _data())
    with override_settings(SECRET_KEY="another site's secret key, test-only " + "x" * 20):
        assert entry_read(session, "pseudonym-of-lena") is None
    assert entry_read(session, "pseudonym-of-lena") == _data()


def test_an_entry_of_the_release_that_kept_the_key_in_the_session_is_fetched_anew() -> None:
    session = SessionStore()
    key = Fernet.generate_key()
    session[SESSION_KEY] = {"name": "earlier", "key": key.decode()}
    cache.set(CACHE_PREFIX + "earlier", Fernet(key).encrypt(b"anything"))
    assert entry_read(session, "pseudonym-of-lena") is None
    entry_delete(session)
    assert cache.get(CACHE_PREFIX + "earlier") is None
