"""``manage.py sharing_client_register``: register a third party that may ask citizens for consent.

The authority registers each client after an agreement: its name as citizens will read it on the consent
page, its exact redirect URIs, and whether it is confidential (a server that keeps a secret; the secret is
printed once and stored only hashed) or public (an app that cannot keep one; PKCE and DPoP bind its tokens).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from oauth2_provider.models import Application

# The demo third party of the simulators (simulators.sharing_client), whose secret is published: test-only.
DEMO_CLIENT_ID = "demo-radgivaren"


class Command(BaseCommand):
    help = "Register (or update) a third-party client of consented sharing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--name", required=True, help="the name citizens read on the consent page")
        parser.add_argument("--redirect-uri", action="append", required=True)
        parser.add_argument("--public", action="store_true", help="a client that cannot keep a secret")
        parser.add_argument("--secret", default="", help="the client secret (default: a new random one)")

    def handle(self, *args: Any, **options: Any) -> None:
        client_id: str = options["client_id"]
        if not client_id or len(client_id) > 100 or not client_id.replace("-", "").isalnum():
            raise CommandError("the client id is letters, digits and dashes, at most 100")
        if client_id == DEMO_CLIENT_ID and not settings.SIMULATORS_ENABLED:
            raise CommandError("the demo client (test-only secret) is registered only while the simulators are enabled")
        public = bool(options["public"])
        secret = "" if public else (options["secret"] or secrets.token_urlsafe(32))
        application, created = Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": options["name"],
                "redirect_uris": " ".join(options["redirect_uri"]),
                "client_type": Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "client_secret": secret,
                "skip_authorization": False,
                "algorithm": "",
            },
        )
        self.stdout.write(f"{'Registered' if created else 'Updated'} {application.client_id} ({application.name})")
        if secret and not options["secret"]:
            self.stdout.write(f"Client secret (shown once): {secret}")
