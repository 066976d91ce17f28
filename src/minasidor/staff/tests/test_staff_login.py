"""Requirement: the staff administration has its own non-obvious path and login, and needs a password and a
TOTP code used once (ASVS 4.3.1, 2.8); a citizen's session does not open it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from kernel import clock, totp
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.staff.models import StaffLoginFailure, StaffTotpDevice
from minasidor.staff.services import totp_device_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-test-only-password-for-staff-1"  # test-only
ADMIN = "/" + settings.STAFF_ADMIN_PATH


@pytest.fixture
def staff_user() -> User:
    user: User = get_user_model().objects.create_user(username="handlaggare", password=PASSWORD, is_staff=True)
    return user


def _code(user: User, at: dt.datetime) -> str:
    device = StaffTotpDevice.objects.get(user=user)
    return totp.totp(totp.key_from(device.secret), at)


def _log_in(client: Client, code: str, password: str = PASSWORD) -> int:
    response = client.post(f"{ADMIN}login/", {"username": "handlaggare", "password": password, "otp": code})
    return response.status_code


def test_the_administration_is_not_at_the_obvious_path(client: Client) -> None:
    assert ADMIN != "/admin/"
    assert client.get("/admin/").status_code == 404
    assert client.get(ADMIN)["Location"].startswith(f"{ADMIN}login/")


def test_password_and_code_log_in_and_a_code_works_once(
    client: Client, staff_user: User, frozen_clock: clock.FrozenClock
) -> None:
    totp_device_create(user=staff_user)
    code = _code(staff_user, frozen_clock())
    assert _log_in(client, code) == 302
    assert client.get(ADMIN).status_code == 200
    other = Client()
    assert _log_in(other, code) == 200, "a used code is refused (replay)"
    assert other.get(ADMIN).status_code == 302


def test_a_password_without_the_right_code_is_refused(
    client: Client, staff_user: User, frozen_clock: clock.FrozenClock
) -> None:
    totp_device_create(user=staff_user)
    response = client.post(f"{ADMIN}login/", {"username": "handlaggare", "password": PASSWORD, "otp": "000000"})
    assert response.status_code == 200
    assert "autentiseringsappen" in response.content.decode()
    assert _log_in(client, "") == 200
    assert _log_in(client, _code(staff_user, frozen_clock()), password="wrong") == 200
    assert client.get(ADMIN).status_code == 302


def test_staff_without_a_registered_app_cannot_log_in(client: Client, staff_user: User) -> None:
    assert _log_in(client, "123456") == 200
    assert client.get(ADMIN).status_code == 302


def test_an_old_code_is_refused(client: Client, staff_user: User, frozen_clock: clock.FrozenClock) -> None:
    totp_device_create(user=staff_user)
    code = _code(staff_user, frozen_clock())
    frozen_clock.advance(dt.timedelta(minutes=2))
    assert _log_in(client, code) == 200


def test_a_citizen_session_does_not_open_the_administration(client: Client) -> None:
    log_in(client, make_identity())
    assert client.get(ADMIN).status_code == 302


def _message(response: Any) -> list[str]:
    return [str(error) for error in response.context["form"].non_field_errors()]


def test_every_failure_gets_the_same_answer_whether_or_not_the_password_was_right(
    staff_user: User, frozen_clock: clock.FrozenClock, settings: Settings
) -> None:
    """Issue 12.2: a right password with a wrong code used to get another message than a wrong password."""
    settings.STAFF_LOGIN_FAILURES_PER_HOUR = 100
    settings.RATE_LIMITS = {}
    totp_device_create(user=staff_user)
    right_code = _code(staff_user, frozen_clock())
    attempts = {
        "right password, wrong code": (PASSWORD, "000000"),
        "wrong password, wrong code": ("wrong-password-1", "000000"),
        "wrong password, right code": ("wrong-password-1", right_code),
        "right password, malformed code": (PASSWORD, "12ab"),
        "wrong password, malformed code": ("wrong-password-1", "12ab"),
        "right password, no code": (PASSWORD, ""),
        "wrong password, no code": ("wrong-password-1", ""),
    }
    answers = {}
    for case, (password, code) in attempts.items():
        response = Client().post(f"{ADMIN}login/", {"username": "handlaggare", "password": password, "otp": code})
        assert response.status_code == 200, case
        answers[case] = (_message(response), response.context["form"].errors.get("otp"))
    # Same non-field message for every failure, and the code field's own errors do not depend on the password.
    assert {repr(message) for message, _ in answers.values()} == {
        repr(["Ange rätt användarnamn, lösenord och kod från autentiseringsappen."])
    }
    assert answers["right password, malformed code"] == answers["wrong password, malformed code"]
    assert answers["right password, no code"] == answers["wrong password, no code"]
    assert answers["right password, wrong code"] == answers["wrong password, wrong code"]
    assert _log_in(Client(), right_code) == 302, "a code tried with a wrong password is not used up"


def test_an_unknown_account_gets_the_same_answer(client: Client, staff_user: User) -> None:
    totp_device_create(user=staff_user)
    known = client.post(f"{ADMIN}login/", {"username": "handlaggare", "password": PASSWORD, "otp": "000000"})
    unknown = client.post(f"{ADMIN}login/", {"username": "ingen-alls", "password": PASSWORD, "otp": "000000"})
    assert _message(known) == _message(unknown)


def test_failures_to_one_account_are_limited_across_sessions_and_addresses(
    staff_user: User, frozen_clock: clock.FrozenClock, settings: Settings
) -> None:
    """Issue 12.2 / ASVS 2.2.1: the limit is the account's, not the session's or the address's."""
    settings.STAFF_LOGIN_FAILURES_PER_HOUR = 5
    settings.RATE_LIMITS = {}
    totp_device_create(user=staff_user)
    for attempt in range(5):
        fresh = Client(REMOTE_ADDR=f"192.0.2.{attempt + 1}")
        assert _log_in(fresh, "000000", password=f"guess-{attempt}-password") == 200
    assert StaffLoginFailure.objects.count() == 5
    blocked = Client(REMOTE_ADDR="198.51.100.7")
    response = blocked.post(
        f"{ADMIN}login/", {"username": "handlaggare", "password": PASSWORD, "otp": _code(staff_user, frozen_clock())}
    )
    assert response.status_code == 200, "the right password and code do not open a locked account"
    assert _message(response) == [
        "Det här kontot har haft för många misslyckade inloggningar. Försök igen om en timme."
    ]
    assert blocked.get(ADMIN).status_code == 302
    assert StaffTotpDevice.objects.get(user=staff_user).last_used_step is None, "a locked login checks nothing"
    other = get_user_model().objects.create_user(username="kollega", password=PASSWORD, is_staff=True)
    totp_device_create(user=other)
    colleague = Client()
    assert (
        colleague.post(
            f"{ADMIN}login/", {"username": "kollega", "password": PASSWORD, "otp": _code(other, frozen_clock())}
        ).status_code
        == 302
    ), "another account is not locked"
    frozen_clock.advance(dt.timedelta(hours=1, seconds=1))
    assert _log_in(Client(), _code(staff_user, frozen_clock())) == 302, "failures older than an hour count no more"
    assert _log_in(Client(), "000000") == 200
    assert StaffLoginFailure.objects.count() == 1, "a new failure deletes the ones older than the window"


def test_an_unknown_account_is_limited_too(frozen_clock: clock.FrozenClock, settings: Settings) -> None:
    settings.STAFF_LOGIN_FAILURES_PER_HOUR = 2
    settings.RATE_LIMITS = {}
    for _ in range(3):
        response = Client().post(f"{ADMIN}login/", {"username": "ingen", "password": "x" * 12, "otp": "000000"})
    assert "för många" in _message(response)[0]
    assert not StaffLoginFailure.objects.filter(account__contains="ingen").exists(), "the name is kept hashed"


def test_the_limit_cannot_be_set_above_what_asvs_allows() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import minasidor.conf.settings"],
        env={**os.environ, "MINASIDOR_STAFF_LOGIN_FAILURES_PER_HOUR": "101"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "MINASIDOR_STAFF_LOGIN_FAILURES_PER_HOUR" in result.stderr
