"""``manage.py print_form_orders``: write the ordered paper forms to a print file for the printing house."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backoffice.paper_forms.printing import form_letters_print


class Command(BaseCommand):
    help = "Write every ordered paper form not yet printed to a print file for the printing house (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        paths = form_letters_print()
        self.stdout.write("\n".join(f"Wrote {path}" for path in paths) if paths else "No ordered forms to print.")
