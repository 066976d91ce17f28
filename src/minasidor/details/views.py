"""My details (Mina uppgifter): the address as the population register has it, the contact details, the
language of letters, the payment account and the tax withholding."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from minasidor.details.accounts import account_masked
from minasidor.details.selectors import details_get
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity

OVERVIEW_TITLE = _("My details")
SKATTEVERKET_MOVING_URL = "https://www.skatteverket.se/privat/folkbokforing/flyttanmalan"


@require_safe
@citizen_required
def overview(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Everything the authority knows of how to reach and pay the citizen, with where to change each."""
    details = details_get(identity=identity)
    records = details.records
    context = {
        "page_title": OVERVIEW_TITLE,
        "details": details,
        "contact": None if records is None else records.contact_details,
        "account": None if records is None or records.payment_account is None else records.payment_account,
        "account_masked": ""
        if records is None or records.payment_account is None
        else account_masked(records.payment_account),
        "tax": None if records is None else records.tax_settings,
        "skatteverket_url": SKATTEVERKET_MOVING_URL,
        "phone": settings.CUSTOMER_SERVICE_PHONE,
    }
    return render(request, "details/overview.html", context, status=503 if details.unavailable else 200)
