"""Requirement: under ASGI the middleware chain keeps every security property of the synchronous chain
(headers, CSRF, sessions, messages) while running Django's hooks without a thread where they do no I/O."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, AsyncRequestFactory, Client
from django.utils.deprecation import MiddlewareMixin
from django.utils.module_loading import import_string
from pytest_django.fixtures import Settings

from minasidor.core.inline import Inline, SessionMiddleware
from simulators.bankid.server import SimulatorThread

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_access_log"),  # PostgreSQL refuses to truncate the access log otherwise
]

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "X-Request-ID",
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def cache_sessions(settings: Settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


@pytest.mark.parametrize("path", settings.MIDDLEWARE)
def test_no_middleware_of_the_chain_hops_to_a_thread_for_every_request(path: str) -> None:
    middleware = import_string(path)
    if issubclass(middleware, MiddlewareMixin):
        assert issubclass(middleware, Inline) or "aprocess_view" in vars(middleware), (
            f"{path} would run its hooks in a thread on every async request"
        )


async def test_the_async_chain_sends_the_same_security_headers_as_the_sync_chain() -> None:
    sync_response = await sync_to_async(Client().get)("/logga-in/")
    async_response = await AsyncClient().get("/logga-in/")
    assert async_response.status_code == sync_response.status_code == 200
    for header in SECURITY_HEADERS:
        assert async_response.has_header(header), header
        if header not in ("Content-Security-Policy", "X-Request-ID"):  # a nonce and an id per request
            assert async_response[header] == sync_response[header], header
    assert async_response["Content-Language"] == "sv"
    assert "Cookie" in async_response["Vary"]


async def test_the_async_chain_refuses_a_post_without_a_csrf_token() -> None:
    response = await AsyncClient(enforce_csrf_checks=True).post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 403


async def test_the_async_chain_accepts_a_post_with_the_token_it_gave(bankid: SimulatorThread) -> None:
    client = AsyncClient(enforce_csrf_checks=True)
    page = await client.get("/logga-in/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = await client.post("/logga-in/", {"method": "bankid-other-device", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


async def test_a_session_changed_in_the_async_chain_is_stored_under_a_new_cookie(
    bankid: SimulatorThread, cache_sessions: None
) -> None:
    client = AsyncClient()
    before = (await client.get("/logga-in/")).cookies.get(settings.SESSION_COOKIE_NAME)
    response = await client.post("/logga-in/", {"method": "bankid-other-device"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert before is None or cookie.value != before.value
    assert cookie["httponly"]
    status = await client.get("/logga-in/bankid/status/")
    assert status.json()["state"] == "pending"


async def test_messages_survive_the_async_chain(bankid: SimulatorThread, cache_sessions: None) -> None:
    client = AsyncClient()
    await client.post("/logga-in/", {"method": "bankid-other-device"})
    response = await client.post("/logga-in/bankid/avbryt/")
    assert response.status_code == 302
    page = await client.get(response["Location"])
    assert "Inloggningen avbröts." in page.content.decode()


async def test_a_session_deleted_meanwhile_is_not_written_back(cache_sessions: None) -> None:
    """A logout in another tab while this request changes the session: refused (SessionInterrupted, a 400),
    as by Django's own middleware, instead of bringing the deleted session back."""
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session = store_class()
    await session.aset("kept", 1)
    await session.asave()
    key = session.session_key

    async def view(request: HttpRequest) -> HttpResponse:
        await request.session.aget("kept")  # loaded
        await store_class(key).adelete()  # logged out elsewhere meanwhile
        await request.session.aset("kept", 2)  # this request changes it
        return HttpResponse()

    request = AsyncRequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    with pytest.raises(SessionInterrupted):
        await SessionMiddleware(view).__acall__(request)
    assert not await store_class(key).aexists(key)


async def test_an_unchanged_session_is_not_stored_and_gets_no_cookie(cache_sessions: None) -> None:
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session = store_class()
    await session.aset("kept", 1)
    await session.asave()

    async def view(request: HttpRequest) -> HttpResponse:
        assert await request.session.aget("kept") == 1
        return HttpResponse()

    request = AsyncRequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session.session_key
    response = await SessionMiddleware(view).__acall__(request)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "Cookie" in response["Vary"]
