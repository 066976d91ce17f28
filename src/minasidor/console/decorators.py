"""The guard of every console page: a logged-in agent with the role, the second factor, within time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from minasidor.console.auth import CUSTOMER_SERVICE_ROLE
from minasidor.console.session import agent_of, console_data, console_logout, console_touch, timed_out
from minasidor.temporary_access.types import Agent

P = ParamSpec("P")
AgentView = Callable[Concatenate[HttpRequest, Agent, P], HttpResponse]


def agent_required(view: AgentView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Run ``view`` with the agent, or send the visitor to the console's login (or second factor) page.

    A console session past its idle or absolute limit is ended here (and with it the agent's permissions).
    Console pages are never cached.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        data = console_data(request)
        if data is None or data.get("role") != CUSTOMER_SERVICE_ROLE:
            return redirect("console:login")
        if timed_out(data):
            console_logout(request)
            return redirect("console:login")
        if not data.get("second_factor"):
            return redirect("console:second-factor")
        console_touch(request)
        response = view(request, agent_of(data), *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    wrapper.agent_required = True  # type: ignore[attr-defined]
    return cast("Callable[Concatenate[HttpRequest, P], HttpResponse]", wrapper)
