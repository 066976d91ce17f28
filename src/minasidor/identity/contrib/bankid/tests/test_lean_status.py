"""Requirement (issue 21.2, decision 0205): the lean status poll answers a poll between collects as the full
way through Django answers it — the same status, headers and body, counted once by the rate limit and in the
metrics — and hands every other request to the full way: no session, an unknown or another's session,
the rate limit reached, a POST (CSRF and Origin), a refused host, a CSRF cookie to replace, a
logged-in session, Redis out of reach. A poll that collects (decision 0241) is answered lean while the order
stays pending — the same answer and the same session stored as by the full way, BankID asked once, no thread —
and an ending or error it finds is handed to the full way with the collect, which is not made again; the QR
picture is answered lean as the full way answers it.

Each case is asked of two handlers on the same Redis and the same session cookie: the portal's handler (lean
path on) and one whose lean path is off (the full way only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
import redis
from asgiref import sync
from django.conf import settings as django_settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.core.cache import caches
from prometheus_client import REGISTRY
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.core.handler import PortalASGIHandler
from minasidor.identity.contrib.bankid import lean
from minasidor.identity.contrib.bankid.flow import ORDER_KEY
from minasidor.identity.contrib.bankid.rp.client import BankIdClient
from minasidor.security import counters
from simulators.bankid.faults import Fault
from simulators.bankid.server import SimulatorThread

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_access_log"),  # PostgreSQL refuses to truncate the access log otherwise
]

STATUS = "/logga-in/bankid/status/"
QR = "/logga-in/bankid/qr.svg"
TOLVAN = "191212121212"
REDIS_URL = "redis://127.0.0.1:6379/15"
# Headers that differ between any two answers.
PER_ANSWER = {"x-request-id", "date"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def redis_sessions(settings: Settings) -> Iterator[str]:
    """The production set-up: sessions and limits in one Redis, through the portal's store and cache."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.SESSION_ENGINE = "minasidor.core.sessions"
    settings.CACHES = {
        "default": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
        "security": {
            "BACKEND": "minasidor.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}:security",
        },
    }
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"{prefix}:*"):
        connection.delete(key)


class Twins:
    """The portal's handler and one that goes the full way only, asked with the same cookies."""

    def __init__(self) -> None:
        self.lean = PortalASGIHandler()
        self.full = PortalASGIHandler()
        self.full.lean_path = lambda path: None  # type: ignore[method-assign]
        self.full_way_taken = 0
        original = self.lean.handle

        async def counting(scope: dict[str, Any], receive: Any, send: Any) -> None:
            self.full_way_taken += 1
            await original(scope, receive, send)

        self.lean.handle = counting  # type: ignore[method-assign]
        self.cookies = httpx.Cookies()

    def _client(self, handler: PortalASGIHandler) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=cast(Any, handler))
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", cookies=self.cookies)

    async def ask(self, *, lean: bool, method: str = "GET", path: str = STATUS, **kwargs: Any) -> httpx.Response:
        async with self._client(self.lean if lean else self.full) as client:
            response = await client.request(method, path, **kwargs)
            self.cookies = client.cookies
        return response

    async def start(self, method: str = "bankid-other-device") -> None:
        """Start a login as the page does (the login form, its CSRF token, the POST)."""
        async with self._client(self.full) as client:
            page = await client.get("/logga-in/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token is not None
            started = await client.post("/logga-in/", data={"method": method, "csrfmiddlewaretoken": token.group(1)})
            assert started.status_code == 302
            self.cookies = client.cookies

    async def lean_answer(self, **kwargs: Any) -> tuple[httpx.Response, bool]:
        """The lean handler's answer, and whether it went the full way."""
        before = self.full_way_taken
        response = await self.ask(lean=True, **kwargs)
        return response, self.full_way_taken > before


def same(lean_answer: httpx.Response, full_answer: httpx.Response) -> None:
    """The two answers are the same but for what differs between any two answers."""
    assert lean_answer.status_code == full_answer.status_code

    def kept(response: httpx.Response) -> list[tuple[str, str]]:
        return sorted((name, value) for name, value in response.headers.multi_items() if name not in PER_ANSWER)

    assert kept(lean_answer) == kept(full_answer)
    assert lean_answer.content == full_answer.content


@pytest.fixture
def twins(bankid: SimulatorThread, redis_sessions: str, frozen_clock: clock.FrozenClock) -> Twins:
    return Twins()


async def _at_rest(twins: Twins) -> None:
    """A login in flight whose first collect is done (the clock stands still: no further collect due), and
    the lean handler's first poll of it made (it learns the full way's headers from it)."""
    await twins.start()
    assert (await twins.ask(lean=False)).json()["state"] == "pending"
    await twins.lean_answer()


async def test_a_poll_between_collects_is_answered_lean_exactly_as_the_full_way_answers_it(twins: Twins) -> None:
    await _at_rest(twins)
    answer, full_way = await twins.lean_answer()
    assert not full_way
    assert answer.status_code == 200
    assert answer.json() == {
        "state": "pending",
        "message": answer.json()["message"],
        "qr": True,
        "restarts": 0,
        "next": None,
    }
    for header in (
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "permissions-policy",
        "x-request-id",
    ):
        assert header in answer.headers, header
    assert answer.headers["cache-control"] == "no-store"
    same(answer, await twins.ask(lean=False))


async def test_the_english_poll_is_answered_lean_in_english(twins: Twins) -> None:
    await _at_rest(twins)
    await twins.lean_answer(path=f"/en{STATUS}")  # learns the English path's headers
    answer, full_way = await twins.lean_answer(path=f"/en{STATUS}")
    assert not full_way
    assert answer.headers["content-language"] == "en"
    same(answer, await twins.ask(lean=False, path=f"/en{STATUS}"))
    swedish, _ = await twins.lean_answer()
    assert swedish.headers["content-language"] == "sv"
    assert swedish.json()["message"] != answer.json()["message"]


async def test_each_session_is_told_of_its_own_order(twins: Twins) -> None:
    await _at_rest(twins)
    other = Twins()
    other.lean = twins.lean  # the same process: what it learned holds for every session
    await other.start("bankid-this-device")
    await other.ask(lean=False)
    mine, theirs = (await twins.lean_answer())[0], (await other.ask(lean=True))
    assert mine.json()["qr"] is True
    assert theirs.json()["qr"] is False
    same(theirs, await other.ask(lean=False))


async def test_the_request_id_and_the_metrics_are_those_of_the_full_way(twins: Twins) -> None:
    await _at_rest(twins)
    labels = {"route": "bankid:status", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("minasidor_http_requests_total", labels) or 0.0
    answer, full_way = await twins.lean_answer(headers={"X-Request-ID": "proxy-given-id-0001"})
    assert not full_way
    assert answer.headers["x-request-id"] == "proxy-given-id-0001"
    assert REGISTRY.get_sample_value("minasidor_http_requests_total", labels) == before + 1
    made_up, _ = await twins.lean_answer(headers={"X-Request-ID": "no"})
    assert re.fullmatch(r"[0-9a-f]{32}", made_up.headers["x-request-id"])


@pytest.mark.parametrize(
    ("case", "request_kwargs"),
    [
        ("no session", {"cookies_off": True}),
        ("an unknown session", {"cookies": {"session": "a" * 32}}),
        ("a session key not well-formed", {"cookies": {"session": "!"}}),
        ("a POST without a CSRF token", {"method": "POST"}),
        ("a POST from another origin", {"method": "POST", "headers": {"Origin": "https://elsewhere.example"}}),
        ("HEAD", {"method": "HEAD"}),
        ("a host not allowed", {"headers": {"Host": "evil.example"}}),
        ("a CSRF cookie to replace", {"cookies": {"csrftoken": "short"}}),
    ],
)
async def test_every_other_request_goes_the_full_way_and_gets_its_answer(
    twins: Twins, case: str, request_kwargs: dict[str, Any]
) -> None:
    await _at_rest(twins)
    kwargs = dict(request_kwargs)
    if kwargs.pop("cookies_off", False):
        twins.cookies = httpx.Cookies()
    if "cookies" in kwargs:
        jar = httpx.Cookies(twins.cookies)
        for name, value in kwargs.pop("cookies").items():
            jar.set(name, value)
        twins.cookies = jar
    kept = twins.cookies
    answer, full_way = await twins.lean_answer(**kwargs)
    assert full_way, case
    twins.cookies = kept
    full = await twins.ask(lean=False, **kwargs)
    assert answer.status_code == full.status_code, case
    assert answer.headers.keys() == full.headers.keys(), case
    if answer.headers.get("content-type") == "application/json":
        assert answer.content == full.content, case


async def test_the_first_collect_due_in_a_process_goes_the_full_way(
    twins: Twins, frozen_clock: clock.FrozenClock
) -> None:
    await _at_rest(twins)
    frozen_clock.advance(dt.timedelta(seconds=2))
    answer, full_way = await twins.lean_answer()
    assert full_way
    assert answer.json()["state"] == "pending"
    again, full_way_again = await twins.lean_answer()
    assert not full_way_again, "collected two seconds ago: at rest again"
    same(again, await twins.ask(lean=False))


async def test_past_the_rate_limit_the_full_way_refuses_and_each_poll_is_counted_once(
    twins: Twins, settings: Settings
) -> None:
    await _at_rest(twins)  # three polls counted so far (the full way's, the learning one, and this address's)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bankid:status": 4}
    key = counters.window_key(counters.url_scope("bankid:status"), "ip:127.0.0.1", 60)
    store = redis.Redis.from_url(REDIS_URL)
    prefix = django_settings.CACHES["security"]["KEY_PREFIX"]
    stored = f"{prefix}:1:{key}"
    assert int(cast(bytes, store.get(stored)) or 0) == 2
    answers = [await twins.lean_answer() for _ in range(3)]
    assert [(response.status_code, full_way) for response, full_way in answers] == [
        (200, True),  # settings changed: the headers are learned again
        (200, False),
        (429, True),
    ]
    assert int(cast(bytes, store.get(stored)) or 0) == 5
    refused = answers[-1][0]
    assert refused.headers["retry-after"] == "60"
    same(refused, await twins.ask(lean=False))
    assert int(cast(bytes, store.get(stored)) or 0) == 6


async def test_redis_out_of_reach_goes_the_full_way(twins: Twins, settings: Settings) -> None:
    await _at_rest(twins)
    unreachable = "redis://127.0.0.1:9/0"
    settings.CACHES = {alias: {**config, "LOCATION": unreachable} for alias, config in settings.CACHES.items()}
    answer, full_way = await twins.lean_answer()
    assert full_way
    assert answer.status_code == 503
    assert "set-cookie" not in answer.headers, "the citizen's session cookie is kept"


async def test_the_lean_way_is_off_without_redis_sessions(bankid: SimulatorThread, settings: Settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert not lean.usable()


async def test_a_count_made_for_another_subject_is_taken_back_and_the_right_one_counted(redis_sessions: str) -> None:
    """The lean path counts per address before it reads the session; a logged-in person's poll is counted per
    person by the full way, and the address's count is taken back."""
    scope, address, person = counters.url_scope("bankid:status"), "ip:127.0.0.1", "person:abc"
    key = counters.window_key(scope, address, 60)
    count = await counters.acount(scope=scope, subject=address, window_seconds=60)
    precount = counters.Precount(scope=scope, subject=address, key=key, count=count)
    assert await counters.ahit_once(scope=scope, subject=person, limit=1, window_seconds=60, precount=precount)
    assert await counters.acount(scope=scope, subject=address, window_seconds=60) == 1, "taken back"
    assert await counters.acount(scope=scope, subject=person, window_seconds=60) == 2, "counted once for the person"
    again = counters.Precount(scope=scope, subject=person, key="", count=5)
    assert not await counters.ahit_once(scope=scope, subject=person, limit=4, window_seconds=60, precount=again)


async def test_a_redis_that_lost_the_script_is_given_it_again(twins: Twins) -> None:
    """The read-and-count script runs by its digest; a restarted Redis has no scripts."""
    await _at_rest(twins)
    redis.Redis.from_url(REDIS_URL).script_flush()
    answer, full_way = await twins.lean_answer()
    assert not full_way
    assert answer.status_code == 200
    assert answer.json()["state"] == "pending"


# --- The poll that collects, and the QR picture (decision 0241) -------------------------------------------


class Session:
    """The session of ``twins`` as stored in Redis: read, and put back as it was (to ask the other twin)."""

    def __init__(self, twins: Twins) -> None:
        self.cache_key = "django.contrib.sessions.cache" + twins.cookies["session"]
        self.raw_key = caches["default"].make_and_validate_key(self.cache_key)
        self.redis = redis.Redis.from_url(REDIS_URL)

    def data(self) -> dict[str, Any]:
        return cast(dict[str, Any], caches["default"].get(self.cache_key))

    def raw(self) -> bytes:
        return cast(bytes, self.redis.get(self.raw_key))

    def put_back(self, raw: bytes) -> None:
        self.redis.set(self.raw_key, raw, keepttl=True)


class Calls:
    """Counts BankID collects and the event loop's calls into a thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.collects = self.hops = 0
        collect, call = BankIdClient.collect, sync.SyncToAsync.__call__

        async def counting_collect(client: BankIdClient, order_ref: str) -> Any:
            self.collects += 1
            return await collect(client, order_ref)

        async def counting_call(inner: Any, *args: Any, **kwargs: Any) -> Any:
            self.hops += 1
            return await call(inner, *args, **kwargs)

        monkeypatch.setattr(BankIdClient, "collect", counting_collect)
        monkeypatch.setattr(sync.SyncToAsync, "__call__", counting_call)


async def _collect_due(twins: Twins, frozen_clock: clock.FrozenClock) -> None:
    """At rest, then a collect made the full way (the lean handler learns the headers of an answer that stored
    the session), then two seconds on: a collect is due."""
    await _at_rest(twins)
    frozen_clock.advance(dt.timedelta(seconds=2))
    learning, full_way = await twins.lean_answer()
    assert full_way
    assert "set-cookie" in learning.headers
    frozen_clock.advance(dt.timedelta(seconds=2))


async def test_a_poll_that_collects_is_answered_lean_as_the_full_way_and_stores_the_same_session(
    twins: Twins, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _collect_due(twins, frozen_clock)
    session = Session(twins)
    before, collected_before = session.raw(), session.data()[ORDER_KEY]["collected_at"]
    calls = Calls(monkeypatch)
    answer, full_way = await twins.lean_answer()
    assert not full_way
    assert (calls.collects, calls.hops) == (1, 0), "BankID asked once, no thread"
    assert answer.json()["state"] == "pending"
    assert answer.headers["set-cookie"].startswith(f"session={twins.cookies['session']};")
    stored_lean = session.data()
    assert stored_lean[ORDER_KEY]["collected_at"] != collected_before
    session.put_back(before)
    full = await twins.ask(lean=False)
    same(answer, full)
    assert session.data() == stored_lean, "the full way stores the same session"
    again, full_way = await twins.lean_answer()
    assert not full_way, "collected just now: at rest"
    assert "set-cookie" not in again.headers


async def test_an_error_of_the_lean_collect_is_handed_on_with_it_and_bankid_is_not_asked_again(
    twins: Twins, bankid: SimulatorThread, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _collect_due(twins, frozen_clock)
    session = Session(twins)
    before = session.raw()
    calls = Calls(monkeypatch)
    bankid.sim.faults.add(Fault(endpoint="collect", status=500))  # once: a second ask would find it pending
    answer, full_way = await twins.lean_answer()
    assert full_way
    assert calls.collects == 1
    assert answer.json()["state"] == "failed"
    session.put_back(before)
    bankid.sim.faults.add(Fault(endpoint="collect", status=500))
    same(answer, await twins.ask(lean=False))


async def test_a_passing_error_of_the_lean_collect_defers_as_the_full_way_does(
    twins: Twins, bankid: SimulatorThread, frozen_clock: clock.FrozenClock
) -> None:
    await _collect_due(twins, frozen_clock)
    session = Session(twins)
    before = session.raw()
    bankid.sim.faults.add(Fault(endpoint="collect", status=503), count=3)  # outlasts the client's two retries
    answer, full_way = await twins.lean_answer()
    assert full_way
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    session.put_back(before)
    bankid.sim.faults.add(Fault(endpoint="collect", status=503), count=3)
    same(answer, await twins.ask(lean=False))


async def test_a_completed_order_found_by_the_lean_collect_logs_in_the_full_way_with_one_collect(
    twins: Twins, bankid: SimulatorThread, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _collect_due(twins, frozen_clock)
    # A finished order can be collected only once: a second ask would fail the login.
    monkeypatch.setattr(bankid.sim.book, "timings", dataclasses.replace(bankid.sim.book.timings, collect_once=True))
    order = bankid.sim.book.orders()[-1]
    app = f"{bankid.app_base_url}/app"
    opened = httpx.post(f"{app}/open", json={"autoStartToken": order.auto_start_token, "personalNumber": TOLVAN})
    assert opened.status_code == 200, opened.text
    approved = httpx.post(f"{app}/confirm", json={"orderRef": order.order_ref, "action": "approve"})
    assert approved.status_code == 200
    calls = Calls(monkeypatch)
    answer, full_way = await twins.lean_answer()
    assert full_way
    assert calls.collects == 1
    assert answer.json()["state"] == "complete"
    assert answer.json()["next"]


async def test_a_session_gone_before_the_lean_collect_is_stored_is_handed_on_with_the_collect(
    twins: Twins, frozen_clock: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _collect_due(twins, frozen_clock)
    calls = Calls(monkeypatch)
    original = CacheSessionStore.asave
    refusals: list[str | None] = []

    async def refusing_once(store: CacheSessionStore, must_create: bool = False) -> None:
        if not refusals:
            refusals.append(store.session_key)
            raise UpdateError
        await original(store, must_create)

    monkeypatch.setattr(CacheSessionStore, "asave", refusing_once)
    answer, full_way = await twins.lean_answer()
    assert refusals, "the lean path tried to store the session"
    assert full_way
    assert calls.collects == 1, "the full way used the lean path's collect"
    assert answer.json()["state"] == "pending"


async def test_the_qr_picture_is_answered_lean_exactly_as_the_full_way_answers_it(twins: Twins) -> None:
    await _at_rest(twins)
    _, full_way = await twins.lean_answer(path=QR)
    assert full_way
    answer, full_way = await twins.lean_answer(path=QR)
    assert not full_way
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.content.startswith(b"<svg")
    same(answer, await twins.ask(lean=False, path=QR))
    english, _ = await twins.lean_answer(path=f"/en{QR}")
    assert english.content == answer.content


async def test_no_qr_picture_for_an_order_on_this_device_the_full_way_answers_404(twins: Twins) -> None:
    await twins.start("bankid-this-device")
    await twins.ask(lean=False)
    answer, full_way = await twins.lean_answer(path=QR)
    assert full_way
    assert answer.status_code == 404
    assert (await twins.ask(lean=False, path=QR)).status_code == 404


async def test_the_qr_picture_past_its_rate_limit_goes_the_full_way(twins: Twins, settings: Settings) -> None:
    await _at_rest(twins)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bankid:qr": 2}
    answers = [await twins.lean_answer(path=QR) for _ in range(3)]
    assert [(response.status_code, full_way) for response, full_way in answers] == [
        (200, True),
        (200, False),
        (429, True),
    ]
