"""Requirement: the session's pension data is stored only encrypted, is read only for its own citizen, and an
entry that cannot be read as today's data (written before a new version was deployed) is fetched anew rather
than failing the page."""

from __future__ import annotations

import datetime as dt

from cryptography.fernet import Fernet
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache

from minasidor.pension_data.store import CACHE_PREFIX, SESSION_KEY, entry_delete, entry_read, entry_write
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
    cache.set(CACHE_PREFIX + stored["name"], Fernet(stored["key"].encode()).encrypt(earlier_version))
    assert entry_read(session, "pseudonym-of-lena") is None
