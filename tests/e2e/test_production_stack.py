"""Requirement: the production stack runs here as one: a citizen logs in through nginx over TLS on instance A,
instance A is stopped, and the citizen goes on, still logged in, on instance B (sessions in Redis); and
`make prod-down` leaves nothing running.

It starts the whole stack (scripts/prod_stack.py: nginx, two portal instances, the back office API, workers,
simulators, PostgreSQL and Redis), so it runs only when asked: `make prod-journey` (MINASIDOR_PROD_STACK=1).
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import axe_violations, describe

pytestmark = pytest.mark.skipif(
    os.environ.get("MINASIDOR_PROD_STACK") != "1", reason="starts the whole production stack: make prod-journey"
)
TOLVAN = "191212121212"


def _stack_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "prod_stack.py"
    spec = importlib.util.spec_from_file_location("prod_stack", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["prod_stack"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stack() -> Iterator[ModuleType]:
    module = _stack_module()
    module.up()
    try:
        yield module
    finally:
        assert module.down() == 0, "make prod-down must leave nothing running"
        assert not any(module._listening(port) for port in module.PORTS.values())


@pytest.fixture
def tls_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(ignore_https_errors=True, locale="sv-SE")  # the stack's test certificate
    page = context.new_page()
    yield page
    context.close()


def _app(stack: ModuleType, path: str, **body: object) -> dict[str, object]:
    response = httpx.post(f"http://127.0.0.1:{stack.BANKID_APP_PORT}{path}", json=body, timeout=10)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def _workers_of(stack: ModuleType, name: str) -> list[int]:
    """The uvicorn worker processes of an instance: its process group, less the supervisor and zombies."""
    group = int((stack.PIDS / f"{name}.pid").read_text())
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid_text, rest = stat.read_text().split(" (", 1)
        except (OSError, ValueError):
            continue
        fields = rest.rsplit(")", 1)[1].split()
        if int(fields[2]) != group or int(pid_text) == group or fields[0] == "Z":
            continue
        command = (stat.parent / "cmdline").read_bytes()
        if b"resource_tracker" not in command:  # multiprocessing's helper, not a worker
            workers.append(int(pid_text))
    return sorted(workers)


def _value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_log_in_on_instance_a_and_go_on_on_instance_b(stack: ModuleType, tls_page: Page) -> None:
    page = tls_page
    base = stack.BASE_URL
    stack.main(["stop", "b"])  # every request goes to A
    assert not stack._listening(stack.PORTALS["b"])
    page.goto(base + "logga-in/")
    assert page.url.startswith("https://127.0.0.1:")
    page.get_by_label("BankID på den här enheten").check()
    page.get_by_role("button", name="Fortsätt").click()
    open_app = page.locator("#bankid-open")
    expect(open_app).to_be_visible(timeout=15000)
    # The page asks for the order's state before the phone approves, as it does while a person opens the app
    # (approved at once, the page went straight back and the poll the metrics below count was never asked).
    with page.expect_response(lambda response: "/bankid/status/" in response.url, timeout=15000) as polled:
        pass
    assert polled.value.status == 200
    token = str(open_app.get_attribute("href")).split("autostarttoken=")[1].split("&")[0]
    order = _app(stack, "/app/open", autoStartToken=token, personalNumber=TOLVAN)
    confirmed = _app(stack, "/app/confirm", orderRef=order["orderRef"], action="approve")
    return_url = str(confirmed["returnUrl"])
    assert return_url.startswith(base), "BankID sends the citizen back through nginx"
    try:
        page.goto(return_url)
    except Exception as error:  # the page may move on by itself first (see test_bankid_login)
        if "ERR_ABORTED" not in str(error):
            raise
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"), timeout=15000)
    expect(page.locator("#greeting")).to_contain_text("Tolvan Tolvansson")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["__Host-session"]["secure"], "the production profile's cookie, over TLS"
    # The operators see it: instance A's workers add up their metrics, the back office API counts its reads.
    metrics = httpx.get(f"http://127.0.0.1:{stack.PORTALS['a']}/-/metrics", timeout=10).text
    assert _value(metrics, 'minasidor_bankid_orders_total{state="logged_in"}') >= 1
    assert _value(metrics, 'minasidor_http_requests_total{method="GET",route="bankid:status",status="200"}') >= 1
    backoffice = httpx.get(f"http://127.0.0.1:{stack.BACKOFFICE_PORT}/internal/metrics", timeout=10).text
    assert (
        _value(backoffice, 'minasidor_backoffice_api_requests_total{method="GET",route="snapshot",status="200"}') >= 1
    )
    ready = httpx.get(base + "-/ready", verify=False, timeout=10).json()  # noqa: S501 - the stack's test certificate
    assert ready["status"] == "ready", ready

    stack.main(["start", "b"])
    stack.main(["stop", "a"])  # A is gone: B must carry on with the same session
    assert not stack._listening(stack.PORTALS["a"])
    page.goto(base + "mina-sidor/")
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator("#greeting")).to_contain_text("Tolvan Tolvansson")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.goto(base + "en/mina-sidor/")
    expect(page.locator("#greeting")).to_contain_text("Tolvan Tolvansson")
    log = (stack.LOGS / "nginx-access.log").read_text().splitlines()
    served_by = log[-1].split("upstream=", 1)[1].split(" upstream_time=")[0].split(", ")[-1]
    assert served_by == f"127.0.0.1:{stack.PORTALS['b']}", "the last page came from instance B (A tried first is fine)"
    stack.main(["start", "a"])

    # A fault: one worker of instance B killed outright (kill -9). uvicorn starts another; nginx sends what
    # the dead worker's connections held to the next instance; the citizen stays logged in (Redis sessions).
    workers = _workers_of(stack, "portal-b")
    assert len(workers) == stack.WORKERS_PER_INSTANCE, workers
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(3):
        page.goto(base + "mina-sidor/")
        expect(page.locator("#greeting")).to_contain_text("Tolvan Tolvansson")
