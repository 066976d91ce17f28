"""The public pages: the start page, the choice of login method, and the information pages."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from minasidor.identity.contrib.bankid import views as bankid_views
from minasidor.identity.contrib.bankid.flow import Flow
from minasidor.identity.contrib.saml import views as saml_views
from minasidor.identity.contrib.saml.service import Kind as SamlKind
from minasidor.identity.session import current_identity
from minasidor.ui.forms import RadioSelect


def _localized(name: str) -> str:
    """The content template ``name`` in the reader's language (long prose is written per language)."""
    return f"ui/content/{name}.{get_language() or 'sv'}.html"


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What Mina sidor is, how to log in, and how personal data is handled."""
    return render(request, "ui/page.html", {"content_template": _localized("start"), "page_title": ""})


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    """How the portal handles personal data."""
    context = {"content_template": _localized("personal_data"), "page_title": _("Your personal data")}
    return render(request, "ui/page.html", context)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the law requires of public e-services (DOS-lagen)."""
    context = {"content_template": _localized("accessibility"), "page_title": _("Accessibility statement")}
    return render(request, "ui/page.html", context)


class LoginMethod(forms.Form):
    """One question: how the citizen wants to identify themself."""

    question_as_heading = True
    method = forms.ChoiceField(
        label=_("How do you want to log in?"),
        help_text=_("You need an e-ID. Use only your own."),
        choices=[
            ("bankid-this-device", _("BankID on this device")),
            ("bankid-other-device", _("BankID on another device (scan a QR code)")),
            ("foreign-eid", _("Foreign eID (eIDAS)")),
            ("other-swedish-eid", _("Other Swedish e-ID")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose how you want to log in")},
    )


_LOGIN_METHODS: set[str] = set()
_BANKID_FLOWS: dict[str, Flow] = {"bankid-this-device": "this_device", "bankid-other-device": "other_device"}
_SAML_KINDS: dict[str, SamlKind] = {"foreign-eid": "eidas", "other-swedish-eid": "swedish_eid"}


@require_http_methods(["GET", "POST"])
def login_choice(request: HttpRequest) -> HttpResponse:
    """Ask how to log in; a valid answer leads to that method's page (redirect after POST).

    A citizen who is already logged in is sent on to their pages. That also covers a race at the end of a
    BankID login: the browser may come back from the app with the session cookie of just before the page's
    own poll finished the login (and renewed the session id), land here, and then carry the new cookie.
    """
    if request.method == "GET" and current_identity(request) is not None:
        return redirect("pensions:home")
    form = LoginMethod(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        method = form.cleaned_data["method"]
        if method in _BANKID_FLOWS:
            return bankid_views.begin(request, _BANKID_FLOWS[method])
        if method in _SAML_KINDS:
            return saml_views.begin(request, _SAML_KINDS[method])
        return redirect("ui:login-method", method=method)
    return render(request, "ui/login_choice.html", {"form": form, "page_title": _("Log in")})


@require_safe
def login_method(request: HttpRequest, method: str) -> HttpResponse:
    """A login method's page. The methods are connected by the identity apps as they are built."""
    if method not in _LOGIN_METHODS:
        raise Http404
    return render(request, "ui/login_unavailable.html", {"page_title": _("Log in")}, status=503)
