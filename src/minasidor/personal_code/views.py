"""Personlig kod: what the code is for, and ordering a new one by post (it is never shown here)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.personal_code.services import personal_code_order
from minasidor.registers.types import RegistersError

PAGE_TITLE = _("Your personal code")


@require_http_methods(["GET", "POST"])
@citizen_required
def order(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What the code is for and a button to order a new one; the post orders it and shows the receipt."""
    failed = False
    if request.method == "POST" and identity.personal_number is not None:
        try:
            ordered = personal_code_order(identity=identity)
        except RegistersError:
            failed = True
        else:
            return redirect("personal_code:ordered" if ordered else "personal_code:on-its-way")
    context = {
        "page_title": PAGE_TITLE,
        "can_order": identity.personal_number is not None,
        "failed": failed,
        "phone": settings.CUSTOMER_SERVICE_PHONE,
    }
    return render(request, "personal_code/order.html", context, status=503 if failed else 200)


@require_safe
@citizen_required
def ordered(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The receipt: a new code comes by post, the old one no longer works."""
    return render(request, "personal_code/ordered.html", {"page_title": _("A new personal code is on its way")})


@require_safe
@citizen_required
def on_its_way(request: HttpRequest, identity: Identity) -> HttpResponse:
    """A code ordered earlier has not been sent yet: it comes, and no second one is made."""
    return render(
        request, "personal_code/ordered.html", {"page_title": _("A new personal code is on its way"), "earlier": True}
    )
