"""The internal API served the production way (``python -m backoffice.api``: gunicorn, one process, threads)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from backoffice.api.__main__ import options_from


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "minasidor.conf.settings"}
    server = subprocess.Popen(  # noqa: S603 - our own server
        [sys.executable, "-m", "backoffice.api", "--port", str(port), "--threads", "4"],
        cwd=settings.PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/internal/live", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"the internal API did not answer: {server.stderr.read() if server.stderr else b''!r}")
    yield server, base
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_a_stalled_caller_does_not_hold_up_the_others(served: tuple[subprocess.Popen[bytes], str]) -> None:
    """The reference server answered one call at a time: a caller that sent half a request held up the rest."""
    _, base = served
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as stalled:
        stalled.sendall(b"GET /internal/live HTTP/1.1\r\nHost: backoffice\r\n")  # no blank line: never ends
        answer = httpx.get(f"{base}/internal/live", timeout=3)
    assert answer.status_code == 200


def test_calls_keep_their_connection_open(served: tuple[subprocess.Popen[bytes], str]) -> None:
    """HTTP/1.1 with keep-alive: the portal's pooled client reuses one connection (HTTP/1.0 closed each)."""
    _, base = served
    with httpx.Client(base_url=base, timeout=5) as client:
        first = client.get("/internal/live")
        second = client.get("/internal/live")
    assert first.http_version == second.http_version == "HTTP/1.1"
    assert first.headers.get("connection", "").lower() != "close"
    assert second.status_code == 200


def test_stopping_it_leaves_nothing_running(served: tuple[subprocess.Popen[bytes], str]) -> None:
    server, base = served
    workers = _children_of(server.pid)
    assert len(workers) == 1  # one worker process: the API's metrics are that process's own
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/internal/live", timeout=2)


def test_it_serves_as_deployed_on_one_port_with_threads() -> None:
    options = options_from(["--host", "0.0.0.0", "--port", "8001", "--threads", "6"])  # noqa: S104 - a container's
    assert options["bind"] == "0.0.0.0:8001"
    assert (options["workers"], options["worker_class"], options["threads"]) == (1, "gthread", 6)
    assert options["accesslog"] is None
