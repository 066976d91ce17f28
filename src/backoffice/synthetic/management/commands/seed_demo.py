"""``manage.py seed_demo``: create the demo persons and list them with their stories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backoffice.synthetic.demo import DEMO_PERSONS, demo_persons_create
from kernel.personal_number import PersonalNumber


class Command(BaseCommand):
    help = "Create the demo persons (test personal numbers only) and print who they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bankid-persons",
            type=Path,
            help="also write the demo persons as test persons for the BankID test server (JSON)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        demo_persons_create()
        if options["bankid_persons"] is not None:
            path: Path = options["bankid_persons"]
            path.parent.mkdir(parents=True, exist_ok=True)
            entries = [
                {"personalNumber": d.personal_number, "givenName": d.given_name, "surname": d.family_name}
                for d in DEMO_PERSONS
            ]
            path.write_text(json.dumps(entries, ensure_ascii=False, indent=2))
        self.stdout.write("Test persons (Skatteverket's test personal numbers; log in as any of them):")
        for demo in DEMO_PERSONS:
            number = PersonalNumber(demo.personal_number).formatted()
            self.stdout.write(f"  {number}  {demo.given_name} {demo.family_name}: {demo.story}")
