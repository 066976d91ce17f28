"""Räkna på bostadstillägg: the housing-supplement calculator, prefilled with what the register knows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kernel import clock
from minasidor.housing.forms import MARRIED, SINGLE, HousingForm
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.pension_data.housing import HousingAnswers, HousingPrefill, housing_estimate, housing_prefill
from minasidor.pension_data.session import pension_data_get

PAGE_TITLE = _("Calculate housing supplement")


def _initial(prefill: HousingPrefill | None) -> dict[str, Any]:
    if prefill is None:
        return {}
    return {
        "civil_status": MARRIED if prefill.married else SINGLE,
        "guarantee_pension_per_month": prefill.guarantee_pension_per_month,
        "income_based_pension_per_month": prefill.income_based_pension_per_month,
    }


@require_http_methods(["GET", "POST"])
@citizen_required
def calculator(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The questions, prefilled from the register; on a valid post, the estimate under the same questions.

    The answers are posted (never in the address) and kept nowhere: the page computes and forgets.
    """
    data = pension_data_get(request, identity)
    snapshot = data.snapshot if data is not None else None
    today = clock.today()
    prefill = housing_prefill(snapshot, today) if snapshot is not None else None
    form = HousingForm(request.POST if request.method == "POST" else None, initial=_initial(prefill))
    estimate = None
    if request.method == "POST" and form.is_valid():
        answers = HousingAnswers(
            married=form.cleaned_data["civil_status"] == MARRIED,
            municipal_tax_rate=prefill.municipal_tax_rate if prefill is not None else None,
            **form.amounts(),
        )
        estimate = housing_estimate(answers, today)
    context = {
        "page_title": PAGE_TITLE,
        "data": data,
        "prefill": prefill,
        "form": form,
        "estimate": estimate,
    }
    return render(request, "housing/calculator.html", context)
