"""``manage.py run_statements --year Y [--workers K]``: the yearly statement run (orange envelope)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backoffice.statements.bulk import is_postgresql
from backoffice.statements.run import DEFAULT_PARTITION_SIZE, run_statements


class Command(BaseCommand):
    help = (
        "Compute every saver's annual statement for a year with the pension engine, in partitions by personal "
        "number. Idempotent and restartable: a killed run resumes where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="statement year")
        parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only; default 1)")
        parser.add_argument(
            "--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, help="persons per partition (new runs)"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        year, workers = options["year"], options["workers"]
        if not 1961 <= year <= 2026:
            self.stderr.write("--year must be between 1961 and 2026 (the years with decided incomes)")
            raise SystemExit(2)
        if workers < 1 or options["partition_size"] < 1:
            self.stderr.write("--workers and --partition-size must be at least 1")
            raise SystemExit(2)
        if workers > 1 and not is_postgresql():
            self.stdout.write("SQLite takes one writer at a time: running with one worker.")
            workers = 1
        report = run_statements(
            year, workers=workers, partition_size=options["partition_size"], progress=not options["quiet"]
        )
        self.stdout.write(
            f"Statements {year}: {report.persons} persons in {report.partitions} partitions, "
            f"{report.seconds:.1f} s, {report.persons_per_second:,.0f} persons/s."
        )
