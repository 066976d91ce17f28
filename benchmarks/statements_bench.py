"""Benchmark of the yearly statement run: persons per second, and the time 1 000 000 persons would take.

Run ``python benchmarks/statements_bench.py`` (``--persons N``, ``--workers K``). It never touches the
development databases: by default it uses a new SQLite file in a temporary folder; ``--database-url``
points it at a PostgreSQL database made for the purpose (its tables are migrated and emptied first). It
seeds a synthetic population (not timed as the run), then times ``run_statements`` over it. Figures and
ratios only: no timed assertions (issue 4 target: 1 000 000 persons in under 5 minutes on PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_PERSONS = 1_000_000
TARGET_SECONDS = 300.0
YEAR = 2025


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    """Parse the options, prepare the database, seed and time the run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=20_000, help="persons in the population (default 20 000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    parser.add_argument("--partition-size", type=int, default=20_000, help="persons per partition")
    parser.add_argument(
        "--database-url", help="a PostgreSQL database for the benchmark (default: a temporary SQLite file)"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BACKOFFICE_DATABASE_URL"] = options.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'portal.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
        import django  # noqa: PLC0415 - configured by the environment above

        django.setup()
        from django.core.management import call_command  # noqa: PLC0415

        from backoffice.register.models import StatementRun  # noqa: PLC0415
        from backoffice.statements.bulk import is_postgresql  # noqa: PLC0415
        from backoffice.statements.run import run_statements  # noqa: PLC0415
        from backoffice.synthetic.seed import population_seed  # noqa: PLC0415

        # Both databases: the task queue has a table in each (decision 0110), and the seed's writes reach it.
        call_command("migrate", verbosity=0)
        call_command("migrate", database="backoffice", verbosity=0)
        engine = "PostgreSQL" if is_postgresql() else "SQLite"
        write(f"statement run benchmark: year {YEAR}, {engine}, {options.workers} worker(s), pid {os.getpid()}")
        began = time.perf_counter()
        population_seed(options.persons, seed=42)
        StatementRun.objects.all().delete()
        write(
            f"population: {options.persons:,} persons seeded in {time.perf_counter() - began:.1f} s (not timed below)"
        )
        report = run_statements(YEAR, workers=options.workers, partition_size=options.partition_size)
        rate = options.persons / report.seconds
        write(
            f"run: {report.persons:,} savers given statements, {report.partitions} partitions, {report.seconds:.2f} s"
        )
        write(f"  -> {rate:,.0f} persons/second (all persons read), {report.persons_per_second:,.0f} savers/second")
        if options.persons == TARGET_PERSONS:
            how, seconds = "measured", report.seconds
        else:
            how, seconds = f"EXTRAPOLATED from {options.persons:,}, not measured", TARGET_PERSONS / rate
        write(
            f"1 000 000 persons ({how}): {seconds:.0f} s "
            f"= {seconds / TARGET_SECONDS:.2f} × the {TARGET_SECONDS:.0f} s target"
        )


if __name__ == "__main__":
    main()
