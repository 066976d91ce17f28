"""Guards for views that show a citizen's own data."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from minasidor.identity.session import page_identity
from minasidor.identity.types import Identity

P = ParamSpec("P")
CitizenView = Callable[Concatenate[HttpRequest, Identity, P], HttpResponse]


def citizen_required(view: CitizenView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Run ``view`` with the logged-in citizen's identity, or send the visitor to log in.

    A session that has just reached its time limit leads to the page that says so instead. Pages behind
    it are never cached by the browser or a proxy. While the person acts for someone with a power of
    attorney, the view gets that person's identity (marked as acted for), or the acting guard's refusal is
    sent instead. The view is marked ``citizen_required`` (as Django marks ``csrf_exempt``), so tests find
    every citizen page in the URLconf (the query budgets).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        identity = page_identity(request)
        if identity is None:
            if getattr(request, "session_ended", None):
                return redirect("identity:session-ended")
            return redirect(settings.LOGIN_URL)
        # The acting guard's refusal, or the page.
        response = identity if isinstance(identity, HttpResponse) else view(request, identity, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    wrapper.citizen_required = True  # type: ignore[attr-defined]
    return cast("Callable[Concatenate[HttpRequest, P], HttpResponse]", wrapper)
