"""Benchmark: BankID status polls the portal sustains with many logins in flight, and their latency.

Starts the BankID test server and the portal the production way (``python -m minasidor.serve``: uvicorn
with N worker processes behind one port) on loopback, starts L logins ("BankID on another device") from L
separate browser sessions, then has every session ask the status endpoint once a second, as the login page
does, for a fixed time. Runs every combination of ``--logins`` and ``--workers`` and prints, for each, the
polls answered per second against those asked for, latency percentiles, errors, and the CPU time spent
per answered poll by the portal (all its workers), the BankID test server and the load generator.

The load generator, the test server and the portal share this machine's cores: its CPU share is printed
so the portal's own capacity can be read off (``portal CPU per poll``). Sessions and the cache are in Redis
(``--redis``), which several workers need; ``--sessions db`` compares the database store (one worker only).
Bounded in count and time; loopback only.

    python benchmarks/bankid_status_bench.py [--logins 100,200,1000] [--workers 1,2] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import re
import shutil
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
STATUS_PATH = "/logga-in/bankid/status/"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
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


def bench_environment(work: Path, *, rp_port: int, redis_url: str, key_prefix: str = "") -> dict[str, str]:
    """The environment of the portal under benchmark: the test server's files, limits raised, Redis or not."""
    sim_dir = work / "bankid"
    (work / "db").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "MINASIDOR_VAR_DIR": str(work),
        "MINASIDOR_BANKID_BASE_URL": f"https://127.0.0.1:{rp_port}/rp/v6.0/",
        "MINASIDOR_BANKID_CERT_FILE": str(sim_dir / "rp.pem"),
        "MINASIDOR_BANKID_KEY_FILE": str(sim_dir / "rp-key.pem"),
        "MINASIDOR_BANKID_CA_FILE": str(sim_dir / "ssl-root-ca.pem"),
        "MINASIDOR_BANKID_SIGNING_ROOT_FILE": str(sim_dir / "signing-root-ca.pem"),
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "MINASIDOR_LOG_LEVEL": "WARNING",
        "MINASIDOR_REDIS_URL": redis_url,
        "MINASIDOR_BENCH_KEY_PREFIX": key_prefix,
    }
    return env


async def start_login(client: httpx.AsyncClient) -> None:
    """Choose "BankID on another device" on the login page, as a citizen does (a GET, then the POST)."""
    page = await client.get("/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = await client.post(
        "/logga-in/", data={"method": "bankid-other-device", "csrfmiddlewaretoken": token.group(1)}
    )
    if response.status_code != 302:
        raise RuntimeError(f"starting a login answered {response.status_code}")


class Browser:
    """One login page's polling connection: HTTP/1.1 keep-alive over a raw socket with the session's cookies.

    Cheaper than a full HTTP client, so that less of the shared cores goes to the load generator.
    """

    def __init__(self, port: int, cookies: httpx.Cookies) -> None:
        self.port = port
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.request = (
            f"GET {STATUS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.retry_after: float | None = None  # seconds the last answer asked us to wait, if it did

    async def poll(self) -> int:
        """Ask for the status once; the HTTP status code of the answer. Like a browser, a keep-alive
        connection the server closed while the page waited is opened again once."""
        reused = self.reader is not None
        status_line = await self._ask()
        if not status_line and reused:
            await self.close()
            status_line = await self._ask()
        if not status_line or self.reader is None:
            raise ConnectionError("closed")
        reader = self.reader
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        self.retry_after = None
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
            elif name == "retry-after" and value.isdigit():
                self.retry_after = float(value)
        if chunked:
            while (size := int((await reader.readline()).strip() or b"0", 16)) > 0:
                await reader.readexactly(size + 2)
            await reader.readline()
        else:
            await reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def _ask(self) -> bytes:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None  # noqa: S101 - just opened
        try:
            self.writer.write(self.request)
            await self.writer.drain()
            return await self.reader.readline()
        except ConnectionError:
            return b""

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


@dataclasses.dataclass
class Figures:
    latencies: list[float] = dataclasses.field(default_factory=list)
    errors: dict[int, int] = dataclasses.field(default_factory=dict)
    answered: int = 0


def _page_wait(previous: float, status: int, retry_after: float | None, took: float) -> float:
    """Seconds the login page's script waits before asking again (login.js ``nextDelay``)."""
    if status in {0, 429} or status >= 500:
        if retry_after is not None:
            return max(1.0, min(retry_after, 120.0))
        return max(1.0, min(previous * 2, 30.0))
    return max(1.0, min(2 * took, 30.0))


async def _poll(browser: Browser, until: float, figures: Figures, offset: float, *, like_the_page: bool) -> None:
    """Ask once a second from the start of the last question (fixed rate), or as the page's script does."""
    await asyncio.sleep(offset)  # browsers do not all ask in the same instant
    wait = 1.0
    while time.monotonic() < until:
        began = time.monotonic()
        try:
            status = await asyncio.wait_for(browser.poll(), timeout=30)
        except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
            status = 0
            await browser.close()
        figures.latencies.append(time.monotonic() - began)
        if status == 200:
            figures.answered += 1
        else:
            figures.errors[status] = figures.errors.get(status, 0) + 1
        took = time.monotonic() - began
        if like_the_page:
            wait = _page_wait(wait, status, browser.retry_after, took)
            await asyncio.sleep(wait)
        else:
            await asyncio.sleep(max(0.0, 1.0 - took))


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes and their children (the portal's workers)."""
    total = 0
    wanted = set(pids)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) in wanted or int(fields[1]) in wanted:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[int(share * (len(ordered) - 1))] * 1000 if ordered else float("nan")


# Each run's (polls answered per second, p95 in ms, polls not answered 200, portal CPU ms per poll), for the
# summary per worker count.
RUNS: list[tuple[float, float, int, float]] = []
SUSTAINED_P95_MS = 50.0


def sustained(run: tuple[float, float, int, float]) -> bool:
    """A run the portal sustained: every poll answered 200, p95 at most 50 ms (issue 21's figure)."""
    _, p95, errors, _ = run
    return p95 <= SUSTAINED_P95_MS and errors == 0


def sustained_summary(workers: int) -> str:
    """The highest rate answered in full at p95 <= 50 ms among the runs just made (issue 21's figure)."""
    kept = [run[0] for run in RUNS if sustained(run)]
    RUNS.clear()
    if not kept:
        return f"  sustained by {workers} worker(s) at p95 <= {SUSTAINED_P95_MS:.0f} ms: none of the rates tried"
    return (
        f"  sustained by {workers} worker(s) at p95 <= {SUSTAINED_P95_MS:.0f} ms with every poll answered: "
        f"{max(kept):.0f} polls/s (the highest of the rates tried; try rates between with --logins)"
    )


async def _run_one(
    port: int,
    logins: int,
    seconds: float,
    portal_pid: int,
    simulator_pid: int,
    *,
    profile: str | None,
    like_the_page: bool,
) -> str:
    base_url = f"http://127.0.0.1:{port}"
    clients = [httpx.AsyncClient(base_url=base_url, timeout=60) for _ in range(logins)]
    semaphore = asyncio.Semaphore(50)

    async def start(client: httpx.AsyncClient) -> None:
        async with semaphore:
            await start_login(client)

    began = time.monotonic()
    await asyncio.gather(*(start(client) for client in clients))
    setup = time.monotonic() - began
    browsers = [Browser(port, client.cookies) for client in clients]
    for client in clients:
        await client.aclose()
    single: list[float] = []
    for _ in range(50):
        began = time.monotonic()
        await browsers[0].poll()
        single.append(time.monotonic() - began)

    spy = None
    if profile:  # sample the portal's workers while they answer the polls
        spy_binary = shutil.which("py-spy", path=str(Path(PYTHON).parent)) or shutil.which("py-spy")
        if spy_binary is None:
            raise RuntimeError("--profile needs py-spy (a dev dependency)")
        command = [
            spy_binary,
            "record",
            "--nonblocking",
            "--threads",
            "--idle",
            "--pid",
            str(portal_pid),
            "--subprocesses",
        ]
        spy = subprocess.Popen(  # noqa: S603 - a profiler on our own process
            [
                *command,
                "--duration",
                str(int(seconds)),
                "--rate",
                "100",
                "--format",
                "raw",
                "-o",
                f"{profile}-{logins}.txt",
            ],
            stdout=subprocess.DEVNULL,
        )
    figures = Figures()
    offsets = random.Random(0)  # noqa: S311 - spreading requests in time, not a secret
    cpu_portal, cpu_sim = _cpu_seconds([portal_pid]), _cpu_seconds([simulator_pid])
    cpu_self = time.process_time()
    began = time.monotonic()
    until = began + seconds
    await asyncio.gather(
        *(_poll(browser, until, figures, offsets.random(), like_the_page=like_the_page) for browser in browsers)
    )
    elapsed = time.monotonic() - began
    cpu_portal = _cpu_seconds([portal_pid]) - cpu_portal
    cpu_sim = _cpu_seconds([simulator_pid]) - cpu_sim
    cpu_self = time.process_time() - cpu_self
    for browser in browsers:
        await browser.close()
    if spy is not None:
        spy.wait(timeout=60)

    answered = figures.answered / elapsed
    asked = (figures.answered + sum(figures.errors.values())) / elapsed if like_the_page else float(logins)
    ordered = sorted(figures.latencies)
    errors = sum(figures.errors.values())
    per_poll = cpu_portal / max(1, figures.answered + errors) * 1000
    per_answered = cpu_portal / max(1, figures.answered) * 1000
    RUNS.append((answered, _percentile(ordered, 0.95), errors, per_answered))
    return "\n".join(
        [
            f"  logins in flight {logins} (started in {setup:.1f} s, {logins / setup:.0f} starts/s)",
            f"    polls asked / answered:   {asked:.0f} / {answered:.0f} per second over {elapsed:.1f} s "
            f"(ratio {answered / asked:.2f}; {logins} pages{', waiting as the page does' if like_the_page else ''})",
            f"    latency p50 / p95 / p99:  {statistics.median(ordered) * 1000:.0f} / "
            f"{_percentile(ordered, 0.95):.0f} / {_percentile(ordered, 0.99):.0f} ms",
            f"    not answered 200:         {errors} {dict(sorted(figures.errors.items())) if errors else ''}"
            f"{'  (503: shed or deferred, come back later; 0: no answer in 30 s)' if errors else ''}",
            f"    one poll alone:           p50 {statistics.median(single) * 1000:.1f} ms (before the load)",
            f"    CPU, share of one core:   portal {cpu_portal / elapsed:.0%}, BankID test server "
            f"{cpu_sim / elapsed:.0%}, load generator {cpu_self / elapsed:.0%}",
            f"    portal CPU per request:   {per_poll:.2f} ms (per poll answered 200: {per_answered:.2f} ms) "
            f"-> one core answers about {1000 / per_answered if per_answered else float('nan'):.0f} polls/s",
        ]
    )


def _find_sustained(args: argparse.Namespace, port: int, portal_pid: int, simulator_pid: int, workers: int) -> str:
    """Step the rate up (``--find-sustained FROM,STEP,UP_TO`` polls/s) until a run is not sustained, then try
    once half a step below the first rate that failed; the highest rate sustained, and its CPU per poll."""
    start, step, up_to = args.find_sustained
    best: tuple[float, float, int, float] | None = None
    failed_at: int | None = None
    rate = start
    while rate <= up_to:
        report = asyncio.run(
            _run_one(port, rate, args.seconds, portal_pid, simulator_pid, profile=None, like_the_page=False)
        )
        sys.stdout.write(report + "\n")
        sys.stdout.flush()
        run = RUNS[-1]
        if not sustained(run):
            failed_at = rate
            break
        best = run
        rate += step
    if failed_at is not None and step >= 20 and failed_at - step // 2 > (best[0] if best else 0):
        rate = failed_at - step // 2
        sys.stdout.write(
            asyncio.run(
                _run_one(port, rate, args.seconds, portal_pid, simulator_pid, profile=None, like_the_page=False)
            )
            + "\n"
        )
        if sustained(RUNS[-1]):
            best = RUNS[-1]
    tried = sorted(round(run[0]) for run in RUNS)
    served_cpu = statistics.median(run[3] for run in RUNS)
    RUNS.clear()
    if best is None:
        return (
            f"  sustained by {workers} worker(s) at p95 <= {SUSTAINED_P95_MS:.0f} ms: none of the rates tried "
            f"(answered {', '.join(map(str, tried))} polls/s); portal CPU {served_cpu:.2f} ms per poll (median)\n"
            f"FIGURE sustained_polls_per_s_{workers}w 0\n"
            f"FIGURE served_cpu_ms_per_poll_{workers}w {served_cpu:.3f}"
        )
    return (
        f"  sustained by {workers} worker(s) at p95 <= {SUSTAINED_P95_MS:.0f} ms with every poll answered: "
        f"{best[0]:.0f} polls/s (stepping {start}, {start + step}, ...; "
        f"{'first failed at ' + str(failed_at) if failed_at else 'none failed up to ' + str(up_to)}); "
        f"portal CPU {best[3]:.2f} ms per poll there\n"
        f"FIGURE sustained_polls_per_s_{workers}w {best[0]:.0f}\n"
        f"FIGURE served_cpu_ms_per_poll_{workers}w {served_cpu:.3f}\n"
        f"FIGURE sustained_cpu_ms_per_poll_{workers}w {best[3]:.3f}"
    )


def _start_portal(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - the portal itself, started the production way
        [PYTHON, "-m", "minasidor.serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env={**env, "MINASIDOR_WORKERS": str(workers)},
    )


def _forget_keys(redis_url: str, prefix: str) -> None:
    """Delete what this run left in Redis (its sessions and counters carry its own key prefix)."""
    import redis  # noqa: PLC0415 - only when Redis is used

    connection = redis.Redis.from_url(redis_url)
    for key in connection.scan_iter(match=f"{prefix}:*", count=1000):
        connection.delete(key)
    connection.close()


def _redis_answers(redis_url: str) -> bool:
    import redis  # noqa: PLC0415 - only when Redis is used

    try:
        return bool(redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logins", type=_numbers, default=[100, 200, 1000], help="comma-separated, e.g. 100,1000")
    parser.add_argument("--workers", type=_numbers, default=[1, 2], help="comma-separated worker counts")
    parser.add_argument("--seconds", type=float, default=20.0, help="polling time per run")
    parser.add_argument("--sessions", choices=["redis", "db"], default="redis")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis for sessions and the cache")
    parser.add_argument(
        "--like-the-page",
        action="store_true",
        help="browsers wait as the page's script does (Retry-After, slower after slow answers), not a fixed 1/s",
    )
    parser.add_argument(
        "--find-sustained",
        type=_numbers,
        metavar="FROM,STEP,UP_TO",
        help="step the rate (logins polling once a second) up until p95 > 50 ms or a poll fails; print the highest",
    )
    parser.add_argument("--profile", help="sample the portal with py-spy while it answers: FILE-LOGINS.txt")
    args = parser.parse_args()
    redis_url = args.redis if args.sessions == "redis" else ""
    if redis_url and not _redis_answers(redis_url):
        sys.stderr.write(f"No Redis answers at {redis_url}: one worker only, with database sessions.\n")
        redis_url, args.workers = "", [1]
    if not redis_url and max(args.workers) > 1:
        sys.stderr.write("Several workers need Redis for sessions and the shared cache.\n")
        return 2

    prefix = f"bench{os.getpid()}"
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        rp_port, app_port = free_port(), free_port()
        env = bench_environment(work, rp_port=rp_port, redis_url=redis_url, key_prefix=prefix)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        command = [PYTHON, "-m", "simulators.bankid", "serve", "--dir", str(work / "bankid")]
        simulator = subprocess.Popen(  # noqa: S603 - our own test server
            [*command, "--port", str(rp_port), "--app-port", str(app_port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        out = sys.stdout
        out.write(
            f"BankID status polling: each login page asks once a second (or waits as its script does, "
            f"--like-the-page); sessions in "
            f"{'Redis' if redis_url else 'the database'}; {os.cpu_count()} cores shared by the portal, "
            f"the BankID test server and this load generator (and whatever else runs on the machine).\n"
        )
        try:
            wait_for_port(app_port, simulator)
            for workers in args.workers:
                port = free_port()
                portal = _start_portal(env, port, workers)
                try:
                    wait_for_port(port, portal, seconds=240)  # workers warm up first; slow on a loaded machine
                    out.write(f"workers: {workers}\n")
                    if args.find_sustained:
                        out.write(_find_sustained(args, port, portal.pid, simulator.pid, workers) + "\n")
                        continue
                    for logins in args.logins:
                        report = asyncio.run(
                            _run_one(
                                port,
                                logins,
                                args.seconds,
                                portal.pid,
                                simulator.pid,
                                profile=args.profile,
                                like_the_page=args.like_the_page,
                            )
                        )
                        out.write(report + "\n")
                        out.flush()
                    out.write(sustained_summary(workers) + "\n")
                finally:
                    portal.terminate()
                    portal.wait(timeout=30)
        finally:
            simulator.terminate()
            simulator.wait(timeout=10)
            if redis_url:
                _forget_keys(redis_url, prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
