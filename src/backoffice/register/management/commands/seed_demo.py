"""``manage.py seed_demo``: create the demo persons and list them with their stories."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from backoffice.register.demo import DEMO_PERSONS, demo_persons_create
from kernel.personal_number import PersonalNumber


class Command(BaseCommand):
    help = "Create the demo persons (test personal numbers only) and print who they are."

    def handle(self, *args: Any, **options: Any) -> None:
        demo_persons_create()
        self.stdout.write("Test persons (Skatteverket's test personal numbers; log in as any of them):")
        for demo in DEMO_PERSONS:
            number = PersonalNumber(demo.personal_number).formatted()
            self.stdout.write(f"  {number}  {demo.given_name} {demo.family_name}: {demo.story}")
