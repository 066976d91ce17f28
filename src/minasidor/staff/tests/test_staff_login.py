"""Requirement: the staff administration has its own non-obvious path and login, and needs a password and a
TOTP code used once (ASVS 4.3.1, 2.8); a citizen's session does not open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from kernel import clock, totp
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.staff.models import StaffTotpDevice
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
