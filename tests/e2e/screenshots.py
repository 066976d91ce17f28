"""The screenshots in docs/screenshots/ (``make screenshots``): the overview, the forecast and the Min Pension
page at 375 px and 1280 px, so a reviewer can see them without running anything.

Not a test of its own (its name does not start with ``test_``, so ``make e2e`` does not collect it); the make
target runs it by path with the browser journeys' harness: the live server, the demo persons and the Min
Pension test server. Each page is also checked for sideways scrolling at 375 px before it is photographed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from minasidor.identity.tests.factories import log_in, make_identity
from simulators.minpension.server import SimulatorThread

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KARIN = "196201082697"  # 64, about to retire
LENA = "198001139297"  # a registered Min Pension user
SHOTS = [
    ("overview", KARIN, "/mina-sidor/"),
    ("forecast", KARIN, "/mina-sidor/pension/prognos/"),
    ("min-pension", LENA, "/mina-sidor/tjanste-och-privat-pension/"),
]
WIDTHS = (375, 1280)


@pytest.mark.parametrize("shot", SHOTS, ids=[shot[0] for shot in SHOTS])
def test_screenshot(page: Page, live_server: Any, minpension: SimulatorThread, shot: tuple[str, str, str]) -> None:
    name, number, path = shot
    client = Client()
    log_in(client, make_identity(number, given_name="Demo", family_name="Person"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert sideways <= 0, f"{path} scrolls sideways at {width} px"
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
