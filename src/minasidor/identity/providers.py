"""The ways to log in that the login page offers, and the provider each one begins at.

Each provider (``contrib/<provider>/``) has a ``begin`` view that starts its login in answer to the citizen's
POST on the login page; this list names them in the order the page shows them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minasidor.identity.contrib.bankid import views as bankid_views
from minasidor.identity.contrib.saml import views as saml_views


@dataclasses.dataclass(frozen=True, slots=True)
class LoginOption:
    """One answer to "How do you want to log in?": its value in the form, its label, and where it begins."""

    value: str
    label: Promise
    begin: Callable[[HttpRequest], HttpResponse]


LOGIN_OPTIONS: tuple[LoginOption, ...] = (
    LoginOption("bankid-this-device", _("BankID on this device"), lambda r: bankid_views.begin(r, "this_device")),
    LoginOption(
        "bankid-other-device",
        _("BankID on another device (scan a QR code)"),
        lambda r: bankid_views.begin(r, "other_device"),
    ),
    LoginOption("foreign-eid", _("Foreign eID (eIDAS)"), lambda r: saml_views.begin(r, "eidas")),
    LoginOption("other-swedish-eid", _("Other Swedish e-ID"), lambda r: saml_views.begin(r, "swedish_eid")),
)


def login_begin(request: HttpRequest, value: str) -> HttpResponse:
    """Begin the login the citizen chose (``value`` is one of :data:`LOGIN_OPTIONS`' values)."""
    option = next(option for option in LOGIN_OPTIONS if option.value == value)
    return option.begin(request)
