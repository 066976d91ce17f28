"""Development only: print an agent's current authenticator code (instead of a phone app)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel import clock, totp
from minasidor.staff.models import StaffTotpDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of the console agent with this staff number (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("staff_number")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SIMULATORS_ENABLED:
            raise CommandError("Only in development (MINASIDOR_SIMULATORS_ENABLED).")
        device = StaffTotpDevice.objects.filter(user__username=f"oidc:{options['staff_number']}").first()
        if device is None:
            raise CommandError("No such agent; run console_agent first.")
        self.stdout.write(totp.totp(totp.key_from(device.secret), clock.now()))
