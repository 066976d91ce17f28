"""Requirement: when the portal's own stores are away (PostgreSQL, Redis), the citizen is told in their language
that Mina sidor is not available right now (503), and stays logged in once it is back; other errors keep the
500 page. Found by the fault suite (scripts/fault_suite.py): with Redis cut off, a logged-in citizen was sent
to the login page and lost their session cookie."""

from __future__ import annotations

import errno
import io
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory
from pypdf import PdfWriter
from pytest_django.fixtures import Settings

from kernel.personal_number import PersonalNumber
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.operations.unavailable import is_outage, server_error
from minasidor.registers import registers

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])  # the overview reads the register
REDIS_URL = "redis://127.0.0.1:6379/15"
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
HOME = "/mina-sidor/"


def _answer(error: Exception) -> tuple[int, str]:
    request = RequestFactory().get(HOME)
    try:
        raise error
    except Exception:  # as Django calls handler500: inside the except block
        response = server_error(request)
    return response.status_code, response.content.decode()


def test_a_database_that_cannot_be_reached_is_503_not_available_right_now() -> None:
    status, page = _answer(OperationalError("connection refused"))
    assert status == 503
    assert "Mina sidor är inte tillgängliga just nu" in page
    assert "connection refused" not in page, "no details of the error"


def test_an_outage_behind_another_error_is_still_an_outage() -> None:
    error = RuntimeError("the session could not be read")
    error.__cause__ = redis.exceptions.ConnectionError("Error 111 connecting")
    assert is_outage(error)
    assert not is_outage(RuntimeError("a bug"))
    assert not is_outage(None)


def test_any_other_error_keeps_the_500_page() -> None:
    status, page = _answer(RuntimeError("a bug"))
    assert status == 500
    assert "inte tillgängliga" not in page


@pytest.fixture
def redis_sessions(settings: Settings) -> Iterator[str]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
        "security": {"BACKEND": "minasidor.security.store.DatabaseStore"},
    }
    settings.SESSION_ENGINE = "minasidor.core.sessions"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"{prefix}:*"):
        connection.delete(key)


def _redis_away(settings: Settings, prefix: str, *, away: bool) -> None:
    location = NOWHERE if away else REDIS_URL
    settings.CACHES = {
        "default": {"BACKEND": "minasidor.core.cache.RedisCache", "LOCATION": location, "KEY_PREFIX": prefix},
        "security": {"BACKEND": "minasidor.security.store.DatabaseStore"},
    }


@pytest.mark.parametrize(
    ("path", "heading"),
    [(HOME, "Mina sidor är inte tillgängliga just nu"), ("/en" + HOME, "My pages are not available right now")],
)
def test_with_redis_away_the_citizen_is_told_so_and_stays_logged_in(
    settings: Settings, redis_sessions: str, path: str, heading: str
) -> None:
    client = Client(raise_request_exception=False)
    log_in(client, make_identity())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(path).status_code == 200

    _redis_away(settings, redis_sessions, away=True)
    response = client.get(path)
    assert response.status_code == 503
    assert heading in response.content.decode()
    assert response["Retry-After"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies, "the citizen's session cookie is left alone"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == cookie

    _redis_away(settings, redis_sessions, away=False)
    back = client.get(path)
    assert back.status_code == 200, "logged in again as soon as Redis is back"
    assert 'id="greeting"' in back.content.decode()


def test_a_session_redis_does_not_have_is_still_no_session(settings: Settings, redis_sessions: str) -> None:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    response = client.get(HOME)
    assert response.status_code == 302, "an unknown session is a visitor who must log in, as before"
    assert sys.modules["minasidor.core.sessions"].SessionStore.unreachable is False


def test_a_full_disk_is_503_not_available_right_now_and_other_os_errors_are_500() -> None:
    status, page = _answer(OSError(errno.ENOSPC, "No space left on device"))
    assert status == 503
    assert "Mina sidor är inte tillgängliga just nu" in page
    assert "No space" not in page, "no details of the error"
    assert _answer(OSError(errno.EACCES, "Permission denied"))[0] == 500


@pytest.mark.usefixtures("demo_backoffice")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("", "Mina sidor är inte tillgängliga just nu"), ("/en", "My pages are not available right now")],
)
def test_a_large_attachment_meeting_a_full_disk_is_told_and_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path, language: str, heading: str
) -> None:
    """Decision 0252: an attachment over 1 MB is written to a temporary file while the request is read; with the
    disk full the citizen gets the 503 page in their language, and no case is opened."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler  # noqa: PLC0415

    def large_pdf() -> SimpleUploadedFile:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Subject": "x" * (1024 * 1024)})  # over FILE_UPLOAD_MAX_MEMORY_SIZE
        out = io.BytesIO()
        writer.write(out)
        return SimpleUploadedFile("intyg.pdf", out.getvalue(), "application/pdf")

    def disk_full(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> None:
        self.file.write(raw_data[:1000])  # a little fits, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)

    karin = make_identity("196201082697", given_name="Karin", family_name="Test")
    client = Client(raise_request_exception=False)
    log_in(client, karin)

    def cases_of_karin() -> int:
        return len(registers().cases(karin.principal, PersonalNumber("196201082697")))

    path = f"{language}/mina-sidor/arenden/ny-fraga/"
    form = client.get(path).content.decode()
    submission = re.search(r'name="submission_id" value="([0-9a-f]{32})"', form)
    assert submission is not None
    cases = cases_of_karin()
    data = {
        "subject": "Disk full",
        "message": "Has my pension been paid?",
        "submission_id": submission.group(1),
        "attachment": large_pdf(),
    }
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", disk_full)
    response = client.post(path, data)
    assert response.status_code == 503
    assert heading in response.content.decode()
    assert cases_of_karin() == cases, "nothing sent"
    assert list(tmp_path.iterdir()) == [], "nothing half-written kept"

    monkeypatch.undo()  # room again: the same form is sent, once
    data["attachment"] = large_pdf()
    sent = client.post(path, data)
    assert sent.status_code == 302
    assert cases_of_karin() == cases + 1
