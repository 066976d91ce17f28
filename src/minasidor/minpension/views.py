"""The citizen's occupational and private pensions from Min Pension, and the consent to register there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.minpension.errors import MinPensionError
from minasidor.minpension.forms import ConsentForm
from minasidor.minpension.income import income_by_withdrawal_age
from minasidor.minpension.selectors import (
    MinPensionResult,
    Outcome,
    min_pension_fetch_allowed,
    min_pension_status_get,
)
from minasidor.minpension.services import min_pension_consent_give
from minasidor.minpension.types import UserStatus
from minasidor.mypension.session_data import min_pension_refresh, pension_data_get

PAGE_TITLE = _("Occupational and private pensions")


def _content(name: str) -> str:
    return f"minpension/content/{name}.{get_language() or 'sv'}.html"


def _result(request: HttpRequest, identity: Identity) -> MinPensionResult | None:
    """Min Pension's answer for the citizen, as fetched for this session; None without a Swedish number."""
    data = pension_data_get(request, identity)
    if data is None:
        return None
    return data.min_pension or MinPensionResult(Outcome.UNAVAILABLE)


@require_safe
@citizen_required
def pensions(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What Min Pension knows, or why it is not shown: not registered, retired, or not reachable now."""
    result = _result(request, identity)
    context: dict[str, Any] = {"page_title": PAGE_TITLE, "result": result, "outcome": result and result.outcome}
    if result is not None and result.holdings is not None:
        context["holdings"] = result.holdings
        context["income"] = sorted(income_by_withdrawal_age(result.holdings).items())
        context["about_template"] = _content("about_forecast")
    return render(request, "minpension/pensions.html", context)


def _consent_gate(request: HttpRequest, identity: Identity) -> HttpResponse | UserStatus:
    """Min Pension's status when the consent page applies; otherwise the response to give instead."""
    if identity.personal_number is None:
        return redirect("minpension:pensions")
    principal = citizen_principal(identity.subject_key)
    data = pension_data_get(request, identity)
    person = data.snapshot.person if data is not None and data.snapshot is not None else None
    if person is not None and not min_pension_fetch_allowed(
        drawing_pension=person.drawing_pension, still_working=person.still_working
    ):
        return redirect("minpension:pensions")
    try:
        status = min_pension_status_get(
            principal=principal, subject_key=identity.subject_key, personal_number=identity.personal_number
        )
    except MinPensionError:
        return _unavailable(request)
    return redirect("minpension:pensions") if status.may_fetch else status


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "minpension/consent_unavailable.html", {"page_title": PAGE_TITLE})


@require_http_methods(["GET", "POST"])
@citizen_required
def consent(request: HttpRequest, identity: Identity) -> HttpResponse:
    """One question: register with Min Pension and accept its terms. Redirect after a successful POST."""
    gate = _consent_gate(request, identity)
    if isinstance(gate, HttpResponse):
        return gate
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["consent"] == "yes":
            assert identity.personal_number is not None  # noqa: S101 - checked by the gate
            try:
                min_pension_consent_give(
                    principal=citizen_principal(identity.subject_key),
                    subject_key=identity.subject_key,
                    personal_number=identity.personal_number,
                    terms_version=gate.current_terms_version,
                    language=get_language() or "sv",
                )
            except MinPensionError:
                return _unavailable(request)
            min_pension_refresh(request, identity)
            messages.success(request, _("You are now registered with Min Pension."))
        return redirect("minpension:pensions")
    context = {
        "form": form,
        "page_title": _("Register with Min Pension"),
        "terms_template": _content("terms"),
        "terms_version": gate.current_terms_version,
    }
    return render(request, "minpension/consent.html", context)
