"""Benchmark of the DPoP replay store (decision 0222): the cost per request of remembering a proof's id with the
table at its steady size, when each request also deletes the old ids (as before) and when it only inserts and
a periodic job deletes them (now).

Run ``python benchmarks/dpop_proofs_bench.py`` (``--requests N``, ``--rate R`` reads a second). It uses a new
SQLite file in a temporary folder (never the development databases). The table is first filled as R reads a
second for two minutes leave it (in one bulk insert); then N requests are timed one after another, the clock
moving 1/R s each, in both ways. Figures only, no assertions; the machine is shared, so compare the ratio
rather than absolute times. With one process SQLite shows the statement cost only; the lock waits between
concurrent requests' deletes on PostgreSQL, which the periodic job removes, are not measured here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def report(name: str, seconds: list[float]) -> None:
    ordered = sorted(s * 1000 for s in seconds)
    write(
        f"  {name:<40} n={len(ordered):>5}  p50 {statistics.median(ordered):6.2f} ms"
        f"  p95 {ordered[int(0.95 * (len(ordered) - 1))]:6.2f} ms  mean {statistics.fmean(ordered):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500, help="timed requests per way (default 500)")
    parser.add_argument("--rate", type=int, default=50, help="reads a second the table is sized for (default 50)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'portal.sqlite3'}"
        os.environ["BACKOFFICE_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'backoffice.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
        import django  # noqa: PLC0415 - configured by the environment above

        django.setup()
        from django.core.management import call_command  # noqa: PLC0415

        from kernel import clock  # noqa: PLC0415
        from minasidor.sharing.models import ProofSeen  # noqa: PLC0415
        from minasidor.sharing.services import PROOF_KEPT, proof_seen_record, proofs_seen_expired_delete  # noqa: PLC0415

        call_command("migrate", verbosity=0)
        step = dt.timedelta(seconds=1 / options.rate)
        steady = int(PROOF_KEPT.total_seconds() * options.rate)
        write(f"DPoP replay store: {options.rate} reads/s, steady table of about {steady} ids (SQLite)")
        for name, trim_each in (("insert + delete each request (before)", True), ("insert only (now)", False)):
            ProofSeen.objects.all().delete()
            with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)) as frozen:
                start = clock.now()
                ProofSeen.objects.bulk_create(
                    ProofSeen(jti_digest=f"fill-{number}", seen_at=start + number * step) for number in range(steady)
                )
                frozen.advance(steady * step)
                timings: list[float] = []
                job: list[float] = []
                for number in range(options.requests):
                    started = time.perf_counter()
                    proof_seen_record(jkt="timed", jti=str(number))
                    if trim_each:
                        proofs_seen_expired_delete()
                    timings.append(time.perf_counter() - started)
                    frozen.advance(step)
                    if not trim_each and number % (60 * options.rate) == 0:
                        started = time.perf_counter()
                        proofs_seen_expired_delete()
                        job.append(time.perf_counter() - started)
            report(name, timings)
            if job:
                report("  the periodic job's run (once a minute)", job)


if __name__ == "__main__":
    main()
