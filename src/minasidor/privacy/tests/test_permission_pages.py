"""Requirement (issue 19): the citizen gives customer service a temporary permission on Mina sidor, sees the code
to read out, sees on their pages who holds it and for how long, and ends it at once or by logging out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.services import permission_take
from minasidor.temporary_access.types import Agent, EndReason

pytestmark = pytest.mark.django_db

PAGE = "/mina-sidor/tillfallig-behorighet/"
AGENT = Agent(ref="K1001", name="Kim Agent", session_ref="s1")


def _code(html: str) -> str:
    match = re.search(r'data-testid="permission-code">(\d{3}) (\d{3})<', html)
    assert match, "the code is shown"
    return match[1] + match[2]


def test_the_citizen_chooses_scope_and_length_and_gets_a_code(
    citizen_client: Client, frozen_clock: clock.FrozenClock
) -> None:
    page = citizen_client.get(PAGE)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert b'name="scopes"' in page.content
    assert b'value="60"' in page.content
    response = citizen_client.post(PAGE, {"scopes": ["overview", "forecast"], "minutes": "15"})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    html = citizen_client.get(PAGE).content.decode()
    code = _code(html)
    assert "Nobody yet" in html or "ingen" in html.lower()
    permission = TemporaryPermission.objects.get()
    assert permission.scope_list == ("forecast", "overview")
    assert permission.expires_at == clock.now() + dt.timedelta(minutes=15)
    assert AccessRecord.objects.filter(action="temporary_access.given").count() == 1

    assert permission_take(agent=AGENT, code=code) is not None
    html = citizen_client.get("/en" + PAGE).content.decode()
    assert "Kim Agent (K1001)" in html
    assert 'data-testid="permission-code"' not in html, "the code is gone once used"
    access_log = citizen_client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "Kim Agent (K1001) at customer service can see your data." in access_log, "the banner on every page"
    assert "Customer service (K1001)" in access_log, "the access log names the agent"


def test_nothing_chosen_is_an_error_with_the_field(citizen_client: Client, frozen_clock: clock.FrozenClock) -> None:
    response = citizen_client.post("/en" + PAGE, {"minutes": "15"})
    assert response.status_code == 200
    assert b"Choose at least one thing customer service may see" in response.content
    response = citizen_client.post("/en" + PAGE, {"scopes": ["overview"], "minutes": "240"})
    assert b"govuk-error-message" in response.content
    assert not TemporaryPermission.objects.exists()


def test_end_now_ends_it_and_the_banner_goes(citizen_client: Client, frozen_clock: clock.FrozenClock) -> None:
    citizen_client.post(PAGE, {"scopes": ["overview"], "minutes": "30"})
    permission = TemporaryPermission.objects.get()
    assert citizen_client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/").content.count(b"permission-banner-title")
    response = citizen_client.post(PAGE + "avsluta/", {"reference": str(permission.reference)})
    assert response.status_code == 302
    permission.refresh_from_db()
    assert permission.end_reason == EndReason.CITIZEN
    assert b"permission-banner-title" not in citizen_client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/").content
    assert b'name="scopes"' in citizen_client.get(PAGE).content, "the form again"


def test_another_citizen_cannot_end_or_see_it(client: Client, frozen_clock: clock.FrozenClock) -> None:
    log_in(client, make_identity())
    client.post(PAGE, {"scopes": ["overview"], "minutes": "30"})
    permission = TemporaryPermission.objects.get()
    other = Client()
    log_in(other, make_identity("198501139995"))
    assert b'data-testid="permission-code"' not in other.get(PAGE).content
    other.post(PAGE + "avsluta/", {"reference": str(permission.reference)})
    permission.refresh_from_db()
    assert permission.ended_at is None


def test_logging_out_ends_it(citizen_client: Client, frozen_clock: clock.FrozenClock) -> None:
    citizen_client.post(PAGE, {"scopes": ["overview"], "minutes": "60"})
    citizen_client.post("/logga-ut/")
    permission = TemporaryPermission.objects.get()
    assert permission.end_reason == EndReason.CITIZEN_LOGOUT


def test_without_a_swedish_number_there_is_nothing_to_give(client: Client, frozen_clock: clock.FrozenClock) -> None:
    log_in(client, make_foreign_identity())
    response = client.get("/en" + PAGE)
    assert b"logged in without one" in response.content
    assert b'name="scopes"' not in response.content
    client.post(PAGE, {"scopes": ["overview"], "minutes": "15"})
    assert not TemporaryPermission.objects.exists()


def _banner(client: Client) -> str:
    html = client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    match = re.search(r'data-testid="permission-until">([^<]*)<', html)
    return match[1] if match else ""


def test_the_banner_shows_in_every_session_of_the_citizen(frozen_clock: clock.FrozenClock) -> None:
    """Issue 19: not only in the session that gave the permission; and gone from all when it ends."""
    citizen = make_identity("198501139995", given_name="Johan", family_name="Sund")
    giving, other = Client(), Client()
    log_in(giving, citizen)
    log_in(other, citizen)
    assert _banner(other) == ""
    giving.post(PAGE, {"scopes": ["overview"], "minutes": "30"})
    until = timezone.localtime(clock.now() + dt.timedelta(minutes=30)).strftime("%H:%M")
    assert f"Customer service can see your data until {until}" in _banner(other)
    assert f"Customer service can see your data until {until}" in _banner(giving)
    giving.post(f"{PAGE}avsluta/", {"reference": str(TemporaryPermission.objects.get().reference)})
    assert _banner(other) == ""
    assert _banner(giving) == ""


def test_a_permission_started_in_the_console_shows_in_the_citizens_session(frozen_clock: clock.FrozenClock) -> None:
    from kernel.personal_number import PersonalNumber  # noqa: PLC0415
    from minasidor.temporary_access.services import permission_give_by_personal_code  # noqa: PLC0415

    citizen = make_identity("198501139995", given_name="Johan", family_name="Sund")
    client = Client()
    log_in(client, citizen)
    permission_give_by_personal_code(agent=AGENT, personal_number=PersonalNumber("198501139995"))
    assert "Customer service can see your data until" in _banner(client)
    frozen_clock.advance(dt.timedelta(minutes=16))
    assert _banner(client) == "", "ended by time: no banner, and no query once the mark has run out"


def test_a_page_without_a_live_permission_asks_the_database_nothing_about_it(frozen_clock: clock.FrozenClock) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    citizen = make_identity("198501139995", given_name="Johan", family_name="Sund")
    client = Client()
    log_in(client, citizen)
    given = Client()
    log_in(given, citizen)
    given.post(PAGE, {"scopes": ["overview"], "minutes": "15"})
    given.post(f"{PAGE}avsluta/", {"reference": str(TemporaryPermission.objects.get().reference)})
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/")
    assert not [q for q in queries.captured_queries if "temporary_access_temporarypermission" in q["sql"]]
