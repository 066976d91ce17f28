"""The load test's runner (`make load`): locust against the production stack with 2 and then 1 portal instance,
and the figures issue 21 asks for from one run of each.

    python scripts/load_run.py [--instances 2,1] [--users 30] [--seconds 60] [--spawn-rate 5]

It starts the stack (scripts/prod_stack.py, with PROD_TRUSTED_PROXY_HOPS=2: locust plays the load balancer and
gives each simulated citizen an address of its own), and for each instance count (the second instance stopped
for 1) runs `benchmarks/locustfile.py` headless and bounded in time on loopback. Around each run it reads:

- the CPU time (user + system, with reaped children: a restarted worker's counts too) of every process group
  of the stack from /proc — the portal instances, nginx, the back office's API, the BankID test server, the
  task workers — which, unlike wall time, hardly depends on what else the machine runs;
- nginx's access log of the run: requests by route and status, which is what the portal answered (a poll
  answered is a 200; a 503 is shed or deferred; the page then waits as told).

It prints, per instance count: logins completed per second, polls answered per second, p50/p95/p99 per page
(locust's, wall time seen by the simulated browser), failures, and the portal's CPU per request and per login
(every page and poll of one login), then stops the stack. Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("PROD_TRUSTED_PROXY_HOPS", "2")

import prod_stack as stack  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = (
    "portal-a",
    "portal-b",
    "nginx",
    "backoffice-api",
    "bankid",
    "minpension",
    "worker-portal",
    "worker-backoffice",
)
# nginx's log line (deploy/nginx/minasidor.conf, `minasidor`): address [time] "METHOD uri" status bytes seconds ...
ACCESS = re.compile(r'^\S+ \[[^\]]+\] "(\S+) (\S+)" (\d{3}) ')
LOGIN_POLL = "/logga-in/bankid/status/"
SIGNING_POLL = "/sign/bankid/status/"


def write(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by each process group of the stack (its pid file names the group)."""
    groups: dict[int, str] = {}
    for name in GROUPS:
        path = stack.PIDS / f"{name}.pid"
        if path.exists():
            groups[int(path.read_text())] = name
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = groups.get(int(fields[2]))  # the process group
        if group is not None:
            ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
            used[group] = used.get(group, 0.0) + ticks / CLOCK_TICKS
    return used


def route(uri: str) -> str:
    """The access log's path as a kind of request (personal parts of a path are ids, never shown)."""
    if uri in (LOGIN_POLL, SIGNING_POLL):
        return uri
    if uri.startswith("/static/"):
        return "static"
    return "page"


def access_since(offset: int) -> Counter[tuple[str, int]]:
    log = stack.LOGS / "nginx-access.log"
    counted: Counter[tuple[str, int]] = Counter()
    with log.open("rb") as lines:
        lines.seek(offset)
        for raw in lines:
            found = ACCESS.match(raw.decode(errors="replace"))
            if found:
                counted[(route(found.group(2)), int(found.group(3)))] += 1
    return counted


def locust(users: int, seconds: int, spawn_rate: float, prefix: Path) -> int:
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "--host",
        stack.BASE_URL.rstrip("/"),
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--csv",
        str(prefix),
    ]
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)  # noqa: S603 - our own
    if done.returncode not in (0, 1):  # 1: some request failed, which the figures show
        write(done.stdout[-3000:] + done.stderr[-3000:])
    return done.returncode


def run(instances: int, users: int, seconds: int, spawn_rate: float) -> None:
    if instances == 1:
        stack.main(["stop", "b"])
    elif stack._pid("portal-b") is None:
        stack.main(["start", "b"])
    time.sleep(2)
    offset = (stack.LOGS / "nginx-access.log").stat().st_size
    before, started = cpu_seconds(), time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        status = locust(users, seconds, spawn_rate, prefix)
        elapsed = time.monotonic() - started
        after = cpu_seconds()
        rows = list(csv.DictReader((prefix.parent / "load_stats.csv").open()))
    access = access_since(offset)
    used = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in after}
    portal_cpu = used.get("portal-a", 0.0) + used.get("portal-b", 0.0)
    portal_requests = sum(count for (kind, _status), count in access.items() if kind != "static")
    by_name = {row["Name"]: row for row in rows}
    logins = int(by_name.get("overview after login", {}).get("Request Count", 0) or 0)
    applications = int(by_name.get("application signed and sent", {}).get("Request Count", 0) or 0)
    polls_answered = access[(LOGIN_POLL, 200)]
    polls_shed = access[(LOGIN_POLL, 503)]
    write(f"\n## {instances} instance(s) × {stack.WORKERS_PER_INSTANCE} workers, {users} users, {elapsed:.0f} s")
    write(f"locust exit {status}; load average {os.getloadavg()[0]:.1f} at the end (2 cores, shared)")
    write(
        f"logins completed {logins} ({logins / elapsed:.2f}/s); applications signed and sent {applications}; "
        f"status polls answered {polls_answered} ({polls_answered / elapsed:.1f}/s), shed or deferred (503) "
        f"{polls_shed}; signing polls answered {access[(SIGNING_POLL, 200)]}"
    )
    statuses: Counter[int] = Counter()
    for (_kind, code), count in access.items():
        statuses[code] += count
    write(f"portal answers by status: {dict(sorted(statuses.items()))}")
    write(
        f"portal CPU {portal_cpu:.1f} s = {portal_cpu / max(elapsed, 1):.2f} cores; "
        f"{1000 * portal_cpu / max(portal_requests, 1):.1f} ms per request ({portal_requests} requests, not static); "
        f"{portal_cpu / max(logins, 1):.2f} s per login completed (all its pages and polls)"
    )
    write("other CPU: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(used.items()) if not k.startswith("portal")))
    write("\n| page | requests | failures | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        write(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} |"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--instances", default="2,1", help="instance counts to run, in order (default 2,1)")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5)
    options = parser.parse_args(argv)
    counts = [int(count) for count in options.instances.split(",")]
    if any(count not in (1, 2) for count in counts):
        parser.error("instances are 1 or 2")
    stack.down()
    try:
        stack.up()
        write(f"load test of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores")
        for count in counts:
            run(count, options.users, options.seconds, options.spawn_rate)
    finally:
        stack.down()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
