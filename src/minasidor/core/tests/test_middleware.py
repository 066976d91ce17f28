"""Requirement: every middleware is async-capable, so async views under ASGI never wait in Django's one sync thread."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import AsyncClient
from django.utils.module_loading import import_string


@pytest.mark.parametrize("path", settings.MIDDLEWARE)
def test_middleware_is_async_capable(path: str) -> None:
    middleware = import_string(path)
    assert getattr(middleware, "async_capable", False), f"{path} is sync-only: it would make the whole chain sync"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.django_db
async def test_the_async_chain_keeps_the_request_id() -> None:
    response = await AsyncClient().get("/", headers={"X-Request-ID": "async-request-0001"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "async-request-0001"
