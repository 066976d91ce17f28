"""Test helpers: an agent logged in to the console without going through the identity provider (tests only)."""

from __future__ import annotations

from django.test import Client

from minasidor.console.auth import CUSTOMER_SERVICE_ROLE
from minasidor.console.services import agent_account_create
from minasidor.console.session import SESSION_KEY, console_session_start
from minasidor.temporary_access.types import Agent


def agent_log_in(client: Client, *, staff_number: str = "K1001", name: str = "Kim Kundberg") -> Agent:
    """Log an agent in to ``client`` as the OIDC callback and the second factor would, and return them."""
    user, _device = agent_account_create(staff_number=staff_number, name=name)
    client.force_login(user, backend="minasidor.console.auth.ConsoleOIDCBackend")
    session = client.session
    request = type("R", (), {"session": session})()
    console_session_start(request, staff_number=staff_number, name=name, role=CUSTOMER_SERVICE_ROLE)
    session[SESSION_KEY] = {**session[SESSION_KEY], "second_factor": "totp"}
    session.save()
    data = session[SESSION_KEY]
    return Agent(ref=staff_number, name=name, session_ref=data["ref"])
