"""Benchmark of Min pension: server time of the overview right after login, and of the forecast's recomputation.

Run ``python benchmarks/overview_bench.py`` (``--logins N``). It uses new SQLite files in a temporary folder
(never the development databases), the demo persons, and the Min Pension test server answering every call
after 50 ms. For each login it times, inside the portal (Django's test client, no network between browser
and portal), the first overview after login — which fetches the register's snapshot and Min Pension's
answer — then the overview again (from the session's data), then a forecast with a new choice (post and
redirect) and the forecast page for it. The back office is reached in-process and then over HTTP (its
internal API served on loopback by a WSGI server in a thread, with the service tokens). Figures only, no
assertions; the machine is shared, so compare ratios rather than absolute times.

For the first overview it also prints the CPU time it used — on the request's thread and on the thread Min
Pension's calls run on alongside (decision 0246) — and its time beyond the outside calls: the wall time less
the time some outside call was in flight (the register's snapshot and case list, Min Pension's calls), the
portal's own share that issue 21 bounds at 100 ms.

``--instructions`` also counts the instructions of each demo person's first overview with callgrind (the
portal alone, in a child under valgrind; decision 0247): the figure that does not move with the machine's
other load. ``--logins 0 --instructions`` counts them alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIN_PENSION_LATENCY = 0.05
DEMO_NUMBERS = ("196201082697", "199101012384", "195801082743", "195901022995", "198001139297", "198501139995")


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: list[float]) -> None:
    milliseconds = [s * 1000 for s in seconds]
    write(
        f"  {name:<44} n={len(milliseconds):>4}  p50 {statistics.median(milliseconds):7.1f} ms"
        f"  p95 {percentile(milliseconds, 0.95):7.1f} ms  max {max(milliseconds):7.1f} ms"
    )


class Outside:
    """Measures, around each first overview, the intervals some outside call was in flight and the CPU time
    of the calls made on the alongside thread (wrapping the calls; the bench's own instruments)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.intervals: list[tuple[float, float]] = []
        self.alongside_cpu = 0.0

    def clear(self) -> None:
        with self.lock:
            self.intervals.clear()
            self.alongside_cpu = 0.0

    def wrap_call(self, owner: Any, name: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                with self.lock:
                    self.intervals.append((began, time.perf_counter()))

        setattr(owner, name, wrapper)

    def wrap_alongside(self, module: Any) -> None:
        original = module._settle  # the bench's instrument around each call made alongside

        def settle(future: Any, call: Any) -> None:
            cpu = time.thread_time()
            try:
                original(future, call)
            finally:
                if threading.current_thread() is not threading.main_thread():
                    with self.lock:
                        self.alongside_cpu += time.thread_time() - cpu

        module._settle = settle

    def in_flight(self) -> float:
        """Seconds during which at least one outside call was in flight (the union of the intervals)."""
        total, end = 0.0, float("-inf")
        for began, ended in sorted(self.intervals):
            if ended <= end:
                continue
            total += ended - max(began, end)
            end = ended
        return total


OUTSIDE = Outside()


def instrument() -> None:
    """Wrap the outside calls of a first overview, and the calls made alongside, in :data:`OUTSIDE`."""
    from minasidor.core import alongside  # noqa: PLC0415 - after django.setup()
    from minasidor.minpension.client import MinPensionClient  # noqa: PLC0415
    from minasidor.registers.http import HttpRegisters  # noqa: PLC0415
    from minasidor.registers.in_process import InProcessRegisters  # noqa: PLC0415

    OUTSIDE.wrap_alongside(alongside)
    OUTSIDE.wrap_call(MinPensionClient, "_call")
    for implementation in (HttpRegisters, InProcessRegisters):
        OUTSIDE.wrap_call(implementation, "person_snapshot")
        OUTSIDE.wrap_call(implementation, "cases")


def timed(action: Callable[[], Any]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def warm_up(client: Any) -> None:
    """One login and overview not counted, per configuration: a process's first overview compiles the
    templates and opens its clients and connections, which a serving process has done long before a peak."""
    from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415

    log_in(client, make_identity(DEMO_NUMBERS[0], given_name="Bench", family_name="Person"))
    client.get("/mina-sidor/")
    client.post("/logga-ut/")
    client.cookies.clear()


def run(logins: int, label: str) -> dict[str, list[float]]:
    """Log in ``logins`` times (cycling through the demo persons) and time the pages."""
    from django.test import Client  # noqa: PLC0415

    from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415

    figures: dict[str, list[float]] = {
        "first": [],
        "first_cpu": [],
        "first_cpu_request": [],
        "first_cpu_alongside": [],
        "first_beyond": [],
        "again": [],
        "forecast_post": [],
        "forecast_page": [],
    }
    # One client for the whole run, as one server process serves many logins: a new test client loads the
    # middleware on its first request (20-35 ms of CPU, most of it ServeStatic scanning the static files), which a
    # server does once when it starts, not at each citizen's first page.
    client = Client()
    client.get("/")
    warm_up(client)
    for index in range(logins):
        number = DEMO_NUMBERS[index % len(DEMO_NUMBERS)]
        client.cookies.clear()
        log_in(client, make_identity(number, given_name="Bench", family_name="Person"))

        def get(path: str, client: Client = client) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)  # noqa: S101 - a broken run is no figure

        OUTSIDE.clear()
        cpu = time.thread_time()
        wall = timed(lambda: get("/mina-sidor/"))
        request_cpu = time.thread_time() - cpu
        figures["first"].append(wall)
        figures["first_cpu_request"].append(request_cpu)
        figures["first_cpu_alongside"].append(OUTSIDE.alongside_cpu)
        figures["first_cpu"].append(request_cpu + OUTSIDE.alongside_cpu)
        figures["first_beyond"].append(wall - OUTSIDE.in_flight())
        figures["again"].append(timed(lambda: get("/mina-sidor/")))
        if number not in ("195801082743", "195901022995"):  # pensioners get no forecast
            age = 66 + index % 4
            choice = {"withdrawal_age": str(age), "withdrawal_share": "75", "work": "current"}
            post = client.post
            figures["forecast_post"].append(timed(lambda: post("/mina-sidor/pension/prognos/", choice)))  # noqa: B023
            figures["forecast_page"].append(timed(lambda: get("/mina-sidor/pension/prognos/")))
        client.post("/logga-ut/")
    write(f"{label}:")
    report("overview, first after login (fetches)", figures["first"])
    report("  beyond the outside calls (wall less in flight)", figures["first_beyond"])
    report("  its CPU time, both threads", figures["first_cpu"])
    report("    on the request's thread", figures["first_cpu_request"])
    report("    on the alongside thread (Min Pension's calls)", figures["first_cpu_alongside"])
    report("overview again (session's data)", figures["again"])
    report("forecast, new choice (recomputes)", figures["forecast_post"])
    report("forecast page for that choice", figures["forecast_page"])
    return figures


def write_figures(runs: dict[str, dict[str, list[float]]]) -> None:
    """The first overview's figures as ``FIGURE name value`` lines (read by benchmarks/peak_figures.py)."""
    for label, figures in runs.items():
        first = [seconds * 1000 for seconds in figures["first"]]
        cpu = [seconds * 1000 for seconds in figures["first_cpu"]]
        write(f"FIGURE overview_first_p50_ms_{label} {statistics.median(first):.1f}")
        write(f"FIGURE overview_first_p95_ms_{label} {percentile(first, 0.95):.1f}")
        beyond = [seconds * 1000 for seconds in figures["first_beyond"]]
        write(f"FIGURE overview_first_cpu_p50_ms_{label} {statistics.median(cpu):.1f}")
        write(f"FIGURE overview_first_cpu_p95_ms_{label} {percentile(cpu, 0.95):.1f}")
        write(f"FIGURE overview_first_beyond_outside_p50_ms_{label} {statistics.median(beyond):.1f}")
        write(f"FIGURE overview_first_beyond_outside_p95_ms_{label} {percentile(beyond, 0.95):.1f}")


INSTRUCTION_ROUNDS = 2


def instructions_child(folder: Path, registers_url: str, minpension_url: str) -> None:
    """Under callgrind (``--instructions``): the portal alone, on the databases the parent made, the back office
    and Min Pension served by the parent. A round of every demo person's first overview not counted (the
    paths each takes run once), then rounds of them each counted on its own (instrumentation on only for that
    request: its thread and the alongside one)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.bankid_poll_profile import _marks  # noqa: PLC0415 - the callgrind marks (decision 0243)

    _databases(folder)
    import django  # noqa: PLC0415 - configured by the environment above

    django.setup()
    import logging  # noqa: PLC0415

    logging.disable(logging.INFO)
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415

    settings.ALLOWED_HOSTS = ["*"]
    settings.REGISTERS_IMPLEMENTATION = "http"
    settings.REGISTERS_URL = registers_url
    settings.MINPENSION_BASE_URL = minpension_url
    marks = _marks(folder)
    client = Client()
    client.get("/")
    for round_number in range(-1, INSTRUCTION_ROUNDS):  # round -1 warms each person's paths, not counted
        for number in DEMO_NUMBERS:
            log_in(client, make_identity(number, given_name="Bench", family_name="Person"))
            if round_number >= 0:
                marks.marks_zero()
                marks.marks_start()
            response = client.get("/mina-sidor/")
            if round_number >= 0:
                marks.marks_stop()
                marks.marks_dump(f"first-{number} {round_number}".encode())
            if response.status_code != 200:
                raise RuntimeError(f"{number}: the overview answered {response.status_code}")
            client.post("/logga-ut/")
            client.cookies.clear()


def count_instructions(folder: Path, registers_url: str, minpension_url: str) -> None:
    """Count the instructions of each demo person's first overview with callgrind (the portal in a child under
    valgrind; the back office and Min Pension natively in this process), and print them with their sum."""
    if shutil.which("valgrind") is None or shutil.which("cc") is None:
        write("instructions: not counted (needs valgrind and cc)")
        return
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={folder}/callgrind.out.%p",
        sys.executable,
        str(Path(__file__).resolve()),
        "--instructions-child",
        str(folder),
        registers_url,
        minpension_url,
    ]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, check=False, env=environment, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        write(f"instructions: the run under valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
        return
    counts: dict[str, list[int]] = {}
    for dump in Path(folder).glob("callgrind.out*"):
        lines = dump.read_text(errors="replace").splitlines()
        trigger = next((line for line in lines if line.startswith("desc: Trigger: Client Request: ")), "")
        totals = [line.split()[1] for line in lines if line.startswith("totals:")]
        label = trigger.removeprefix("desc: Trigger: Client Request: ").split(" ")[0]
        if label.startswith("first-") and totals:
            counts.setdefault(label.removeprefix("first-"), []).append(int(totals[-1]))
    if sorted(counts) != sorted(DEMO_NUMBERS):
        write(f"instructions: dumps missing ({ {number: len(values) for number, values in counts.items()} })")
        return
    per_person = {number: min(values) for number, values in counts.items()}
    spread = max((max(values) - min(values)) / min(values) for values in counts.values())
    write(
        f"instructions of the first overview after login (callgrind, the portal alone, back office over HTTP; "
        f"the lower of {INSTRUCTION_ROUNDS} rounds after one not counted; they differed by at most {spread:.2%}):"
    )
    for number in DEMO_NUMBERS:
        write(f"  {number}  {per_person[number] / 1e6:7.2f} M")
    mean = statistics.mean(per_person.values())
    write(f"  mean of the six demo persons {mean / 1e6:.2f} M instructions")
    write(f"FIGURE overview_first_instructions_mean_m {mean / 1e6:.2f}")


def run_both(logins: int, registers_url: str) -> None:
    """The runs with the back office in-process, then over HTTP, and their figures."""
    from django.conf import settings  # noqa: PLC0415

    from minasidor.registers import _build  # noqa: PLC0415

    settings.REGISTERS_IMPLEMENTATION = "in_process"
    in_process = run(logins, "back office in-process")
    settings.REGISTERS_IMPLEMENTATION = "http"
    settings.REGISTERS_URL = registers_url
    _build.cache_clear()
    over_http = run(logins, "back office over HTTP (loopback, service tokens)")
    ratio = statistics.median(over_http["first"]) / statistics.median(in_process["first"])
    write(f"first overview after login, HTTP / in-process (p50): {ratio:.2f}")
    write_figures({"http": over_http, "in_process": in_process})


def api_server() -> Any:
    """The back office's internal API on loopback, served by a WSGI server on a thread of this process."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server  # noqa: PLC0415

    from backoffice.api.handler import InternalApiHandler  # noqa: PLC0415

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

    api = make_server("127.0.0.1", 0, InternalApiHandler(), handler_class=QuietHandler)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    return api


def _databases(folder: Path) -> None:
    os.environ["BACKOFFICE_DATABASE_URL"] = f"sqlite:///{folder / 'backoffice.sqlite3'}"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'portal.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=60, help="logins per configuration (default 60; 0: none)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions with callgrind")
    parser.add_argument("--instructions-child", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.instructions_child:
        folder_name, registers_url, minpension_url = options.instructions_child
        instructions_child(Path(folder_name), registers_url, minpension_url)
        return
    with tempfile.TemporaryDirectory() as folder:
        _databases(Path(folder))
        import django  # noqa: PLC0415 - configured by the environment above

        django.setup()
        import logging  # noqa: PLC0415

        logging.disable(logging.INFO)  # the portal's info lines would drown the figures
        from django.conf import settings  # noqa: PLC0415
        from django.core.management import call_command  # noqa: PLC0415

        from backoffice.synthetic.demo import demo_persons_create  # noqa: PLC0415
        from kernel import clock  # noqa: PLC0415
        from minasidor.minpension import connection  # noqa: PLC0415
        from pension_engine.forecast import forecast  # noqa: PLC0415
        from pension_engine.population import Population  # noqa: PLC0415
        from simulators.minpension.server import SimulatorThread  # noqa: PLC0415

        instrument()
        call_command("migrate", verbosity=0)
        call_command("migrate", database="backoffice", verbosity=0)
        with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)):
            demo_persons_create()
        settings.ALLOWED_HOSTS = ["*"]
        warm = Population.of_one(birth_year=1970, income_by_year={2020: 400000.0})
        warm_up = timed(lambda: forecast(warm, as_of_year=2026, withdrawal_ages=[67]))
        write(f"engine warm-up (parameters loaded once per process): {warm_up * 1000:.0f} ms")
        api = api_server()
        with SimulatorThread(today=lambda: dt.date(2026, 11, 28)) as minpension:
            minpension.control("latency", seconds=MIN_PENSION_LATENCY)
            settings.MINPENSION_BASE_URL = minpension.api_base_url
            connection.reset()
            write(
                f"Min pension benchmark: {options.logins} logins per configuration, demo persons, "
                f"Min Pension answering after {MIN_PENSION_LATENCY * 1000:.0f} ms, pid {os.getpid()}"
            )
            registers_url = f"http://127.0.0.1:{api.server_port}/internal/v1/"
            if options.logins > 0:
                run_both(options.logins, registers_url)
            if options.instructions:
                count_instructions(Path(folder), registers_url, minpension.api_base_url)
        api.shutdown()


if __name__ == "__main__":
    main()
