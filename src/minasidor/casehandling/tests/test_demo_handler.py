"""Requirement (issue 18.5, brief of 2026-12-05): ``make demo-data`` creates a demo case handler with a published,
test-only password and authenticator secret, who logs in through the staff login to the case handlers' pages;
the account is refused without the simulators (as in production), and so are its codes at the login."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings

from minasidor.casehandling.decorators import CASE_HANDLERS_GROUP
from minasidor.staff import demo
from minasidor.staff.models import StaffTotpDevice

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

STAFF = "/" + settings.STAFF_ADMIN_PATH


def _code() -> str:
    out = io.StringIO()
    call_command("seed_demo_handler", "--code", stdout=out)
    return out.getvalue().strip()


def _log_in(client: Client) -> int:
    response = client.post(
        f"{STAFF}login/",
        {"username": demo.DEMO_HANDLER_USERNAME, "password": demo.DEMO_HANDLER_PASSWORD, "otp": _code()},
    )
    return response.status_code


def test_the_demo_handler_logs_in_with_the_published_secrets_and_sees_the_queue() -> None:
    assert demo.CASE_HANDLERS_GROUP == CASE_HANDLERS_GROUP
    out = io.StringIO()
    call_command("seed_demo_handler", stdout=out)
    printed = out.getvalue()
    assert demo.DEMO_HANDLER_PASSWORD in printed
    assert f"secret={demo.DEMO_HANDLER_TOTP_SECRET}" in printed
    assert "TEST ONLY" in printed
    client = Client()
    assert _log_in(client) == 302
    queue = client.get(f"{STAFF}arenden/")
    assert queue.status_code == 200
    assert 'id="queue"' in queue.content.decode()


def test_made_again_it_is_one_account_with_the_same_secret() -> None:
    call_command("seed_demo_handler", stdout=io.StringIO())
    call_command("seed_demo_handler", stdout=io.StringIO())
    assert StaffTotpDevice.objects.filter(user__username=demo.DEMO_HANDLER_USERNAME).count() == 1


def test_without_the_simulators_the_demo_handler_is_refused(settings: Settings) -> None:
    call_command("seed_demo_handler", stdout=io.StringIO())
    settings.SIMULATORS_ENABLED = False
    with pytest.raises(CommandError):
        call_command("seed_demo_handler", stdout=io.StringIO())
    client = Client()
    assert _log_in(client) == 200, "the login form is shown again: the demo secret's code is refused"
    assert client.get(f"{STAFF}arenden/")["Location"].startswith(f"{STAFF}login/")
