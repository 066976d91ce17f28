"""The guard of every case-handling page: a staff member logged in through the staff login (password and a
TOTP code) who is a case handler (in the group ``CASE_HANDLERS_GROUP``, or a superuser)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, cast
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from minasidor.audit.types import Principal, PrincipalKind

P = ParamSpec("P")
HandlerView = Callable[Concatenate[HttpRequest, Principal, P], HttpResponse]
CASE_HANDLERS_GROUP = "case_handlers"


def is_case_handler(user: object) -> bool:
    """Whether ``user`` may handle cases."""
    if not isinstance(user, User) or not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=CASE_HANDLERS_GROUP).exists()


def handler_principal(user: User) -> Principal:
    """The principal a handler acts as: their staff account's name, in the back office's records and the
    history of the case (never shown to the citizen)."""
    return Principal(kind=PrincipalKind.HANDLER, ref=f"staff:{user.get_username()}")


def handler_required(view: HandlerView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Run ``view`` with the handler's principal; send a visitor who is not logged in to the staff login, and
    refuse a staff member who is not a case handler. The pages are never cached."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(f"{reverse('staff:login')}?{urlencode({'next': request.get_full_path()})}")
        if not is_case_handler(user):
            raise PermissionDenied("only case handlers handle cases")
        response = view(request, handler_principal(user), *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    wrapper.handler_required = True  # type: ignore[attr-defined]
    return cast("Callable[Concatenate[HttpRequest, P], HttpResponse]", wrapper)
