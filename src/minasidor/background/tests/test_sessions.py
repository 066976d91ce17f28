"""Requirement: sessions leave nothing behind (issue 12.5) — the periodic job deletes expired sessions, logged-in
sessions past their time limit (recording the automatic logout) and forms kept across a timeout, after a grace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from kernel.clock import FrozenClock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.background.sessions import sessions_clear
from minasidor.background.tasks import sessions_clear as sessions_clear_task
from minasidor.identity.tests.factories import log_in, make_identity

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

GRACE = dt.timedelta(seconds=30 * 60)


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _exists(key: str) -> bool:
    return Session.objects.filter(session_key=key).exists()


def _written_ago(key: str, ago: dt.timedelta) -> None:
    """Make the row look last written ``ago`` (its expiry is its last write plus SESSION_COOKIE_AGE)."""
    expire = timezone.now() - ago + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(session_key=key).update(expire_date=expire)


def test_expired_sessions_are_deleted() -> None:
    client = Client()
    log_in(client, make_identity())
    key = _session_key(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    cleared = sessions_clear()
    assert cleared.expired == 1
    assert not _exists(key)


def test_a_session_abandoned_past_its_limit_is_deleted_after_the_grace_and_the_logout_recorded(
    frozen_clock: FrozenClock,
) -> None:
    identity = make_identity()
    abandoned, active = Client(), Client()
    log_in(abandoned, identity)
    frozen_clock.advance(dt.timedelta(minutes=10))
    log_in(active, make_identity("199001019802", given_name="ANNA", family_name="TEST"))
    # The first ended (idle) 15 minutes after login; the second 10 minutes later.
    frozen_clock.advance(dt.timedelta(minutes=5) + GRACE - dt.timedelta(seconds=1))
    assert sessions_clear().past_limit == 0, "within the grace a form sent late can still be kept"
    frozen_clock.advance(dt.timedelta(seconds=1))
    cleared = sessions_clear()
    assert cleared.past_limit == 1
    assert not _exists(_session_key(abandoned))
    assert _exists(_session_key(active))
    logouts = AccessRecord.objects.filter(action="login.timed_out", subject_ref=pseudonym_for(identity.subject_key))
    assert logouts.count() == 1
    # The session is gone: the stolen cookie names nothing.
    assert "identity" not in abandoned.session


def test_the_absolute_limit_ends_an_active_session(frozen_clock: FrozenClock) -> None:
    client = Client()
    log_in(client, make_identity())
    for _ in range(34):  # active every 14 minutes, for 7 hours 56 minutes
        frozen_clock.advance(dt.timedelta(minutes=14))
        session = client.session
        session["session_active"] = frozen_clock().timestamp()
        session.save()
    # The 8 hours end 4 minutes later, before the idle limit would.
    frozen_clock.advance(dt.timedelta(minutes=4) + GRACE - dt.timedelta(minutes=1))
    assert sessions_clear().past_limit == 0
    frozen_clock.advance(dt.timedelta(minutes=1))
    assert sessions_clear().past_limit == 1
    assert not _exists(_session_key(client))


def test_a_kept_form_is_deleted_after_the_grace(client: Client, frozen_clock: FrozenClock) -> None:
    log_in(client, make_identity())
    frozen_clock.advance(dt.timedelta(minutes=20))
    client.post("/sessionen/forlang/", {"message": "Min inkomst 41 000 kr", "csrfmiddlewaretoken": "x"})
    key = _session_key(client)
    assert "kept_form" in Session.objects.get(session_key=key).get_decoded()
    _written_ago(key, GRACE - dt.timedelta(seconds=5))
    assert sessions_clear().kept_forms == 0
    assert _exists(key)
    _written_ago(key, GRACE + dt.timedelta(seconds=1))
    assert sessions_clear().kept_forms == 1
    assert not _exists(key)


def test_an_anonymous_session_without_a_kept_form_waits_for_its_expiry() -> None:
    anonymous = SessionStore()
    anonymous["session_ended"] = "idle"
    anonymous.save()
    key = str(anonymous.session_key)
    _written_ago(key, dt.timedelta(hours=2))
    assert sessions_clear() == type(sessions_clear())(expired=0, past_limit=0, kept_forms=0)
    assert _exists(key)


def test_the_task_runs_clearsessions_for_a_store_that_is_not_the_database(settings: Settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    assert sessions_clear_task.call() == {"expired": None, "past_limit": None, "kept_forms": None}
