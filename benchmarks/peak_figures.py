"""Issue 21's three figures of the login peak, in one run: the status poll's CPU against a bare endpoint's,
the polls per second two uvicorn workers sustain at p95 <= 50 ms, and the first overview's p50/p95.

Runs, one after the other, each printing its own report:

1. ``bankid_poll_profile.py``: process CPU per status poll between collects (lean path, and the full way
   through Django), per request to a bare ASGI endpoint reading the same Redis state, and their ratio; and
   the same in instructions counted by callgrind (``--instructions``), which other load does not move;
2. ``bankid_status_bench.py --workers 2 --find-sustained``: the portal served the production way (two uvicorn
   workers on one port), logins polling once a second, the rate stepped up until p95 > 50 ms or a poll is not
   answered; the portal's CPU per poll from /proc (all its workers);
3. ``overview_bench.py``: the first overview after login, wall time, its time beyond the outside calls and
   its CPU, with the back office in-process and over HTTP, Min Pension answering after 50 ms.

Then it prints the figures together, with the date, the machine and how busy the machine was meanwhile (the
share of all cores in use, from /proc/stat, and the load average): wall times move with the other load on a
shared machine, CPU times far less. Bounded in time; loopback only.

    python benchmarks/peak_figures.py [--redis URL] [--find-sustained 50,50,500] [--seconds 10] [--logins 30]
        [--instructions 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _busy() -> tuple[int, int]:
    """Jiffies of all cores: (busy, total), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields[:8])
    return total - idle, total


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _run(command: list[str], figures: dict[str, float]) -> float:
    """Run one benchmark, its report passed through; its FIGURE lines kept. The share of the machine's cores
    busy meanwhile (everything on it, this benchmark included)."""
    sys.stdout.write(f"\n$ {' '.join(Path(part).name if part == PYTHON else part for part in command)}\n")
    sys.stdout.flush()
    busy, total = _busy()
    process = subprocess.Popen(  # noqa: S603 - our own benchmark scripts
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None  # noqa: S101 - piped above
    for line in process.stdout:
        if line.startswith("FIGURE "):
            _, name, value = line.split()
            figures[name] = float(value)
        else:
            sys.stdout.write(line)
            sys.stdout.flush()
    if process.wait() != 0:  # the other figures are still worth having
        sys.stdout.write(f"{command[1]} failed ({process.returncode}): its figures are missing below\n")
    busy_after, total_after = _busy()
    return (busy_after - busy) / max(1, total_after - total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--polls", type=int, default=2100, help="polls per kind in the CPU comparison")
    parser.add_argument(
        "--instructions", type=int, default=200, help="polls per kind and round in the instruction count (0: none)"
    )
    parser.add_argument("--find-sustained", default="50,50,500", metavar="FROM,STEP,UP_TO")
    parser.add_argument("--seconds", type=float, default=10.0, help="polling time per rate tried")
    parser.add_argument("--logins", type=int, default=30, help="logins per configuration of the overview bench")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    began = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    busy = {
        "poll CPU": _run(
            [
                PYTHON,
                "benchmarks/bankid_poll_profile.py",
                "--redis",
                args.redis,
                "--polls",
                str(args.polls),
                "--instructions",
                str(args.instructions),
            ],
            figures,
        ),
        "sustained": _run(
            [
                PYTHON,
                "benchmarks/bankid_status_bench.py",
                "--redis",
                args.redis,
                "--workers",
                "2",
                "--seconds",
                str(args.seconds),
                "--find-sustained",
                args.find_sustained,
            ],
            figures,
        ),
        "overview": _run([PYTHON, "benchmarks/overview_bench.py", "--logins", str(args.logins)], figures),
    }
    load_after = os.getloadavg()
    took = (dt.datetime.now(dt.UTC) - began).total_seconds()

    def figure(name: str) -> float:
        return figures.get(name, float("nan"))

    rate = figure("sustained_polls_per_s_2w")
    sustained = f"{rate:.0f} polls/s" if rate > 0 else "none of the rates tried (see above)"
    out = sys.stdout
    out.write(
        "\n=== Issue 21: the login peak's figures, one run ===\n"
        f"date {began:%Y-%m-%d %H:%M} UTC, {took / 60:.0f} min; {os.cpu_count()} cores ({_cpu_model()}), "
        f"Python {platform.python_version()}\n"
        f"machine load: average {load_before[0]:.1f} before, {load_after[0]:.1f} after; share of all cores busy "
        f"(everything on the machine): poll CPU {busy['poll CPU']:.0%}, sustained {busy['sustained']:.0%}, "
        f"overview {busy['overview']:.0%}\n"
        "CPU figures are process CPU time (less moved by other load); latencies are wall time (moved by it).\n"
        f"1. status poll between collects, process CPU per request (in-process, less the client's own):\n"
        f"     lean path {figure('poll_cpu_lean_ms'):.2f} ms, full way {figure('poll_cpu_full_ms'):.2f} ms, "
        f"bare endpoint {figure('poll_cpu_bare_ms'):.2f} ms -> ratio {figure('poll_cpu_ratio'):.1f}x (aim <= 2x; "
        f"full way {figure('poll_cpu_full_ms') / figure('poll_cpu_bare_ms'):.1f}x)\n"
        f"   the same in instructions per request (callgrind; not moved by other load): lean path "
        f"{figure('poll_instructions_lean_k'):.0f} k, full way {figure('poll_instructions_full_k'):.0f} k, bare "
        f"{figure('poll_instructions_bare_k'):.0f} k -> ratio {figure('poll_instructions_ratio'):.2f}x\n"
        f"2. polls/s sustained by 2 uvicorn workers at p95 <= 50 ms, every poll answered (logins polling once a "
        f"second, a collect every other poll): {sustained}; portal CPU "
        f"{figure('served_cpu_ms_per_poll_2w'):.2f} ms per poll answered (median of the rates tried; all workers, "
        f"/proc)\n"
        f"3. first overview after login (Min Pension 50 ms), wall p50 / p95, beyond the outside calls p50 / p95 "
        f"(aim p95 <= 100 ms), and CPU p50 / p95 (the request's thread and the alongside one):\n"
        + "".join(
            f"     back office {name:<11} {figure(f'overview_first_p50_ms_{label}'):.0f} / "
            f"{figure(f'overview_first_p95_ms_{label}'):.0f} ms, beyond "
            f"{figure(f'overview_first_beyond_outside_p50_ms_{label}'):.0f} / "
            f"{figure(f'overview_first_beyond_outside_p95_ms_{label}'):.0f} ms, CPU "
            f"{figure(f'overview_first_cpu_p50_ms_{label}'):.0f} / "
            f"{figure(f'overview_first_cpu_p95_ms_{label}'):.0f} ms\n"
            for name, label in (("over HTTP", "http"), ("in-process", "in_process"))
        )
    )
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
