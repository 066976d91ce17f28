"""Requirement: ASVS 4.0.3 V3 — sessions get a new id at login, end on logout and at their time limits, and
a stolen cookie replayed afterwards gets nothing; cookies are __Host-, Secure, HttpOnly and SameSite in production."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from kernel.clock import FrozenClock
from minasidor.identity.session import identity_login
from minasidor.identity.tests.factories import log_in, make_identity
from tests.security.production import production_settings

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])  # the landing page reads the register

HOME = "/mina-sidor/"
ENDED = "/sessionen-har-upphort/"


def _replay(stolen: str) -> Client:
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = stolen
    return attacker


def test_asvs_3_2_1_session_fixation_a_planted_session_id_is_replaced_at_login() -> None:
    planted = SessionStore()
    planted["planted_by"] = "attacker"
    planted.save()
    planted_key = planted.session_key
    assert planted_key is not None
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = planted_key
    SessionMiddleware(lambda _: HttpResponse()).process_request(request)
    assert request.session.session_key == planted_key
    identity_login(request, make_identity())
    request.session.save()
    assert request.session.session_key != planted_key
    assert not SessionStore().exists(planted_key), "the planted id must no longer name any session"
    assert _replay(planted_key).get(HOME)["Location"] == "/logga-in/"


def test_asvs_3_2_1_login_also_gives_a_new_csrf_token() -> None:
    request = RequestFactory().get("/")
    SessionMiddleware(lambda _: HttpResponse()).process_request(request)
    request.META["CSRF_COOKIE"] = "a" * 32
    identity_login(request, make_identity())
    assert request.META["CSRF_COOKIE"] != "a" * 32


def test_asvs_3_3_1_replay_after_logout_gets_nothing(citizen_client: Client) -> None:
    stolen = citizen_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert citizen_client.get(HOME).status_code == 200
    citizen_client.post("/logga-ut/")
    response = _replay(stolen).get(HOME)
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    assert _replay(stolen).get("/sessionen/").json()["active"] is False


def test_asvs_3_3_1_replay_after_expiry_gets_nothing(client: Client, frozen_clock: FrozenClock) -> None:
    log_in(client, make_identity())
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    frozen_clock.advance(dt.timedelta(minutes=16))
    assert client.get(HOME)["Location"] == ENDED
    frozen_clock.advance(dt.timedelta(minutes=-16))  # even if the clock were turned back
    assert _replay(stolen).get(HOME)["Location"] == "/logga-in/"


def test_asvs_3_3_2_idle_timeout_ends_the_session_after_15_minutes(client: Client, frozen_clock: FrozenClock) -> None:
    log_in(client, make_identity())
    frozen_clock.advance(dt.timedelta(minutes=14, seconds=50))
    assert client.get(HOME).status_code == 200, "activity before the limit keeps the session"
    frozen_clock.advance(dt.timedelta(minutes=14, seconds=50))
    assert client.get(HOME).status_code == 200, "the idle limit counts from the last activity"
    frozen_clock.advance(dt.timedelta(minutes=15, seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == ENDED
    page = client.get(ENDED)
    assert "inte gjort något på 15 minuter" in page.content.decode()


def test_asvs_3_3_2_absolute_timeout_ends_an_active_session_after_8_hours(
    client: Client, frozen_clock: FrozenClock
) -> None:
    log_in(client, make_identity())
    for _ in range(47):  # active every ten minutes for 7 h 50 min
        frozen_clock.advance(dt.timedelta(minutes=10))
        assert client.get(HOME).status_code == 200
    frozen_clock.advance(dt.timedelta(minutes=10, seconds=1))
    assert client.get(HOME)["Location"] == ENDED
    assert "inloggad i 8 timmar" in client.get(ENDED).content.decode()


def test_asvs_3_3_2_asking_for_the_time_left_is_not_activity(client: Client, frozen_clock: FrozenClock) -> None:
    log_in(client, make_identity())
    for _ in range(3):
        frozen_clock.advance(dt.timedelta(minutes=4))
        status = client.get("/sessionen/").json()
        assert status["active"] is True
    assert status["remaining"] == 3 * 60, "three polls in twelve minutes did not restart the idle limit"
    frozen_clock.advance(dt.timedelta(minutes=3))
    assert client.get("/sessionen/").json() == {"active": False, "remaining": 0, "ending": None, "warn": 120}


def test_asvs_3_3_2_extending_restarts_the_idle_limit(client: Client, frozen_clock: FrozenClock) -> None:
    log_in(client, make_identity())
    frozen_clock.advance(dt.timedelta(minutes=14))
    extended = client.post("/sessionen/forlang/", HTTP_ACCEPT="application/json").json()
    assert extended["active"] is True
    assert extended["remaining"] == 15 * 60
    frozen_clock.advance(dt.timedelta(minutes=14))
    assert client.get(HOME).status_code == 200


def test_asvs_3_3_1_a_form_sent_after_expiry_is_kept_for_the_same_person_only(
    client: Client, frozen_clock: FrozenClock
) -> None:
    log_in(client, make_identity())
    frozen_clock.advance(dt.timedelta(minutes=20))
    response = client.post("/sessionen/forlang/", {"message": "Hej", "csrfmiddlewaretoken": "x"})
    assert response["Location"] == ENDED
    assert "Det du hade fyllt i har sparats" in client.get(ENDED).content.decode()
    kept = client.session["kept_form"]
    assert kept["path"] == "/sessionen/forlang/"
    assert kept["data"] == {"message": ["Hej"]}, "the CSRF token of the old session is not kept"
    # Someone else logging in on the same browser does not get it.
    other = make_identity("199001019802", given_name="ANNA", family_name="TEST")
    request = RequestFactory().get("/")
    request.session = client.session
    identity_login(request, other)
    assert "kept_form" not in request.session


def test_asvs_3_4_cookie_flags_in_the_production_profile() -> None:
    values = production_settings()
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["LANGUAGE_COOKIE_NAME"].startswith("__Host-")
    assert values["DEVICE_COOKIE_NAME"].startswith("__Host-")
    with override_settings(**values):
        client = Client(HTTP_HOST="testserver")
        client.get("/logga-in/", secure=True)
        log_in(client, make_identity())
        client.post("/sessionen/forlang/", {"next": "/en/"}, secure=True)
        client.get("/en/", secure=True)
        client.post("/logga-in/", {"method": "foreign-eid"}, secure=True)
        cookies = SimpleCookie()
        for header in _set_cookie_headers(client):
            cookies.load(header)
    assert set(cookies) >= {values["SESSION_COOKIE_NAME"], values["CSRF_COOKIE_NAME"]}
    for name, morsel in cookies.items():
        assert name.startswith("__Host-"), name
        assert morsel["secure"] is True, f"{name} must be Secure"
        assert morsel["httponly"] is True, f"{name} must be HttpOnly"
        assert morsel["samesite"] in ("Lax", "Strict"), f"{name} must be SameSite"
        assert morsel["path"] == "/", f"{name}: __Host- cookies need Path=/"
        assert not morsel["domain"], f"{name}: __Host- cookies have no Domain"


def _set_cookie_headers(client: Client) -> list[str]:
    return [morsel.OutputString() for morsel in client.cookies.values() if morsel.value]


def test_asvs_3_2_3_sessions_in_redis_when_configured_end_on_logout(settings: object) -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    redis_cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"},
        "security": {"BACKEND": "minasidor.security.store.DatabaseStore"},
    }
    with override_settings(CACHES=redis_cache, SESSION_ENGINE="django.contrib.sessions.backends.cache"):
        client = Client()
        log_in(client, make_identity())
        stolen = client.cookies[settings.SESSION_COOKIE_NAME].value  # type: ignore[attr-defined]
        assert cache.get(f"django.contrib.sessions.cache{stolen}") is not None
        assert client.get(HOME).status_code == 200
        client.post("/logga-ut/")
        assert cache.get(f"django.contrib.sessions.cache{stolen}") is None, "logout purges the session from Redis"
        assert _replay(stolen).get(HOME)["Location"] == "/logga-in/"


def test_asvs_3_2_3_redis_url_switches_sessions_and_cache_to_redis() -> None:
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    )
    env = {
        **os.environ,
        "MINASIDOR_REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "minasidor.conf.settings",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=settings.PROJECT_ROOT
    )
    last = result.stdout.strip().splitlines()[-1]
    # Django's Redis cache with one pool per process and thread-free async methods (decision 0071); Django's
    # cache sessions, except that an unreachable Redis is an error, not an empty session (decision 0176).
    assert last == "minasidor.core.sessions minasidor.core.cache.RedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db", "database sessions by default"


def test_issue_12_5_an_abandoned_session_in_redis_is_gone_soon_after_its_idle_limit() -> None:
    """A session abandoned without logout kept the personal number in Redis for 8 hours after its last write."""
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        server.ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "abandoned",
        },
        "security": {"BACKEND": "minasidor.security.store.DatabaseStore"},
    }
    with override_settings(CACHES=redis_cache, SESSION_ENGINE="django.contrib.sessions.backends.cache"):
        client = Client()
        log_in(client, make_identity())
        assert client.get(HOME).status_code == 200
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        names = list(server.scan_iter(match=f"abandoned:*{key}"))
        assert len(names) == 1
        ttl = server.ttl(names[0])
        server.delete(*names)
    assert 0 < ttl <= settings.SESSION_IDLE_SECONDS + settings.SESSION_LEFTOVER_SECONDS
