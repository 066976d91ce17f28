"""Write the "not available right now" page in each language as a file, for the reverse proxy's error pages.

    manage.py unavailable_pages DIRECTORY

When no instance can answer (every one down, or the worker that held a request killed), nginx answers for the
portal. It then serves these files (deploy/nginx/minasidor.conf: `unavailable.sv.html`, `unavailable.en.html`,
chosen by the address's language prefix), so the citizen sees the portal's own 503 page in their language and
not a page of nginx's. Run at each deployment, after `collectstatic` (the page links the built stylesheet).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.template import loader
from django.utils import translation


class Command(BaseCommand):
    help = "Write the portal's 'not available right now' page in each language into DIRECTORY (for nginx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        directory.mkdir(parents=True, exist_ok=True)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                page = loader.render_to_string("operations/unavailable.html")
            path = directory / f"unavailable.{language}.html"
            temporary = path.with_suffix(".tmp")
            temporary.write_text(page, encoding="utf-8")
            temporary.replace(path)  # nginx never reads a half-written page
            if options["verbosity"] > 0:
                self.stdout.write(f"wrote {path}")
