"""Profile of one BankID status poll: CPU time, thread hops and threads started per poll, in one process.

Drives the portal's ASGI application in this process (no sockets between the poller and the portal) against
the BankID test server (its own process), so the figures are the portal's own cost per poll. CPU time, not
wall time, is the measure: the machine is shared, and CPU time per poll moves far less with other load.

- ``hops``: calls from the event loop into synchronous code (asgiref's ``sync_to_async``) per poll; each
  waits for a thread, and under ASGI every request's first hop starts a new thread.
- ``no collect``: polls in between BankID collects (most polls: the page asks every second, BankID is
  asked every two); ``with collect``: every poll also collects from BankID; ``QR picture``: the animated
  QR code the other-device page loads every second beside its polls.
- last, the poll against a bare ASGI endpoint that reads the same state from Redis (the session's cache
  entry, the order in it) and answers the same JSON with the same security headers, without framework,
  checks or BankID: the ratio of their CPU per request, each less what the in-process client costs (an
  endpoint doing nothing). Issue 21 aims at a poll costing at most twice the bare endpoint.

    python benchmarks/bankid_poll_profile.py [--polls 400] [--redis redis://127.0.0.1:6379/15] [--cprofile N]
        [--instructions N]

``--instructions N`` also counts the **instructions** each kind of request executes (valgrind's callgrind, N
requests per kind, 3 interleaved rounds): the lean poll, the full way, the bare endpoint and the in-process
client's own (subtracted), and their ratio. Unlike CPU time the count does not move with the other load on
the machine or with the CPU's clock, so the ratio can be read on a shared machine (decision 0243). The
portal runs in a child process under valgrind with instrumentation off until each measured stretch (a tiny
helper made with ``cc`` from valgrind's ``callgrind.h`` marks them); the BankID test server runs natively.

``--cprofile N`` also profiles the "no collect" polls with cProfile and prints the N functions with the most
time of their own, and the share of the poll's time under each layer (Django's handler, each middleware, the
view), so that the cost can be taken apart without another tool.

Run it under ``py-spy record -o profile.svg -- python benchmarks/bankid_poll_profile.py`` to see where the
time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bankid_status_bench import (  # noqa: E402 - after the path is set
    PYTHON,
    bench_environment,
    free_port,
    start_login,
    wait_for_port,
)


class Counters:
    """Counts the event loop's calls into synchronous code and the threads started."""

    def __init__(self) -> None:
        self.hops = 0
        self.threads = 0

    @contextmanager
    def installed(self) -> Iterator[Counters]:
        from asgiref import sync  # noqa: PLC0415 - imported once Django is set up

        original_call = sync.SyncToAsync.__call__
        original_start = threading.Thread.start
        counters = self

        async def counting_call(self: Any, *args: Any, **kwargs: Any) -> Any:
            counters.hops += 1
            return await original_call(self, *args, **kwargs)

        def counting_start(self: threading.Thread) -> None:
            counters.threads += 1
            original_start(self)

        sync.SyncToAsync.__call__ = counting_call  # type: ignore[method-assign]
        threading.Thread.start = counting_start  # type: ignore[method-assign]
        try:
            yield self
        finally:
            sync.SyncToAsync.__call__ = original_call  # type: ignore[method-assign]
            threading.Thread.start = original_start  # type: ignore[method-assign]


def bare_endpoint(session_cookie: str) -> Any:
    """The floor the poll is measured against: a bare ASGI endpoint that reads the same state from Redis.

    It reads the session from the same cache entry the portal's session engine reads (one Redis GET through
    the same cache backend), takes the BankID order out of it and answers the same JSON body with the same
    security headers, with no framework: no middleware, no URL resolving, no rate limit, no BankID call.
    """
    import json  # noqa: PLC0415

    from django.core.cache import cache  # noqa: PLC0415 - after Django is set up
    from django.utils.translation import override  # noqa: PLC0415

    from minasidor.identity.contrib.bankid.flow import ORDER_KEY, user_text  # noqa: PLC0415
    from minasidor.identity.contrib.bankid.types import LoginOrder  # noqa: PLC0415

    prefix = "django.contrib.sessions.cache"
    headers = [
        (b"content-type", b"application/json"),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    ]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        cookies = dict(scope["headers"]).get(b"cookie", b"").decode()
        key = next((part.split("=", 1)[1] for part in cookies.split("; ") if part.startswith(session_cookie + "=")), "")
        session = await cache.aget(prefix + key) or {}
        data = session.get(ORDER_KEY)
        body: dict[str, Any]
        if data is None:
            body = {"state": "failed", "next": None}
        else:
            order = LoginOrder.from_session(data)
            with override("sv"):
                message = user_text(order.message(on_mobile=False))
            body = {"state": order.state, "message": message, "qr": order.shows_qr, "restarts": order.restarts}
            body["next"] = None
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return app


async def _noop(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An endpoint doing nothing: what the in-process client itself costs per request (subtracted)."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})


async def _cpu_per_request(client: httpx.AsyncClient, requests: int, path: str) -> float:
    for _ in range(20):
        await client.get(path)
    cpu = time.process_time()
    for _ in range(requests):
        response = await client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return (time.process_time() - cpu) / requests


ROUNDS = 7


@contextmanager
def no_collect_due() -> Iterator[None]:
    """Polls between collects only: no collect falls due while measured (at the page's pace one poll in two
    collects; measured back to back, or slowed down under valgrind, a stretch would catch a varying number of
    collects, each costing several times a poll, and the figures would move with the machine's speed)."""
    from minasidor.identity.contrib.bankid import flow  # noqa: PLC0415

    interval = flow.COLLECT_INTERVAL
    flow.COLLECT_INTERVAL = dt.timedelta(days=1)
    try:
        yield
    finally:
        flow.COLLECT_INTERVAL = interval


async def compare_with_bare(client: httpx.AsyncClient, requests: int) -> tuple[str, dict[str, float]]:
    """The poll's CPU against the bare endpoint's on the same session (each less the client's own cost).

    Process CPU time (``time.process_time``), not wall time: it moves far less with the other load on a
    shared machine. The poll the lean way (decision 0205), the poll the full way through Django (lean path
    off) and the bare endpoint are measured in ``ROUNDS`` interleaved rounds, and each one's median is taken,
    so that a burst of load elsewhere touches all three alike. Returns the report and the figures.
    """
    from django.conf import settings  # noqa: PLC0415

    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    path = "/logga-in/bankid/status/"
    apps = {"bare": bare_endpoint(settings.SESSION_COOKIE_NAME), "noop": _noop}
    samples: dict[str, list[float]] = {"lean": [], "full": [], "bare": [], "noop": []}
    per_round = max(50, requests // ROUNDS)
    for _ in range(ROUNDS):
        for lean in (True, False):
            settings.LEAN_STATUS_POLL = lean
            with no_collect_due():
                samples["lean" if lean else "full"].append(await _cpu_per_request(client, per_round, path))
        settings.LEAN_STATUS_POLL = True
        for label, app in apps.items():
            transport = httpx.ASGITransport(app=cast(Any, app))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1", headers={"cookie": cookies}
            ) as bare:
                samples[label].append(await _cpu_per_request(bare, per_round, path))
    median = {label: statistics.median(values) for label, values in samples.items()}
    noop = median["noop"]
    lean_net, full_net, bare_net = (median[label] - noop for label in ("lean", "full", "bare"))
    ratio = lean_net / bare_net
    report = (
        f"status poll (no collect) vs bare ASGI endpoint reading the same Redis state: process CPU per request, "
        f"median of {ROUNDS} interleaved rounds of {per_round}, less the in-process client's {noop * 1000:.2f} ms:\n"
        f"  poll, lean path {lean_net * 1000:6.2f} ms   poll, full way (lean path off) {full_net * 1000:6.2f} ms   "
        f"bare {bare_net * 1000:6.2f} ms\n"
        f"  ratio lean/bare {ratio:5.1f}x (aim <= 2x)   full/bare {full_net / bare_net:5.1f}x"
    )
    figures = {"lean_ms": lean_net * 1000, "full_ms": full_net * 1000, "bare_ms": bare_net * 1000, "ratio": ratio}
    return report, figures


async def _measure(client: httpx.AsyncClient, polls: int, label: str, path: str = "/logga-in/bankid/status/") -> str:
    counters = Counters()
    for _ in range(20):  # warm-up: imports, caches, connections
        await client.get(path)
    with counters.installed():
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(polls):
            response = await client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"a poll answered {response.status_code}")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return (
        f"{label:<14} CPU {cpu / polls * 1000:6.2f} ms/poll   wall {wall / polls * 1000:6.2f} ms/poll   "
        f"hops {counters.hops / polls:5.1f}/poll   threads started {counters.threads / polls:4.1f}/poll"
    )


# What a poll passes through, outermost first: (label, file fragment, function). Cumulative time, so each
# includes what it calls (the middleware chain nests; the view is inside all of it).
LAYERS = (
    ("the whole request in Django's ASGI handler", "django/core/handlers/asgi.py", "handle"),
    ("  the middleware chain and the view", "django/core/handlers/base.py", "get_response_async"),
    ("    URL resolving", "django/urls/resolvers.py", "resolve"),
    ("    the session read (Redis GET)", "minasidor/core/sessions.py", "aload"),
    ("    the rate limit (Redis count)", "minasidor/security/counters.py", "ahit"),
    ("    the status view", "identity/contrib/bankid/views.py", "status"),
    ("      the login flow (no collect)", "identity/contrib/bankid/flow.py", "alogin_advance"),
    ("    the CSP header", "csp/utils.py", "build_policy"),
    ("  the request signals' hops into a thread", "asgiref/sync.py", "__call__"),
)


async def _cprofile(client: httpx.AsyncClient, polls: int, top: int) -> str:
    """cProfile of ``polls`` polls between collects: the top functions by own time, and time by layer."""
    import cProfile  # noqa: PLC0415
    import io  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    path = "/logga-in/bankid/status/"
    for _ in range(20):
        await client.get(path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(polls):
        await client.get(path)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    lines = [
        f"cProfile of {polls} polls (no collect): wall time per poll under the profiler, cumulative (each line "
        "includes the lines below it indented further; waits on Redis included):"
    ]
    for label, fragment, function in LAYERS:
        found = [entry for key, entry in raw.items() if fragment in key[0] and key[2] == function]
        cumulative = max((entry[3] for entry in found), default=0.0)
        calls = max((entry[1] for entry in found), default=0)
        lines.append(f"  {label:<48} {cumulative / polls * 1000:6.3f} ms   ({calls / polls:.1f} calls/poll)")
    sends = sum(e[1] for k, e in raw.items() if k[2] == "<method 'send' of '_socket.socket' objects>")
    lines.append(f"  Redis commands sent per poll (socket sends): {sends / polls:.1f}")
    return "\n".join(lines) + "\n" + "\n".join(out.getvalue().splitlines()[: top + 12])


async def _run(polls: int, cprofile_top: int = 0) -> None:
    from minasidor.asgi import application as app  # noqa: PLC0415 - after the environment is set
    from minasidor.identity.contrib.bankid import flow  # noqa: PLC0415

    transport = httpx.ASGITransport(app=cast(Any, app))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await start_login(client)
        lines = [await _measure(client, polls, "no collect")]  # the lean path (decision 0205)
        interval = flow.COLLECT_INTERVAL
        flow.COLLECT_INTERVAL = dt.timedelta(0)
        try:
            lines.append(await _measure(client, max(50, polls // 4), "with collect"))
        finally:
            flow.COLLECT_INTERVAL = interval
        lines.append(await _measure(client, max(50, polls // 4), "QR picture", "/logga-in/bankid/qr.svg"))
        report, figures = await compare_with_bare(client, polls)
        lines.append(report)
        lines.extend(f"FIGURE poll_cpu_{name} {value:.3f}" for name, value in figures.items())
        if cprofile_top:
            lines.append(await _cprofile(client, polls, cprofile_top))
    sys.stdout.write("\n".join(lines) + "\n")


# The callgrind client requests, callable from Python (ctypes): made with cc from valgrind's header.
_MARKS_C = """
#include <valgrind/callgrind.h>
void marks_zero(void) { CALLGRIND_ZERO_STATS; }
void marks_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void marks_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void marks_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""
INSTRUCTION_ROUNDS = 3
INSTRUCTION_KINDS = ("lean", "full", "bare", "noop")


def _marks(directory: Path) -> Any:
    """The helper library marking measured stretches for callgrind (a no-op when not run under valgrind)."""
    import ctypes  # noqa: PLC0415

    source, library = directory / "marks.c", directory / "marks.so"
    if not library.exists():
        source.write_text(_MARKS_C)
        command = ["cc", "-O1", "-shared", "-fPIC", "-o", str(library), str(source)]
        subprocess.run(command, check=True)  # noqa: S603 - the system's compiler on our own source
    marks = ctypes.CDLL(str(library))
    marks.marks_dump.argtypes = [ctypes.c_char_p]
    return marks


async def _instructions_child(requests: int, directory: Path) -> None:
    """Under callgrind: each kind of request ``requests`` times per round, each stretch counted on its own."""
    from django.conf import settings  # noqa: PLC0415

    from minasidor.asgi import application as app  # noqa: PLC0415 - after the environment is set

    marks = _marks(directory)
    transport = httpx.ASGITransport(app=cast(Any, app))
    path = "/logga-in/bankid/status/"
    with no_collect_due():
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            await start_login(client)
            await client.get(path)  # the first collect (due at once after the start); then none falls due
            cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            apps = {"bare": bare_endpoint(settings.SESSION_COOKIE_NAME), "noop": _noop}
            others = {
                label: httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=cast(Any, one)),
                    base_url="http://127.0.0.1",
                    headers={"cookie": cookies},
                )
                for label, one in apps.items()
            }
            for round_number in range(INSTRUCTION_ROUNDS):
                for kind in INSTRUCTION_KINDS:
                    settings.LEAN_STATUS_POLL = kind != "full"
                    asking = others.get(kind, client)
                    for _ in range(20):  # warm: the lean path learns its headers, caches fill
                        await asking.get(path)
                    marks.marks_zero()
                    marks.marks_start()
                    for _ in range(requests):
                        response = await asking.get(path)
                        if response.status_code != 200:
                            raise RuntimeError(f"{kind}: a poll answered {response.status_code}")
                    marks.marks_stop()
                    marks.marks_dump(f"{kind} {round_number}".encode())
            for other in others.values():
                await other.aclose()


def _dumped_counts(directory: Path) -> dict[str, list[int]]:
    """Instructions (Ir) of each labelled stretch, from callgrind's dump files."""
    counts: dict[str, list[int]] = {kind: [] for kind in INSTRUCTION_KINDS}
    for dump in directory.glob("callgrind.out*"):
        lines = dump.read_text(errors="replace").splitlines()
        trigger = next((line for line in lines if line.startswith("desc: Trigger: Client Request: ")), "")
        totals = [line.split()[1] for line in lines if line.startswith("totals:")]
        kind = trigger.removeprefix("desc: Trigger: Client Request: ").split(" ")[0]
        if kind in counts and totals:
            counts[kind].append(int(totals[-1]))
    return counts


def instructions(requests: int, redis_url: str) -> str:
    """Run the portal under callgrind in a child process and report instructions per request and the ratio."""
    if shutil.which("valgrind") is None or shutil.which("cc") is None:
        return "instructions: not counted (needs valgrind and cc)"
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        _marks(directory)  # made before valgrind starts
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={directory}/callgrind.out.%p",
            PYTHON,
            str(Path(__file__).resolve()),
            "--instructions-child",
            str(requests),
            "--marks-dir",
            str(directory),
            "--redis",
            redis_url,
        ]
        environment = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, check=False, env=environment, capture_output=True, text=True)  # noqa: S603
        if done.returncode != 0:
            return f"instructions: the run under valgrind failed ({done.returncode}): {done.stderr[-2000:]}"
        counts = _dumped_counts(directory)
    if any(len(values) != INSTRUCTION_ROUNDS for values in counts.values()):
        return f"instructions: dumps missing ({ {kind: len(values) for kind, values in counts.items()} })"
    per = {kind: statistics.median(values) / requests for kind, values in counts.items()}
    spread = {kind: (max(values) - min(values)) / max(1, statistics.median(values)) for kind, values in counts.items()}
    noop = per["noop"]
    lean, full, bare = (per[kind] - noop for kind in ("lean", "full", "bare"))
    return (
        f"instructions per request (callgrind, median of {INSTRUCTION_ROUNDS} interleaved rounds of {requests}; "
        f"spread between rounds {', '.join(f'{kind} {value:.1%}' for kind, value in spread.items())}), "
        f"less the in-process client's {noop / 1000:.0f} k:\n"
        f"  poll, lean path {lean / 1000:7.0f} k   poll, full way {full / 1000:7.0f} k   bare {bare / 1000:7.0f} k\n"
        f"  ratio lean/bare {lean / bare:5.2f}x (aim <= 2x)   full/bare {full / bare:5.1f}x\n"
        f"FIGURE poll_instructions_lean_k {lean / 1000:.0f}\n"
        f"FIGURE poll_instructions_full_k {full / 1000:.0f}\n"
        f"FIGURE poll_instructions_bare_k {bare / 1000:.0f}\n"
        f"FIGURE poll_instructions_ratio {lean / bare:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polls", type=int, default=400, help="0: no CPU figures (with --instructions)")
    parser.add_argument("--redis", default="", help="Redis URL for sessions and the cache (default: database)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="profile and print the top N functions")
    parser.add_argument("--instructions", type=int, default=0, metavar="N", help="count instructions, N polls a round")
    parser.add_argument("--instructions-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--marks-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instructions_child:  # the portal under valgrind; the parent set the environment up
        import django  # noqa: PLC0415

        django.setup()
        asyncio.run(_instructions_child(args.instructions_child, args.marks_dir))
        return 0
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        rp_port, app_port = free_port(), free_port()
        env = bench_environment(work, rp_port=rp_port, redis_url=args.redis)
        os.environ.update(env)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        command = [PYTHON, "-m", "simulators.bankid", "serve", "--dir", str(work / "bankid")]
        simulator = subprocess.Popen(  # noqa: S603 - our own test server
            [*command, "--port", str(rp_port), "--app-port", str(app_port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(app_port, simulator)
            import django  # noqa: PLC0415 - after the environment is set

            django.setup()
            if args.polls:
                asyncio.run(_run(args.polls, args.cprofile))
            if args.instructions:
                sys.stdout.write(instructions(args.instructions, args.redis) + "\n")
        finally:
            simulator.terminate()
            simulator.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
