"""``manage.py print_personal_codes``: write the letters of ordered personal codes to a print file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backoffice.personal_codes.printing import code_letters_print


class Command(BaseCommand):
    help = "Write every ordered personal code not yet printed to a new print file for the printing house."

    def handle(self, *args: Any, **options: Any) -> None:
        path = code_letters_print()
        self.stdout.write(f"Wrote {path}" if path else "No ordered codes to print.")
