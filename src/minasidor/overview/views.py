"""The citizen's landing page after login: Min pension, the overview of what they have and will get."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.mypension.selectors import forecast_get, payments_summary
from minasidor.mypension.session_data import pension_data_get


@require_safe
@citizen_required
def home(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Earned pension, the latest statement, funds, payments, the forecast and cases; what failed, said so."""
    data = pension_data_get(request, identity)
    context = {
        "identity": identity,
        "page_title": _("My pension"),
        "data": data,
        "snapshot": data.snapshot if data is not None else None,
        "forecast": forecast_get(request, data) if data is not None else None,
        "payments": payments_summary(data) if data is not None else None,
    }
    return render(request, "overview/home.html", context)
