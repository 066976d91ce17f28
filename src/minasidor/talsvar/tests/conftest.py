"""The portal as a WSGI app for the phone simulator, in this thread (it sees the test's data)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

BASE = "http://testserver"


@pytest.fixture
def portal_http() -> Iterator[httpx.Client]:
    """An httpx client whose requests the portal answers in-process."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with httpx.Client(transport=httpx.WSGITransport(app=WSGIHandler()), base_url=BASE) as client:
            yield client
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
