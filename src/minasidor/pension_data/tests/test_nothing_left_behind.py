"""Requirement: after logout (or the time limit) the portal keeps none of the citizen's pension data.

The test logs in, browses every Min pension page and downloads nothing, logs out, then searches every
table of the portal's database and every entry of the cache for the person's personal number and the
amounts it was shown. Allowed to remain: the access log and the consent records, which name the person
only by a pseudonym and hold no amounts.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.background.sessions import sessions_clear
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pension_data.store import CACHE_PREFIX
from minasidor.registers import registers
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

LENA = "198001139297"  # a Min Pension user: the register and Min Pension are both fetched
PAGES = (
    "/mina-sidor/",
    "/mina-sidor/pension/prognos/",
    "/mina-sidor/tjanste-och-privat-pension/",
    "/en/mina-sidor/",
)


def _portal_rows() -> Iterator[tuple[str, str]]:
    """(table, row as text) for every row of every portal model."""
    for model in apps.get_models():
        if model.__module__.startswith("backoffice."):
            continue
        for row in model._default_manager.using("default").values_list():
            yield model._meta.db_table, " ".join(str(value) for value in row)


def _cache_entries() -> Iterator[tuple[str, bytes]]:
    """(key, stored bytes) for every entry of the per-process cache the tests use."""
    store = getattr(cache, "_cache", {})
    for key, value in list(store.items()):
        yield key, value if isinstance(value, bytes) else pickle.dumps(value)


def _session_texts() -> Iterator[str]:
    """Every database session's data, decoded (the table holds it signed and encoded)."""
    decoder = SessionStore()
    for encoded in Session.objects.values_list("session_data", flat=True):
        yield json.dumps(decoder.decode(encoded), default=str)


def _needles(number: str) -> set[str]:
    """The personal number in its written forms and amounts of the person's statement."""
    personal_number = PersonalNumber(number)
    snapshot = registers().person_snapshot(citizen_principal(f"se:{number}"), personal_number)
    statement = snapshot.latest_statement
    assert statement is not None
    amounts = {statement.total_closing_value, *(a.closing_value for a in statement.accounts)}
    whole = {str(int(amount)) for amount in amounts} | {str(amount.quantize(Decimal("0.01"))) for amount in amounts}
    return {number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"} | whole


def _found(needles: set[str]) -> list[str]:
    hits = [f"{table}: {needle}" for table, text in _portal_rows() for needle in needles if needle in text]
    hits += [
        f"cache {key}: {needle}" for key, blob in _cache_entries() for needle in needles if needle.encode() in blob
    ]
    return hits


def test_logging_out_leaves_no_personal_number_and_no_amount_in_the_database_or_cache(
    client: Client, minpension: SimulatorThread
) -> None:
    cache.clear()
    log_in(client, make_identity(LENA, given_name="Lena", family_name="Berg"))
    for page in PAGES:
        assert client.get(page).status_code == 200
    assert (
        client.post(
            "/mina-sidor/pension/prognos/", {"withdrawal_age": "66", "withdrawal_share": "75", "work": "current"}
        ).status_code
        == 302
    )
    assert [key for key, _ in _cache_entries() if CACHE_PREFIX in key]  # the data was there while logged in
    needles = _needles(LENA)

    client.post("/logga-ut/")

    assert not [key for key, _ in _cache_entries() if CACHE_PREFIX in key]
    assert _found(needles) == []


def test_the_session_cache_holds_the_data_only_encrypted_while_logged_in(
    client: Client, minpension: SimulatorThread
) -> None:
    cache.clear()
    log_in(client, make_identity(LENA, given_name="Lena", family_name="Berg"))
    client.get("/mina-sidor/")
    entries = [blob for key, blob in _cache_entries() if CACHE_PREFIX in key]
    assert len(entries) == 1
    assert _found(_needles(LENA)) == []


def test_the_time_limit_also_deletes_the_data(
    client: Client, minpension: SimulatorThread, frozen_clock: clock.FrozenClock
) -> None:
    cache.clear()
    log_in(client, make_identity(LENA, given_name="Lena", family_name="Berg"))
    client.get("/mina-sidor/")
    assert [key for key, _ in _cache_entries() if CACHE_PREFIX in key]
    frozen_clock.advance(dt.timedelta(minutes=16))
    client.get("/mina-sidor/")
    assert not [key for key, _ in _cache_entries() if CACHE_PREFIX in key]


def test_an_abandoned_session_leaves_nothing_once_the_periodic_clearing_has_run(
    client: Client, minpension: SimulatorThread, frozen_clock: clock.FrozenClock
) -> None:
    """Issue 12.5: a session abandoned without logout kept the personal number and name for 8 hours."""
    cache.clear()
    log_in(client, make_identity(LENA, given_name="Lena", family_name="Berg"))
    for page in PAGES:
        assert client.get(page).status_code == 200
    needles = _needles(LENA)
    assert any(LENA in text for text in _session_texts()), "the session names the person (encoded)"
    # The citizen closes the browser: no logout, no further request. The clearing runs every five minutes.
    frozen_clock.advance(
        dt.timedelta(seconds=django_settings.SESSION_IDLE_SECONDS + django_settings.SESSION_LEFTOVER_SECONDS + 1)
    )
    cleared = sessions_clear()
    assert cleared.past_limit == 1
    assert _found(needles) == []
    assert not [text for text in _session_texts() if LENA in text or "Berg" in text]
