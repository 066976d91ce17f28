"""The portal's one BankID client, and how synchronous Django views call it.

The client is asynchronous (httpx); the portal's views are synchronous. Rather than a new event loop and a
new TLS connection per call, the process keeps one background event loop thread with one client on it:
connections are pooled and the circuit breaker sees every call of the process. Views submit calls with
:func:`call` and wait at most the client's own timeouts (plus a margin).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import structlog
from django.conf import settings

from minasidor.identity.contrib.bankid.client import BankIdClient, BankIdSettings
from minasidor.identity.contrib.bankid.errors import BankIdTransportError

T = TypeVar("T")
logger = structlog.get_logger(__name__)

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_client: BankIdClient | None = None


def client_settings() -> BankIdSettings:
    """The client's settings, from Django settings (see docs/configuration.md)."""
    return BankIdSettings(
        base_url=settings.BANKID_BASE_URL,
        cert_file=Path(settings.BANKID_CERT_FILE),
        key_file=Path(settings.BANKID_KEY_FILE),
        ca_file=Path(settings.BANKID_CA_FILE),
        timeout_seconds=settings.BANKID_TIMEOUT_SECONDS,
    )


def _running_client() -> tuple[asyncio.AbstractEventLoop, BankIdClient]:
    global _loop, _client  # noqa: PLW0603 - one loop and one client per process, created on first use
    with _lock:
        if _loop is None or _client is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="bankid-io", daemon=True).start()
            try:
                _client = asyncio.run_coroutine_threadsafe(_make_client(), loop).result()
            except (OSError, ssl.SSLError) as error:
                loop.call_soon_threadsafe(loop.stop)
                logger.error("bankid.client_not_configured", error=type(error).__name__)
                raise BankIdTransportError("the BankID client's certificate files cannot be used") from error
            _loop = loop
        return _loop, _client


async def _make_client() -> BankIdClient:
    return BankIdClient(settings=client_settings())


def call(operation: Callable[[BankIdClient], Coroutine[Any, Any, T]]) -> T:
    """Run ``operation(client)`` on the BankID loop and return its result (or raise its error)."""
    loop, client = _running_client()
    future = asyncio.run_coroutine_threadsafe(operation(client), loop)
    try:
        return future.result(timeout=settings.BANKID_TIMEOUT_SECONDS * 4)
    except TimeoutError as error:
        future.cancel()
        raise BankIdTransportError("no answer from BankID in time") from error


async def acall(operation: Callable[[BankIdClient], Coroutine[Any, Any, T]]) -> T:
    """:func:`call` for async code: awaits the BankID loop without holding a thread."""
    loop, client = await asyncio.to_thread(_running_client)
    future = asyncio.run_coroutine_threadsafe(operation(client), loop)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout=settings.BANKID_TIMEOUT_SECONDS * 4)
    except TimeoutError as error:
        future.cancel()
        raise BankIdTransportError("no answer from BankID in time") from error


def reset() -> None:
    """Close the client and stop its loop (settings changed, or a test is done with it)."""
    global _loop, _client  # noqa: PLW0603 - see _running_client
    with _lock:
        loop, client = _loop, _client
        _loop = _client = None
    if loop is not None and client is not None:
        asyncio.run_coroutine_threadsafe(client.aclose(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
