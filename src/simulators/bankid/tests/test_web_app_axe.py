"""The virtual app's pages have zero axe-core violations (WCAG 2.x A/AA) in every state, in headless Chromium."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from simulators.bankid.ca import CaBundle
from simulators.bankid.server import SimulatorThread
from simulators.bankid.testing import rp_context

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']"


@pytest.fixture
def page(server: SimulatorThread, browser: Browser) -> Iterator[Page]:
    if not AXE.exists():
        pytest.skip("needs node_modules/axe-core")
    # The pages forbid scripts by CSP; only the test's own axe-core is let in.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def violations(page: Page) -> list[object]:
    page.wait_for_load_state("load")  # a click may still be navigating: check the page it leads to
    page.add_script_tag(content=AXE.read_text())
    found: list[object] = page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations.map(v => [v.id, v.nodes.length])"
    )
    return found


def test_every_state_of_the_virtual_app(page: Page, server: SimulatorThread, bundle: CaBundle) -> None:
    with httpx.Client(base_url=server.rp_base_url, verify=rp_context(bundle), timeout=5) as rp:
        order = rp.post(
            "auth",
            json={
                "endUserIp": "127.0.0.1",
                "userVisibleData": base64.b64encode("Logga in på Mina sidor".encode()).decode(),
                "requirement": {"mrtd": True},
            },
        ).json()
    go, click, fill = page.goto, page.click, page.fill
    states: dict[str, list[object]] = {}
    go(f"{server.app_base_url}/")
    states["start"] = violations(page)
    fill("#qrData", "bankid.not-a-code")
    click("form[action='/scan'] button")
    states["start with error"] = violations(page)
    go(f"{server.app_base_url}/?autostarttoken={order['autoStartToken']}&redirect=null")
    states["launched"] = violations(page)
    click("form[action='/open'] button >> nth=0")
    states["ID document step"] = violations(page)
    click("button[value=scanDocument]")
    states["security code step"] = violations(page)
    fill("#deviceIp", "not-an-ip")
    click("button[value=approve]")
    states["security code with error"] = violations(page)
    fill("#deviceIp", "127.0.0.1")
    click("button[value=approve]")
    states["complete"] = violations(page)
    assert "order complete" in page.content()
    assert states == {state: [] for state in states}
