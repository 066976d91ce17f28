"""Requirement (issue 14.3): every page reflows at 375 and 320 px (WCAG 1.4.10) with zero axe violations.

For every demo person, in Swedish and in English, each page they can reach after login and the public pages
are opened at 375 px, checked with axe-core, and narrowed to 320 px: the page never scrolls sideways (a wide
table scrolls inside its own labelled region instead), and the way to log out is at the top of the page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from backoffice.synthetic.demo import DEMO_PERSONS
from minasidor.identity.tests.factories import log_in, make_identity
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import axe_violations, describe

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

PUBLIC_PAGES = ["/", "/personuppgifter/", "/tillganglighet/", "/hjalp/", "/logga-in/"]
CITIZEN_PAGES = [
    "/mina-sidor/",
    "/mina-sidor/pension/prognos/",
    "/mina-sidor/tjanste-och-privat-pension/",
    "/mina-sidor/vem-har-sett-mina-uppgifter/",
    "/mina-sidor/tillfallig-behorighet/",
    "/mina-sidor/arenden/",
    "/mina-sidor/ansok/",
    "/mina-sidor/bostadstillagg/",
    "/mina-sidor/uppgifter/",
    "/mina-sidor/uppgifter/skatt/",
    "/mina-sidor/ansok/andra-uttag/",
    "/mina-sidor/dela/",
]
NARROW = (375, 320)


def _log_in(page: Page, live_server: Any, number: str) -> None:
    client = Client()
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])


def _sideways(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


# The outermost elements that reach past the window's right edge, to name in a failure.
_OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > limit + 1);
  const outermost = wide.filter(e => !wide.includes(e.parentElement) || e.parentElement.scrollWidth <= limit);
  return outermost.slice(-4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''));
}"""


def _check(page: Page, path: str, problems: list[str]) -> None:
    page.set_viewport_size({"width": NARROW[0], "height": 800})
    page.goto(path)
    violations = axe_violations(page)
    if violations:
        problems.append(f"{path}: axe: {describe(violations)}")
    for width in NARROW:
        page.set_viewport_size({"width": width, "height": 800})
        if (extra := _sideways(page)) > 0:
            culprits = page.evaluate(_OVERFLOWING)
            problems.append(f"{path} at {width} px scrolls sideways by {extra} px: {culprits}")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_pages_reflow(page: Page, live_server: Any, language: str) -> None:
    prefix = "/en" if language == "en" else ""
    problems: list[str] = []
    for path in PUBLIC_PAGES:
        _check(page, prefix + path, problems)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("number", [person.personal_number for person in DEMO_PERSONS])
def test_every_page_of_every_demo_person_reflows_in_both_languages(
    page: Page, live_server: Any, minpension: SimulatorThread, number: str
) -> None:
    _log_in(page, live_server, number)
    problems: list[str] = []
    for prefix in ("", "/en"):
        for path in CITIZEN_PAGES:
            _check(page, prefix + path, problems)
    assert problems == [], "\n".join(problems)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/mina-sidor/")
    logout = page.get_by_role("button", name="Logga ut")
    assert logout.bounding_box()["y"] < 640, "the way to log out is on the first screen of a phone"  # type: ignore[index]
