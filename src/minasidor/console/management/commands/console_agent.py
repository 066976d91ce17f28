"""Prepare a customer-service agent's account and authenticator app; print what to enter into the app."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kernel import totp
from minasidor.console.services import agent_account_create


class Command(BaseCommand):
    help = "Create (or renew the TOTP secret of) the console account of an agent with this staff number."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("staff_number")
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user, device = agent_account_create(staff_number=options["staff_number"], name=options["name"])
        self.stdout.write(totp.provisioning_uri(device.secret, account=user.get_username(), issuer="Kundservice"))
