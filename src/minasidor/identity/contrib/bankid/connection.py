"""The process's connection to BankID: its clients of the RP API, and how the login flow calls them.

The client is asynchronous (httpx). Synchronous code (starting an order, the page) submits calls with
:func:`call` to one background event loop thread per process, with one client on it. Async code (the
status endpoint the login page polls) calls with :func:`acall` on a client bound to its own event loop
(under uvicorn: the worker's loop), so a collect neither crosses into another thread nor waits for it.
Every client of the process shares one circuit breaker, so the breaker sees every call; connections are
pooled per client. A call waits at most four times the client's timeout. See docs/decisions/0007, 0070.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import weakref
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pybreaker
import structlog
from django.conf import settings

from minasidor.core import metrics
from minasidor.identity.contrib.bankid.rp.client import BankIdClient, BankIdSettings, make_breaker
from minasidor.identity.contrib.bankid.rp.errors import BankIdTransportError

T = TypeVar("T")
logger = structlog.get_logger(__name__)

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_client: BankIdClient | None = None
_breaker: pybreaker.CircuitBreaker | None = None
# Clients of async callers, one per event loop (an httpx client belongs to the loop it runs on).
_loop_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, BankIdClient] = weakref.WeakKeyDictionary()


def client_settings() -> BankIdSettings:
    """The client's settings, from Django settings (see docs/configuration.md)."""
    return BankIdSettings(
        base_url=settings.BANKID_BASE_URL,
        cert_file=Path(settings.BANKID_CERT_FILE),
        key_file=Path(settings.BANKID_KEY_FILE),
        ca_file=Path(settings.BANKID_CA_FILE),
        timeout_seconds=settings.BANKID_TIMEOUT_SECONDS,
    )


def _new_client() -> BankIdClient:
    """A client on the shared breaker; call with ``_lock`` held."""
    global _breaker  # noqa: PLW0603 - one breaker per process, created on first use
    configured = client_settings()
    if _breaker is None:
        _breaker = metrics.breaker_watch("bankid", make_breaker(configured))
    try:
        return BankIdClient(settings=configured, breaker=_breaker)
    except (OSError, ssl.SSLError) as error:
        logger.error("bankid.client_not_configured", error=type(error).__name__)
        raise BankIdTransportError("the BankID client's certificate files cannot be used") from error


def _running_client() -> tuple[asyncio.AbstractEventLoop, BankIdClient]:
    global _loop, _client  # noqa: PLW0603 - one loop and one client per process, created on first use
    with _lock:
        if _loop is None or _client is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="bankid-io", daemon=True).start()
            try:
                _client = asyncio.run_coroutine_threadsafe(_make_client(), loop).result()
            except BankIdTransportError:
                loop.call_soon_threadsafe(loop.stop)
                raise
            _loop = loop
        return _loop, _client


async def _make_client() -> BankIdClient:
    return _new_client()


def call(operation: Callable[[BankIdClient], Coroutine[Any, Any, T]]) -> T:
    """Run ``operation(client)`` on the BankID loop and return its result (or raise its error)."""
    loop, client = _running_client()
    future = asyncio.run_coroutine_threadsafe(operation(client), loop)
    try:
        return future.result(timeout=settings.BANKID_TIMEOUT_SECONDS * 4)
    except TimeoutError as error:
        future.cancel()
        raise BankIdTransportError("no answer from BankID in time") from error


def _loop_client() -> BankIdClient:
    loop = asyncio.get_running_loop()
    with _lock:
        client = _loop_clients.get(loop)
        if client is None:
            client = _loop_clients[loop] = _new_client()
        return client


async def acall(operation: Callable[[BankIdClient], Coroutine[Any, Any, T]]) -> T:
    """:func:`call` for async code: on this event loop's client, holding no thread."""
    client = _loop_client()
    try:
        return await asyncio.wait_for(operation(client), timeout=settings.BANKID_TIMEOUT_SECONDS * 4)
    except TimeoutError as error:
        raise BankIdTransportError("no answer from BankID in time") from error


def reset() -> None:
    """Close the clients and stop the background loop (settings changed, or a test is done with them).

    Clients of other event loops are dropped (their loop closes their connections); the breaker is new.
    """
    global _loop, _client, _breaker  # noqa: PLW0603 - see _running_client
    with _lock:
        loop, client = _loop, _client
        _loop = _client = _breaker = None
        _loop_clients.clear()
    if loop is not None and client is not None:
        asyncio.run_coroutine_threadsafe(client.aclose(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
