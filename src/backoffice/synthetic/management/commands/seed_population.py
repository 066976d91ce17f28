"""``manage.py seed_population --persons N --seed S``: a deterministic synthetic population in the register."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backoffice.statements.run import run_statements
from backoffice.synthetic.demo import LATEST_STATEMENT_YEAR
from backoffice.synthetic.seed import population_seed


class Command(BaseCommand):
    help = (
        "Create a synthetic population (coordination numbers with birth numbers 900–999, docs/decisions/0030) "
        "with incomes, customer records and pensions, and run the latest year's statements for it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=10_000, help="how many persons (default 10 000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same people")
        parser.add_argument(
            "--statement-year",
            type=int,
            default=LATEST_STATEMENT_YEAR,
            help=f"also run this year's statements (default {LATEST_STATEMENT_YEAR}; 0: do not)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        persons, seed = options["persons"], options["seed"]
        if persons < 0:
            self.stderr.write("--persons must not be negative")
            raise SystemExit(2)
        began = time.perf_counter()
        created = population_seed(persons, seed, progress=not options["quiet"])
        if not created:
            self.stdout.write(f"The synthetic population of {persons} persons (seed {seed}) is already in place.")
        else:
            seconds = time.perf_counter() - began
            self.stdout.write(f"Created {persons} synthetic persons (seed {seed}) in {seconds:.1f} s.")
        if options["statement_year"]:
            # No personal codes for the made-up people: hashing each with Argon2id would take a tenth of a
            # second apiece; the demo persons get theirs (docs/decisions/0140).
            report = run_statements(options["statement_year"], progress=not options["quiet"], personal_codes=False)
            if report.partitions:
                self.stdout.write(
                    f"Statements {options['statement_year']}: {report.persons} persons "
                    f"in {report.seconds:.1f} s ({report.persons_per_second:,.0f} persons/s)."
                )
