"""The signing step's pages: what is to be signed and how, and the page for people who cannot sign here yet.

The views translate HTTP to :mod:`.flow` and back; a caller sends the browser here with ``flow.sign_begin``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.signing_step.flow import method_for, pending_forget, pending_of


def _nothing_to_sign(request: HttpRequest) -> HttpResponse:
    return render(request, "signing_step/nothing.html", {"page_title": _("Nothing to sign")})


@require_safe
@citizen_required
def start(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What the person is about to sign, and how they sign it (chosen by how they logged in)."""
    pending = pending_of(request)
    if pending is None:
        return _nothing_to_sign(request)
    context = {"summary": pending.document.summary, "cancel_url": pending.cancel_url}
    if method_for(identity) == "signature_service":
        context |= {
            "page_title": _("Apply on paper"),
            "customer_service_phone": settings.CUSTOMER_SERVICE_PHONE,
        }
        return render(request, "signing_step/paper.html", context)
    context["page_title"] = _("Sign with BankID")
    return render(request, "signing_step/start.html", context)


@require_POST
@citizen_required
def cancel(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The person does not sign now: back to the caller, whose answers are kept."""
    pending = pending_of(request)
    pending_forget(request)
    if pending is None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    messages.info(request, _("Nothing was signed. What you have filled in is kept."))
    return redirect(pending.cancel_url)
