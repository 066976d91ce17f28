"""Core Web Vitals and page weights (``make vitals``, also run by ``make bench``): prints figures, asserts none.

The start page, the login page, the overview and the forecast are loaded in Debian's Chromium as on a
mid-range phone on a slow 4G network (Lighthouse's mobile profile: 375 px wide, 150 ms round trip, 1.6 Mbit/s
down, 750 kbit/s up, the CPU slowed four times, through the DevTools protocol), each three times in a fresh
browser context (nothing cached), and measured with the browser's own PerformanceObserver:

- **LCP**: the last ``largest-contentful-paint`` entry before the first input;
- **CLS**: the sum of ``layout-shift`` values without recent input (one page view; no session windows);
- **INP proxy**: the longest ``event`` entry (Event Timing, 16 ms threshold) of one click on the page's main
  heading (a real input, nothing navigates): the page's answer to an interaction, not over a whole visit;
- **weight**: bytes transferred (``transferSize``, headers included) for the document and each resource, by
  kind (HTML, CSS, JS, fonts, images, other).

Not a test of its own (its name does not start with ``test_``, so ``make e2e`` does not collect it): the
browser journeys' harness serves the pages (Django's live server, not the production stack: no compression,
no HTTP/2), so the weights are uncompressed, and on a shared machine the times move with its load.
"""

from __future__ import annotations

import statistics
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser

from minasidor.identity.tests.factories import log_in, make_identity
from simulators.minpension.server import SimulatorThread

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "flushable_access_log"),
]

KARIN = "196201082697"  # 64, about to retire
PAGES = [  # name, path, logged in
    ("start page", "/", False),
    ("login page", "/logga-in/", False),
    ("overview", "/mina-sidor/", True),
    ("forecast", "/mina-sidor/pension/prognos/", True),
]
RUNS = 3
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
OBSERVE = """
window.__vitals = {lcp: 0, cls: 0, inp: 0, inputs: 0};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__vitals.lcp = entry.renderTime || entry.loadTime || entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__vitals.cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__vitals.inputs += 1;
    window.__vitals.inp = Math.max(window.__vitals.inp, entry.duration);
  }
}).observe({type: "event", buffered: true, durationThreshold: 16});
"""
WEIGHTS = """
() => {
  const kinds = {html: 0, css: 0, js: 0, fonts: 0, images: 0, other: 0};
  const navigation = performance.getEntriesByType("navigation")[0];
  kinds.html += navigation ? navigation.transferSize : 0;
  for (const entry of performance.getEntriesByType("resource")) {
    const path = new URL(entry.name).pathname;
    const kind = /\\.css$/.test(path) ? "css" : /\\.m?js$/.test(path) ? "js"
      : /\\.(woff2?|ttf|otf)$/.test(path) ? "fonts" : /\\.(svg|png|jpe?g|webp|gif|ico)$/.test(path) ? "images"
      : "other";
    kinds[kind] += entry.transferSize;
  }
  return kinds;
}
"""


def _session_key() -> str:
    """A new logged-in session for each load (the login page ends the session it is opened in)."""
    client = Client()
    log_in(client, make_identity(KARIN, given_name="Demo", family_name="Person"))
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _measure(browser: Browser, base_url: str, path: str, *, logged_in: bool) -> dict[str, Any]:
    context = browser.new_context(base_url=base_url, locale="sv-SE", viewport={"width": 375, "height": 800})
    if logged_in:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session_key(), "url": base_url}])
    context.add_init_script(OBSERVE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(path, wait_until="load")
    assert page.url == base_url + path, f"{path} led to {page.url}: not the page to measure"
    page.wait_for_timeout(500)
    page.locator("h1").first.click()
    page.wait_for_timeout(300)
    vitals: dict[str, Any] = page.evaluate("window.__vitals")
    vitals["weights"] = page.evaluate(WEIGHTS)
    context.close()
    return vitals


def test_web_vitals(browser: Browser, live_server: Any, minpension: SimulatorThread) -> None:
    rows = [
        "",
        f"Core Web Vitals, slow 4G and a 4× slower CPU at 375 px, median of {RUNS} cold loads (Django's live server):",
        "| page | LCP | CLS | INP proxy | HTML | CSS | JS | fonts | images | other | total |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, path, logged_in in PAGES:
        runs = [_measure(browser, live_server.url, path, logged_in=logged_in) for _ in range(RUNS)]
        lcp = statistics.median(run["lcp"] for run in runs)
        cls = statistics.median(run["cls"] for run in runs)
        inp = statistics.median(run["inp"] for run in runs)
        weights = {kind: statistics.median(run["weights"][kind] for run in runs) for kind in runs[0]["weights"]}
        kib = " | ".join(
            f"{weights[kind] / 1024:.1f} KiB" for kind in ("html", "css", "js", "fonts", "images", "other")
        )
        inp_text = f"{inp:.0f} ms" if inp else "< 16 ms"
        rows.append(
            f"| {name} | {lcp:.0f} ms | {cls:.3f} | {inp_text} | {kib} | {sum(weights.values()) / 1024:.1f} KiB |"
        )
    sys.stdout.write("\n".join(rows) + "\n")
