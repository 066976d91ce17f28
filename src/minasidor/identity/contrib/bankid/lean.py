"""The lean status poll and QR picture: BankID's polling requests answered ahead of Django's middleware,
same checks and all.

The login page asks for the order's status every second and BankID is asked every two, so most polls only
tell the page where the order stands. Through Django's whole way such a poll cost about eight times a bare
endpoint reading the same state from Redis (benchmarks/bankid_poll_profile.py): the middleware stack, two
Redis round trips, two hops into a thread for Django's request signals. This path answers those polls (a GET,
a session that is not logged in, its order pending, the rate limit not reached) after one pipelined round
trip to Redis (the session and the rate-limit count): between collects with where the order stands
(decision 0205); when a collect is due, it collects itself and, while the order stays pending, stores the
session with the session store and answers (decision 0241). An ending or an error of that collect, and every
other request, goes Django's whole way (``full``), the collect handed on with it (``flow.COLLECTED``) so
that BankID is not asked twice: every refusal, ending, login and error is made by the same code as before.
The QR picture the other-device page loads every second is answered the same way (``qr``).

It makes no check of its own. It calls the same functions as the full way: the security, common, CSRF,
locale and client-address middleware's request hooks (HTTPS redirect, allowed hosts, the CSRF cookie's form,
the language, the client address behind our proxies), the rate limit's subject and window key
(:mod:`minasidor.security.counters`), the request id (:mod:`minasidor.core.request_id`), the request metrics
(:func:`minasidor.core.metrics.request_observe`), the flow's ``collect_due``, ``acollect`` and
``collect_apply`` and ``qr_picture``, the session store's ``asave``, and the view's ``pending_body``. A count
made here is handed to the rate-limit middleware with the request it passes on (``counters.Precount``), so no
poll is counted twice. Its response headers are those Django's middleware gave the last full answer of the
same kind (200, and no cookie set, or only the session's cookie for a poll that stored the session) on the same
path, scheme and language, learned from it: until one was seen, the full way answers.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import redis
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.core.cache import caches
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.utils import translation

from kernel import clock
from minasidor.core import metrics, request_id
from minasidor.core.cache import RedisCache
from minasidor.core.client_address import ClientAddressMiddleware
from minasidor.core.handler import FullPath, LeanPath
from minasidor.core.inline import (
    CommonMiddleware,
    CsrfViewMiddleware,
    LocaleMiddleware,
    SecurityMiddleware,
    SessionMiddleware,
)
from minasidor.identity.contrib.bankid.flow import (
    COLLECTED,
    ORDER_KEY,
    acollect,
    collect_apply,
    collect_due,
    qr_picture,
)
from minasidor.identity.contrib.bankid.rp.types import CollectStatus
from minasidor.identity.contrib.bankid.types import LoginOrder
from minasidor.identity.contrib.bankid.views import pending_body
from minasidor.identity.session import SESSION_KEY
from minasidor.security import counters
from minasidor.security.middleware import WINDOW
from minasidor.security.store import security_cache

ROUTE = "bankid:status"
QR_ROUTE = "bankid:qr"
JSON = b"application/json"
SVG = b"image/svg+xml"
# Headers that belong to one answer only; the others are learned from the full way's answers.
PER_ANSWER = frozenset({b"x-request-id", b"content-length", b"set-cookie", b"date", b"server"})

# What JsonResponse's json.dumps(data, cls=DjangoJSONEncoder) uses, made once.
_ENCODER = DjangoJSONEncoder()


class _Hooks:
    """The request hooks of the full way's middleware, one instance of each per process."""

    def __init__(self) -> None:
        def never(request: HttpRequest) -> Any:
            raise AssertionError("the lean path calls only request hooks")

        self.https = SecurityMiddleware(never)
        self.client_address = ClientAddressMiddleware(never)
        self.locale = LocaleMiddleware(never)
        self.common = CommonMiddleware(never)
        self.csrf = CsrfViewMiddleware(never)
        self.session_store = SessionMiddleware(never).SessionStore  # the engine the settings name
        self.session_keys: Any = self.session_store()  # its key checks and cache keys
        # Made once: in a new request task, ``caches[...]`` would make new cache objects (the pools are shared).
        self.sessions = cast(RedisCache, caches[settings.SESSION_CACHE_ALIAS])
        self.limits = cast(RedisCache, security_cache())
        self.languages: dict[str, str] = {}
        # Settings read on every poll, read once (each read of ``settings`` goes through its lazy proxy).
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.rate_limits: dict[str, int] = dict(settings.RATE_LIMITS)

    def language(self, request: HttpRequest) -> None:
        """Activate the request's language as the locale middleware does. Under ``i18n_patterns`` without a
        prefix for the default language (checked by :func:`usable`) it depends on the path alone: the
        middleware's answer for each path is kept (its work was a fifth of a lean poll)."""
        language = self.languages.get(request.path_info)
        if language is None:
            self.locale.process_request(request)
            self.languages[request.path_info] = translation.get_language()
        else:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def pass_through(self, request: HttpRequest) -> bool:
        """Whether the middleware would let this request on to the view as they are: no HTTPS redirect, an
        allowed host, no slash redirect, a CSRF cookie that need not be replaced. Sets the client address
        and activates the language, as the middleware do."""
        if self.https.process_request(request) is not None:
            return False
        self.client_address.enter(request)
        self.language(request)
        try:
            if self.common.process_request(request) is not None:
                return False
        except Exception:  # a refused host or agent: the full way answers it as it does
            return False
        self.csrf.process_request(request)
        return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


_hooks: _Hooks | None = None
_usable: bool | None = None


def _hooks_made() -> _Hooks:
    global _hooks  # noqa: PLW0603 - made once per settings
    if _hooks is None:
        _hooks = _Hooks()
    return _hooks


def usable() -> bool:
    """Whether this process can answer polls the lean way: sessions in the cache session store and the rate
    limits in the same Redis, the CSRF token in a cookie, tracing off (its span per request is the full way's)."""
    global _usable  # noqa: PLW0603 - computed once per settings
    if _usable is None:
        hooks = _hooks_made()
        engine, sessions, security = hooks.session_store, hooks.sessions, hooks.limits
        _usable = (
            issubclass(engine, CacheSessionStore)
            and isinstance(sessions, RedisCache)
            and sessions.shares_server_with(security)
            and not settings.CSRF_USE_SESSIONS
            and not settings.TRACING_EXPORTER
            and is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (True, False)
        )
    return _usable


def _forget(**kwargs: Any) -> None:
    """Settings changed (tests): what was learned or decided from them no longer holds."""
    global _usable, _hooks
    _usable, _hooks = None, None
    _learned.clear()


setting_changed.connect(_forget)


@dataclasses.dataclass(frozen=True, slots=True)
class _Learned:
    """The headers of a full answer of one kind, less the per-answer ones; for an answer that stored the
    session, its cookie's header as the parts before and after the session key."""

    headers: list[tuple[bytes, bytes]]
    cookie: tuple[bytes, bytes] | None = None

    def answer(self, request_id: str, length: int, session_key: str) -> list[tuple[bytes, bytes]]:
        answer = [*self.headers, (b"x-request-id", request_id.encode()), (b"content-length", str(length).encode())]
        if self.cookie is not None:
            answer.append((b"set-cookie", self.cookie[0] + session_key.encode() + self.cookie[1]))
        return answer


# (kind, secure, path, language) -> what Django's middleware gave a full answer of that kind. Kinds: "rest" (a
# poll between collects), "stored" (a poll that collected and stored the session), "qr" (the QR picture).
_learned: dict[tuple[str, bool, str, str], _Learned] = {}


def _learning(
    send: Any, shape: tuple[str, bool, str, str], content_type: bytes, session_key: str | None = None
) -> Callable[[dict[str, Any]], Any]:
    """``send`` that keeps the headers of a full answer of this shape: 200 and ``content_type``, and no cookie
    set, or (``session_key`` given) exactly one, the session's, with the key in it once and no expiry in it (so
    it is the same for every answer to this session)."""

    async def learning_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            headers = [(bytes(name).lower(), bytes(value)) for name, value in message.get("headers", ())]
            cookies = [value for name, value in headers if name == b"set-cookie"]
            kept = [(name, value) for name, value in headers if name not in PER_ANSWER]
            if (b"content-type", content_type) not in headers:
                pass
            elif session_key is None and not cookies:
                _learned[shape] = _Learned(kept)
            elif session_key is not None and len(cookies) == 1:
                parts = cookies[0].split(session_key.encode())
                lowered = cookies[0].lower()
                if len(parts) == 2 and b"expires=" not in lowered and b"max-age=" not in lowered:
                    _learned[shape] = _Learned(kept, cookie=(parts[0], parts[1]))
        await send(message)

    return learning_send


Answer = Callable[["_Poll"], Awaitable[None]]


@dataclasses.dataclass(slots=True)
class _Poll:
    """One request the lean path looks at: what it read, and how to answer it or hand it on."""

    route: str
    request: ASGIRequest
    scope: dict[str, Any]
    receive: Any
    send: Any
    full: FullPath
    began: float
    session_key: str = ""
    data: dict[str, Any] | None = None

    def shape(self, kind: str) -> tuple[str, bool, str, str]:
        return (kind, self.request.is_secure(), self.request.path, translation.get_language())

    async def hand_on(self, send: Any = None) -> None:
        """Django's whole way answers (with the count made here, and what was collected, in the scope)."""
        await self.full(self.scope, self.receive, send or self.send)

    async def reply(self, learned: _Learned, body: bytes) -> None:
        """Answer 200 with ``body`` and the learned headers, counted and observed as the full way does."""
        del self.scope[counters.PRECOUNTED]
        # From META, as ``request.headers`` reads it (building that mapping cost more than the rest of the reply).
        state = request_id.enter(self.request.META.get("HTTP_X_REQUEST_ID"))
        try:
            seconds = time.perf_counter() - self.began
            metrics.request_observe(route=self.route, method="GET", status=200, seconds=seconds)
            headers = learned.answer(state[0], len(body), self.session_key)
            await self.send({"type": "http.response.start", "status": 200, "headers": headers})
            await self.send({"type": "http.response.body", "body": body})
        finally:
            request_id.leave(state)


def _lean(route: str, answer: Answer) -> LeanPath:
    """The lean path of ``route``: ``answer`` is given the polls of a session that is not logged in and within
    the route's rate limit; every other request goes the full way."""

    async def lean(scope: dict[str, Any], receive: Any, send: Any, full: FullPath) -> None:
        if scope["method"] != "GET" or not usable():
            await full(scope, receive, send)
            return
        began = time.perf_counter()
        poll = _Poll(route, ASGIRequest(scope, io.BytesIO()), scope, receive, send, full, began)
        previous = translation.get_language()
        try:
            if await _read(poll):
                await answer(poll)
            else:
                await poll.hand_on()
        finally:
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()

    return lean


async def _read(poll: _Poll) -> bool:
    """Pass the middleware's request hooks, then read the session and count the rate limit in one round
    trip. Whether ``poll`` is one the lean path may answer: a well-formed session key, the middleware letting
    it through, Redis reachable, the session there and not logged in, the limit not reached."""
    hooks, request = _hooks_made(), poll.request
    session_key = request.COOKIES.get(hooks.session_cookie)
    if not session_key or not hooks.pass_through(request):
        return False
    if not hooks.session_keys._validate_session_key(session_key):  # the full way treats it as no session
        return False
    limit = hooks.rate_limits.get(poll.route)
    subject = counters.subject(request)
    scope_name = counters.url_scope(poll.route)
    key = counters.window_key(scope_name, subject, WINDOW)
    try:
        data, count = await hooks.sessions.aget_and_count(
            hooks.session_keys.cache_key_prefix + session_key, counter=hooks.limits, counter_key=key, timeout=WINDOW
        )
    except redis.RedisError:  # the full way answers an unreachable Redis as it does
        return False
    poll.scope[counters.PRECOUNTED] = counters.Precount(scope=scope_name, subject=subject, key=key, count=count)
    if data is None or SESSION_KEY in data or (limit is not None and count > limit):
        return False
    poll.session_key, poll.data = session_key, data
    return True


def _order(poll: _Poll) -> LoginOrder | None:
    order_data = poll.data.get(ORDER_KEY) if poll.data else None
    return LoginOrder.from_session(order_data) if order_data else None


async def _status(poll: _Poll) -> None:
    """The status poll: between collects, where the order stands; when a collect is due, the collect made
    here and, while the order stays pending, the session stored and the answer given here too (decision
    0241). An ending or an error of the collect is handed on with the collect, which the full way uses."""
    order = _order(poll)
    if order is None or order.state != "pending":
        await poll.hand_on()
        return
    if not collect_due(order, now=clock.now(), force=False):
        shape = poll.shape("rest")
        learned = _learned.get(shape)
        if learned is None:
            await poll.hand_on(_learning(poll.send, shape, JSON))
        else:
            await poll.reply(learned, _ENCODER.encode(pending_body(poll.request, order)).encode())
        return
    shape = poll.shape("stored")
    learned = _learned.get(shape)
    if learned is None:
        await poll.hand_on(_learning(poll.send, shape, JSON, poll.session_key))
        return
    collected = await acollect(order)
    if collected.response is None or collected.response.status is not CollectStatus.PENDING:
        poll.scope[COLLECTED] = collected
        await poll.hand_on()
        return
    collect_apply(order, collected)
    if not await _stored(poll, order):
        poll.scope[COLLECTED] = collected
        await poll.hand_on()
        return
    await poll.reply(learned, _ENCODER.encode(pending_body(poll.request, order)).encode())


async def _stored(poll: _Poll, order: LoginOrder) -> bool:
    """The session stored with ``order`` in it, by the session store itself as the session middleware stores
    it (only if the session is still there); False when it could not be."""
    store = _hooks_made().session_store(poll.session_key)
    cast(Any, store)._session_cache = dict(poll.data or {})  # as read a moment ago: not read again
    store[ORDER_KEY] = order.to_session()
    try:
        await store.asave()
    except (UpdateError, redis.RedisError):
        return False
    return True


async def _qr(poll: _Poll) -> None:
    """The QR picture of an order shown as a QR code; every other request goes the full way (404 and all)."""
    order = _order(poll)
    if order is None or not order.shows_qr:
        await poll.hand_on()
        return
    shape = poll.shape("qr")
    learned = _learned.get(shape)
    if learned is None:
        await poll.hand_on(_learning(poll.send, shape, SVG))
        return
    await poll.reply(learned, qr_picture(order))


status = _lean(ROUTE, _status)
qr = _lean(QR_ROUTE, _qr)
