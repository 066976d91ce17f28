"""Register an authenticator app for a staff account and print what to enter into the app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel import totp
from minasidor.staff.services import totp_device_create


class Command(BaseCommand):
    help = "Give a staff account a new TOTP secret (replacing any earlier one) and print its otpauth:// address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_staff=True).first()
        if user is None:
            raise CommandError("No staff account with that username.")
        device = totp_device_create(user=user)
        self.stdout.write(totp.provisioning_uri(device.secret, account=user.get_username(), issuer="Mina sidor"))
