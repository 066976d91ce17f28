"""Benchmark: BankID status polls the portal sustains with many logins in flight, and their latency.

Starts the BankID test server and the portal (uvicorn, one process) on loopback, starts N logins
("BankID on another device") from N separate browser sessions, then has every session ask the status
endpoint once a second, as the login page does, for a fixed time. Prints the polls answered per second,
the ratio to the rate asked for, latency percentiles, and errors. Bounded in count and time; loopback only.

    python benchmarks/bankid_status_bench.py [--logins 1000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a server exited early (code {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


async def _start_login(client: httpx.AsyncClient) -> None:
    page = await client.get("/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = await client.post(
        "/logga-in/", data={"method": "bankid-other-device", "csrfmiddlewaretoken": token.group(1)}
    )
    if response.status_code != 302:
        raise RuntimeError(f"starting a login answered {response.status_code}")


async def _poll(
    client: httpx.AsyncClient, until: float, latencies: list[float], errors: list[int], offset: float
) -> None:
    await asyncio.sleep(offset)  # browsers do not all ask in the same instant
    while time.monotonic() < until:
        began = time.monotonic()
        try:
            response = await client.get("/logga-in/bankid/status/")
            if response.status_code != 200:
                errors.append(response.status_code)
        except httpx.HTTPError:
            errors.append(0)
        latencies.append(time.monotonic() - began)
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - began)))


async def _run(base_url: str, logins: int, seconds: float) -> None:
    limits = httpx.Limits(max_connections=1)
    clients = [httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) for _ in range(logins)]
    semaphore = asyncio.Semaphore(50)

    async def start(client: httpx.AsyncClient) -> None:
        async with semaphore:
            await _start_login(client)

    began = time.monotonic()
    await asyncio.gather(*(start(client) for client in clients))
    setup = time.monotonic() - began
    single: list[float] = []
    for _ in range(100):
        began = time.monotonic()
        await clients[0].get("/logga-in/bankid/status/")
        single.append(time.monotonic() - began)
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    began = time.monotonic()
    offsets = random.Random(0)  # noqa: S311 - spreading requests in time, not a secret
    await asyncio.gather(*(_poll(client, until, latencies, errors, offsets.random()) for client in clients))
    elapsed = time.monotonic() - began
    for client in clients:
        await client.aclose()

    answered = len(latencies) / elapsed
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    lines = [
        f"BankID logins in flight:         {logins} (started in {setup:.1f} s, {logins / setup:.0f} starts/s)",
        f"status polls asked for:          {logins} per second (each page asks once a second)",
        f"status polls answered:           {answered:.0f} per second over {elapsed:.1f} s",
        f"ratio answered / asked:          {answered / logins:.2f}",
        f"latency p50 / p95 / p99:         {statistics.median(ordered) * 1000:.0f} / {p95 * 1000:.0f} / "
        f"{p99 * 1000:.0f} ms",
        f"errors:                          {len(errors)}",
        f"one poll alone (no other load):  p50 {statistics.median(single) * 1000:.1f} ms",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        rp_port, app_port, portal_port = _free_port(), _free_port(), _free_port()
        sim_dir = work / "bankid"
        env = {
            **os.environ,
            "MINASIDOR_VAR_DIR": str(work),
            "MINASIDOR_BANKID_BASE_URL": f"https://127.0.0.1:{rp_port}/rp/v6.0/",
            "MINASIDOR_BANKID_CERT_FILE": str(sim_dir / "rp.pem"),
            "MINASIDOR_BANKID_KEY_FILE": str(sim_dir / "rp-key.pem"),
            "MINASIDOR_BANKID_CA_FILE": str(sim_dir / "ssl-root-ca.pem"),
            "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
            "PYTHONPATH": str(ROOT),
            "MINASIDOR_LOG_LEVEL": "WARNING",
        }
        (work / "db").mkdir()
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        simulator = subprocess.Popen(  # noqa: S603 - our own test server
            [
                PYTHON,
                "-m",
                "simulators.bankid",
                "serve",
                "--dir",
                str(sim_dir),
                "--port",
                str(rp_port),
                "--app-port",
                str(app_port),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        portal = None
        try:
            _wait_for_port(app_port, simulator)
            portal = subprocess.Popen(  # noqa: S603 - the portal itself
                [
                    PYTHON,
                    "-m",
                    "uvicorn",
                    "minasidor.asgi:application",
                    "--port",
                    str(portal_port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
            _wait_for_port(portal_port, portal)
            asyncio.run(_run(f"http://127.0.0.1:{portal_port}", args.logins, args.seconds))
        finally:
            for process in (portal, simulator):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
