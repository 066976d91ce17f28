"""Create the demo case handler of ``make demo-data`` and print how to log in (test-only secrets; README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel import clock, totp
from minasidor.staff.demo import DEMO_HANDLER_PASSWORD, DEMO_HANDLER_TOTP_SECRET
from minasidor.staff.services import DemoAccountRefusedError, demo_handler_create


class Command(BaseCommand):
    help = (
        "Create the demo case handler (test-only password and authenticator secret, published in README) and "
        "print them; refused unless the simulators are enabled. With --code: print only the current code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", action="store_true", help="Print the demo handler's current six-digit code.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            self.stdout.write(totp.totp(totp.key_from(DEMO_HANDLER_TOTP_SECRET), clock.now()))
            return
        try:
            user, device = demo_handler_create()
        except DemoAccountRefusedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Demo case handler (TEST ONLY): {user.get_username()} / {DEMO_HANDLER_PASSWORD}")
        self.stdout.write(
            f"  authenticator: {totp.provisioning_uri(device.secret, account=user.get_username(), issuer='Mina sidor')}"
        )
        self.stdout.write("  current code: manage.py seed_demo_handler --code")
