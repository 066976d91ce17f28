"""The lean status poll: most BankID status polls answered ahead of Django's middleware, same checks and all.

The login page asks for the order's status every second and BankID is asked every two, so most polls only
tell the page where the order stands. Through Django's whole way such a poll cost about eight times a bare
endpoint reading the same state from Redis (benchmarks/bankid_poll_profile.py): the middleware stack, two
Redis round trips, two hops into a thread for Django's request signals. This path answers exactly those polls
(``flow.order_at_rest``: a GET, a session that is not logged in, its order pending and no collect due, the
rate limit not reached) with one pipelined round trip to Redis (the session and the rate-limit count), and
hands every other request to Django's whole way unchanged (``full``), so every refusal, ending, collect and
error is made by the same code as before. See docs/decisions/0205-lean-status-poll.md.

It makes no check of its own. It calls the same functions as the full way: the security, common, CSRF,
locale and client-address middleware's request hooks (HTTPS redirect, allowed hosts, the CSRF cookie's form,
the language, the client address behind our proxies), the rate limit's subject and window key
(:mod:`minasidor.security.counters`), the request id (:mod:`minasidor.core.request_id`), the request metrics
(:func:`minasidor.core.metrics.request_observe`), the flow's ``order_at_rest`` and the view's
``pending_body``. A count made here is handed to the rate-limit middleware with the request it passes on
(``counters.Precount``), so no poll is counted twice. Its response headers are those Django's middleware gave
the last full answer of the same kind (200, no cookie set) on the same path and scheme, learned from it: until
one was seen, the full way answers.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any, cast

import redis
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.core.cache import caches
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.utils import translation

from minasidor.core import metrics, request_id
from minasidor.core.cache import RedisCache
from minasidor.core.client_address import ClientAddressMiddleware
from minasidor.core.handler import FullPath
from minasidor.core.inline import (
    CommonMiddleware,
    CsrfViewMiddleware,
    LocaleMiddleware,
    SecurityMiddleware,
    SessionMiddleware,
)
from minasidor.identity.contrib.bankid.flow import ORDER_KEY, order_at_rest
from minasidor.identity.contrib.bankid.views import pending_body
from minasidor.identity.session import SESSION_KEY
from minasidor.security import counters
from minasidor.security.middleware import WINDOW
from minasidor.security.store import security_cache

ROUTE = "bankid:status"
# Headers that belong to one answer only; the others are learned from the full way's answers.
PER_ANSWER = frozenset({b"x-request-id", b"content-length", b"set-cookie", b"date", b"server"})

# What JsonResponse's json.dumps(data, cls=DjangoJSONEncoder) uses, made once.
_ENCODER = DjangoJSONEncoder()

# (secure, path, language) -> the headers Django's middleware gave a full answer of that kind.
_learned: dict[tuple[bool, str, str], list[tuple[bytes, bytes]]] = {}


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


def _learning(send: Any, shape: tuple[bool, str, str]) -> Callable[[dict[str, Any]], Any]:
    """``send`` that keeps the headers of a full answer of this shape (200, JSON, no cookie set)."""

    async def learning_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            headers = [(bytes(name).lower(), bytes(value)) for name, value in message.get("headers", ())]
            names = {name for name, _ in headers}
            if b"set-cookie" not in names and (b"content-type", b"application/json") in headers:
                _learned[shape] = [(name, value) for name, value in headers if name not in PER_ANSWER]
        await send(message)

    return learning_send


async def status(scope: dict[str, Any], receive: Any, send: Any, full: FullPath) -> None:
    """The status poll (``bankid:status``): answered here when the order is at rest, else by ``full``."""
    if scope["method"] != "GET" or not usable():
        await full(scope, receive, send)
        return
    began = time.perf_counter()
    request = ASGIRequest(scope, io.BytesIO())
    previous = translation.get_language()
    try:
        await _answer(request, scope=scope, receive=receive, send=send, full=full, began=began)
    finally:
        if previous:
            translation.activate(previous)
        else:
            translation.deactivate()


async def _answer(
    request: ASGIRequest, *, scope: dict[str, Any], receive: Any, send: Any, full: FullPath, began: float
) -> None:
    hooks = _hooks_made()
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or not hooks.pass_through(request):
        await full(scope, receive, send)
        return
    if not hooks.session_keys._validate_session_key(session_key):  # the full way treats it as no session
        await full(scope, receive, send)
        return
    limit = settings.RATE_LIMITS.get(ROUTE)
    subject = counters.subject(request)
    key = counters.window_key(counters.url_scope(ROUTE), subject, WINDOW)
    try:
        data, count = await hooks.sessions.aget_and_count(
            hooks.session_keys.cache_key_prefix + session_key, counter=hooks.limits, counter_key=key, timeout=WINDOW
        )
    except redis.RedisError:  # the full way answers an unreachable Redis as it does
        await full(scope, receive, send)
        return
    scope[counters.PRECOUNTED] = counters.Precount(
        scope=counters.url_scope(ROUTE), subject=subject, key=key, count=count
    )
    order = None
    if data is not None and SESSION_KEY not in data and (limit is None or count <= limit):
        order_data = data.get(ORDER_KEY)
        order = order_at_rest(order_data) if order_data else None
    shape = (request.is_secure(), request.path, translation.get_language())
    headers = _learned.get(shape)
    if order is None or headers is None:
        await full(scope, receive, _learning(send, shape) if order is not None else send)
        return
    del scope[counters.PRECOUNTED]
    state = request_id.enter(request.headers.get("X-Request-ID"))
    try:
        body = _ENCODER.encode(pending_body(request, order)).encode()
        metrics.request_observe(route=ROUTE, method="GET", status=200, seconds=time.perf_counter() - began)
        answer = [*headers, (b"x-request-id", state[0].encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": answer})
        await send({"type": "http.response.body", "body": body})
    finally:
        request_id.leave(state)
