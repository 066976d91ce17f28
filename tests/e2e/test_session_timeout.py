"""Requirement: the session timeout warning (WCAG 2.2.1) is shown before the end, announced, extends the
session with one action, keeps open tabs in step, and then the session expires to a page that says so —
with zero axe violations in each state. Time moves through the clock seam (server) and Playwright's clock
(browser), not by waiting fifteen minutes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from playwright.sync_api import Page, expect

from kernel import clock
from minasidor.identity.session import identity_login
from minasidor.identity.tests.factories import make_identity
from tests.e2e.conftest import axe_violations, describe

# The landing page after login reads the register (the back office's database).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

DIALOG = "#session-timeout"


@pytest.fixture
def server_clock() -> Iterator[clock.FrozenClock]:
    with clock.frozen(dt.datetime.now(tz=dt.UTC)) as frozen:
        yield frozen


def _log_in(page: Page, live_server: Any) -> None:
    request = RequestFactory().get("/")
    SessionMiddleware(lambda _: HttpResponse()).process_request(request)
    identity_login(request, make_identity())
    request.session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": str(request.session.session_key), "url": live_server.url}]
    )


def _no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_warning_extend_then_expire(page: Page, live_server: Any, server_clock: clock.FrozenClock) -> None:
    _log_in(page, live_server)
    page.clock.install()
    page.goto("/mina-sidor/")
    expect(page.locator("#greeting")).to_contain_text("Välkommen, Tolvan Tolvansson")
    expect(page.locator(DIALOG)).to_be_hidden()
    _no_axe_violations(page)

    # 13 min 30 s without activity: the warning, 90 s before the end (more than 20 s to respond).
    server_clock.advance(dt.timedelta(minutes=13, seconds=30))
    page.clock.fast_forward("13:30")
    dialog = page.get_by_role("dialog", name="Du loggas snart ut")
    expect(dialog).to_be_visible(timeout=5000)
    expect(dialog).to_contain_text(re.compile(r"Du loggas ut om (1 minut|\d+ sekunder)"))
    stay = dialog.get_by_role("button", name="Fortsätt vara inloggad")
    expect(stay).to_be_focused()
    expect(page.locator("#session-timeout-announcement")).to_contain_text("Du loggas ut om")
    _no_axe_violations(page)

    # One action extends the session on the server.
    stay.click()
    expect(page.locator(DIALOG)).to_be_hidden(timeout=5000)
    status = page.request.get("/sessionen/").json()
    assert status["active"] is True
    assert status["remaining"] == 15 * 60
    _no_axe_violations(page)

    # Fifteen more minutes without activity: the session ends and the page says why.
    server_clock.advance(dt.timedelta(minutes=15, seconds=1))
    page.clock.fast_forward("15:01")
    expect(page).to_have_url(re.compile(r"/sessionen-har-upphort/$"), timeout=5000)
    expect(page.locator("h1")).to_have_text("Din session har avslutats")
    expect(page.locator("main")).to_contain_text("inte gjort något på 15 minuter")
    _no_axe_violations(page)
    assert page.request.get("/mina-sidor/", max_redirects=0).status == 302
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_open_tabs_stay_in_step(page: Page, live_server: Any, server_clock: clock.FrozenClock) -> None:
    _log_in(page, live_server)
    page.clock.install()
    page.goto("/mina-sidor/")
    other = page.context.new_page()
    other.goto("/mina-sidor/vem-har-sett-mina-uppgifter/")
    server_clock.advance(dt.timedelta(minutes=13, seconds=30))
    page.clock.fast_forward("13:30")
    expect(page.locator(DIALOG)).to_be_visible(timeout=5000)
    expect(other.locator(DIALOG)).to_be_visible(timeout=5000)
    other.get_by_role("button", name="Fortsätt vara inloggad").click()
    expect(other.locator(DIALOG)).to_be_hidden(timeout=5000)
    expect(page.locator(DIALOG)).to_be_hidden(timeout=5000)
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/utloggad/$"))
