"""The console's part of a staff member's session: who, since when, the second factor, and its time limits.

Console sessions are shorter than citizens' (decision 0131): ``IDLE_SECONDS`` without activity or
``ABSOLUTE_SECONDS`` after login end them, and with them every permission the agent holds.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import auth
from django.http import HttpRequest

from kernel import clock
from minasidor.temporary_access.services import permissions_end_for_agent
from minasidor.temporary_access.types import Agent

SESSION_KEY = "console"
IDLE_SECONDS = 10 * 60
ABSOLUTE_SECONDS = 4 * 60 * 60


def console_session_start(request: HttpRequest, *, staff_number: str, name: str, role: str) -> None:
    """After the provider's login: the agent, a new console session id, the role; no second factor yet."""
    now = clock.now().timestamp()
    request.session[SESSION_KEY] = {
        "staff_number": staff_number,
        "name": name,
        "role": role,
        "ref": secrets.token_urlsafe(16),
        "started": now,
        "seen": now,
        "second_factor": None,
    }


def console_data(request: HttpRequest) -> dict[str, Any] | None:
    data = request.session.get(SESSION_KEY)
    user = getattr(request, "user", None)
    if not data or user is None or not user.is_authenticated or user.username != f"oidc:{data['staff_number']}":
        return None
    return dict(data)


def second_factor_done(request: HttpRequest, *, method: str) -> None:
    data = request.session[SESSION_KEY]
    data["second_factor"] = method
    request.session[SESSION_KEY] = data
    request.session.cycle_key()


def agent_of(data: dict[str, Any]) -> Agent:
    return Agent(ref=data["staff_number"], name=data["name"], session_ref=data["ref"])


def timed_out(data: dict[str, Any]) -> bool:
    now = clock.now().timestamp()
    return bool(now - float(data["seen"]) >= IDLE_SECONDS or now - float(data["started"]) >= ABSOLUTE_SECONDS)


def console_touch(request: HttpRequest) -> None:
    data = request.session[SESSION_KEY]
    data["seen"] = clock.now().timestamp()
    request.session[SESSION_KEY] = data


def console_logout(request: HttpRequest) -> None:
    """End the console session: every permission the agent holds in it ends, and the session is deleted."""
    data = request.session.get(SESSION_KEY)
    if data:
        permissions_end_for_agent(agent=agent_of(data))
    auth.logout(request)
