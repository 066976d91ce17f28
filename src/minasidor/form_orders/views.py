"""Beställ blankett: the citizen chooses a paper form and it comes by post (decision 0203)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from minasidor.form_orders.forms import FormChoiceForm
from minasidor.form_orders.services import form_order
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersError

PAGE_TITLE = _("Order a form")


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


@require_http_methods(["GET", "POST"])
@citizen_required
def order(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Which form to send by post; the post orders it and goes to the receipt."""
    context: dict[str, object] = {"page_title": PAGE_TITLE, "phone": settings.CUSTOMER_SERVICE_PHONE}
    if identity.personal_number is None:
        return render(request, "form_orders/order.html", {**context, "can_order": False})
    try:
        catalogue = registers().form_catalogue(identity.principal)
    except RegistersError:
        return render(request, "form_orders/order.html", {**context, "can_order": True, "failed": True}, status=503)
    form = FormChoiceForm(request.POST or None, catalogue=catalogue, language=_language())
    if request.method == "POST" and form.is_valid():
        try:
            receipt = form_order(identity=identity, form_code=form.cleaned_data["form"])
        except RegistersError:
            context.update(failed=True)
        else:
            target = "form_orders:ordered" if receipt.ordered else "form_orders:on-its-way"
            return redirect(f"{reverse(target)}?{urlencode({'blankett': receipt.form_code})}")
    status = 503 if context.get("failed") else 200
    return render(request, "form_orders/order.html", {**context, "can_order": True, "form": form}, status=status)


def _receipt(request: HttpRequest, identity: Identity, *, earlier: bool) -> HttpResponse:
    code = request.GET.get("blankett", "")
    try:
        catalogue = registers().form_catalogue(identity.principal)
    except RegistersError:
        catalogue = ()
    chosen = next((entry for entry in catalogue if entry.code == code), None)
    if chosen is None:
        return redirect("form_orders:order")
    context = {"page_title": _("Your form is on its way"), "title": chosen.title(_language()), "earlier": earlier}
    return render(request, "form_orders/ordered.html", context)


@require_safe
@citizen_required
def ordered(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The receipt: the form comes by post to the registered address."""
    return _receipt(request, identity, earlier=False)


@require_safe
@citizen_required
def on_its_way(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The same form was ordered earlier and has not been sent yet: it comes, and no second one is sent."""
    return _receipt(request, identity, earlier=True)
