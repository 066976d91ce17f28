"""Requirement: the portal's ASGI handler answers status polls without starting a thread per request, and
sheds polls beyond its limit at once with 503 and Retry-After instead of queueing them; other requests
are Django's as before."""

from __future__ import annotations

import threading
from typing import Any, cast

import httpx
import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from minasidor.core.handler import PortalASGIHandler

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_access_log"),  # PostgreSQL refuses to truncate the access log otherwise
]

STATUS = "/logga-in/bankid/status/"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _client(handler: PortalASGIHandler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=cast(Any, handler)), base_url="http://127.0.0.1")


def test_the_polling_endpoints_are_thread_free_in_both_languages() -> None:
    qr = "/logga-in/bankid/qr.svg"
    assert PortalASGIHandler().thread_free_paths() == {STATUS, f"/en{STATUS}", qr, f"/en{qr}"}


async def test_a_poll_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    await cache.aclear()  # the rate limit counts this address's polls of earlier tests
    handler = PortalASGIHandler()
    async with _client(handler) as client:
        assert (await client.get(STATUS)).status_code == 200  # warm-up: asgiref's shared thread exists
        started: list[threading.Thread] = []
        original = threading.Thread.start

        def counting(thread: threading.Thread) -> None:
            started.append(thread)
            original(thread)

        monkeypatch.setattr(threading.Thread, "start", counting)
        response = await client.get(STATUS)
        assert response.status_code == 200
        assert response.json()["state"] == "failed"  # no order in this session
        assert started == []
        monkeypatch.undo()
        await client.get("/logga-in/")  # any other page: Django's own thread per request
    assert handler.polls_in_flight == 0


async def test_polls_beyond_the_limit_are_shed_with_retry_after(settings: Settings) -> None:
    settings.POLLS_IN_FLIGHT_MAX = 0
    async with _client(PortalASGIHandler()) as client:
        shed = await client.get(STATUS)
        page = await client.get("/logga-in/")
    assert shed.status_code == 503
    assert shed.headers["Retry-After"] == "2"
    assert shed.headers["Cache-Control"] == "no-store"
    assert shed.headers["X-Content-Type-Options"] == "nosniff"
    assert shed.headers["X-Frame-Options"] == "DENY"
    assert shed.json() == {"state": "busy", "next": None}
    assert page.status_code == 200, "only the polling endpoint is shed"


async def test_a_body_over_the_cap_is_refused_on_every_route_unread(settings: Settings) -> None:
    """Issue 12.6: a 100 MB body to /saml/acs/ was read and accepted; Django's limits cover parsed forms only."""
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    handler = PortalASGIHandler()
    big = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    async with _client(handler) as client:
        announced = await client.post("/saml/acs/", content=big, headers={"content-type": "application/octet-stream"})
        assert announced.status_code == 413

        async def chunks() -> Any:
            for _ in range(4):
                yield b"y" * (settings.REQUEST_BODY_MAX_BYTES // 3)

        streamed = await client.post(
            "/saml/acs/", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert streamed.status_code == 413, "a body without a length is cut off at the cap"
        small = await client.post("/saml/acs/", data={"SAMLResponse": "x"})
        assert small.status_code == 302, "a body under the cap goes on to the view"
