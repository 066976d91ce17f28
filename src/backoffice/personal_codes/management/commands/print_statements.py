"""``manage.py print_statements --year Y``: write (again) the statement run's print file of year Y."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backoffice.personal_codes.printing import statement_print_file_write


class Command(BaseCommand):
    help = "Write the print file of year Y's statements with their personal codes (the same codes every time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Wrote {statement_print_file_write(options['year'])}")
