"""The application for housing supplement (ansökan om bostadstillägg): one page of questions (prefilled from
the calculator when the person comes from it), a summary with the estimate, signing through the signing
step, and the same outbox and receipt page as the application for old-age pension.

Only a person who draws their old-age pension can be granted housing supplement; others are told so and
pointed to the calculator. The draft is kept in the session only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from minasidor.applications.housing_documents import housing_answers, housing_supplement_document
from minasidor.applications.housing_forms import HousingSupplementForm
from minasidor.applications.services import PowerEndedError
from minasidor.applications.signing_flow import SigningFlow, on_behalf_of
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.pension_data.housing import HousingAnswers, HousingEstimate, housing_estimate, housing_prefill
from minasidor.pension_data.session import pension_data_get
from minasidor.registers.types import (
    HOUSEHOLD_AMOUNTS,
    CaseType,
    CivilStatusAnswer,
    HousingKind,
    HousingSupplementApplication,
    PersonSnapshot,
)

TITLE = _("Apply for housing supplement")
DRAFT_KEY = "applications.housing.draft"
SIGNING = SigningFlow(
    case_type=CaseType.HOUSING_SUPPLEMENT,
    signing_key="applications.housing.signing",
    draft_key=DRAFT_KEY,
    start="applications:housing",
    summary="applications:housing-summary",
    signed="applications:housing-signed",
)
FROM_CALCULATOR = "fran_kalkylen"  # the calculator posts its answers here to start the application with them
MARRIED_ANSWERS = {"married": CivilStatusAnswer.MARRIED, "single": CivilStatusAnswer.SINGLE}


def _snapshot(request: HttpRequest, identity: Identity) -> PersonSnapshot | None:
    data = pension_data_get(request, identity)
    return data.snapshot if data is not None else None


def _unavailable(request: HttpRequest, snapshot: PersonSnapshot | None) -> HttpResponse | None:
    if snapshot is not None and snapshot.person.drawing_pension:
        return None
    reason = "not_drawing" if snapshot is not None else "register"
    return render(request, "applications/housing_unavailable.html", {"page_title": TITLE, "reason": reason})


def _from_calculator(posted: Any) -> dict[str, Any]:
    """The calculator's answers as the application's initial values (civil status mapped, amounts kept)."""
    initial: dict[str, Any] = {name: posted.get(name, "") for name in HOUSEHOLD_AMOUNTS if name in posted}
    if posted.get("civil_status") in MARRIED_ANSWERS:
        initial["civil_status"] = MARRIED_ANSWERS[posted["civil_status"]]
    return initial


def _application(identity: Identity, draft: dict[str, Any]) -> HousingSupplementApplication:
    assert identity.personal_number is not None  # noqa: S101 - only a person with a snapshot gets here
    return HousingSupplementApplication(
        applicant=identity.personal_number,
        from_month=dt.date.fromisoformat(draft["from_month"] + "-01"),
        civil_status=CivilStatusAnswer(draft["civil_status"]),
        housing_kind=HousingKind(draft["housing_kind"]),
        housing_cost_per_month=int(draft["housing_cost_per_month"]),
        occupational_pension_per_month=int(draft["occupational_pension_per_month"]),
        earned_income_per_month=int(draft["earned_income_per_month"]),
        capital_income_per_year=int(draft["capital_income_per_year"]),
        assets=int(draft["assets"]),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def housing(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The questions; a valid answer is kept in the session and leads to the summary."""
    snapshot = _snapshot(request, identity)
    refusal = _unavailable(request, snapshot)
    if refusal is not None:
        return refusal
    today = clock.today()
    draft = request.session.get(DRAFT_KEY)
    if request.method == "POST" and FROM_CALCULATOR in request.POST:
        form = HousingSupplementForm(initial=_from_calculator(request.POST), today=today)
    elif request.method == "POST":
        form = HousingSupplementForm(request.POST, today=today)
        if form.is_valid():
            request.session[DRAFT_KEY] = {
                "from_month": form.cleaned_data["from_month"],
                "civil_status": form.cleaned_data["civil_status"],
                "housing_kind": form.cleaned_data["housing_kind"],
                **form.amounts(),
            }
            return redirect("applications:housing-summary")
    else:
        form = HousingSupplementForm(initial=draft or {"from_month": f"{today:%Y-%m}"}, today=today)
    return render(request, "applications/housing.html", {"page_title": TITLE, "form": form})


def _estimate(snapshot: PersonSnapshot, application: HousingSupplementApplication) -> HousingEstimate:
    today = clock.today()
    prefill = housing_prefill(snapshot, today)
    answers = HousingAnswers(
        married=application.civil_status != CivilStatusAnswer.SINGLE,
        housing_cost_per_month=application.housing_cost_per_month,
        guarantee_pension_per_month=prefill.guarantee_pension_per_month,
        income_based_pension_per_month=prefill.income_based_pension_per_month,
        occupational_pension_per_month=application.occupational_pension_per_month,
        earned_income_per_month=application.earned_income_per_month,
        capital_income_per_year=application.capital_income_per_year,
        assets=application.assets,
        municipal_tax_rate=prefill.municipal_tax_rate,
    )
    return housing_estimate(answers, today)


@require_safe
@citizen_required
def housing_summary(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The answers with a change link, the estimate, and the button to sign."""
    snapshot = _snapshot(request, identity)
    refusal = _unavailable(request, snapshot)
    if refusal is not None:
        return refusal
    assert snapshot is not None  # noqa: S101 - _unavailable refuses without one
    draft = request.session.get(DRAFT_KEY)
    if not isinstance(draft, dict):
        return redirect("applications:housing")
    application = _application(identity, draft)
    context = {
        "page_title": _("Check your application"),
        "rows": housing_answers(application),
        "estimate": _estimate(snapshot, application),
    }
    return render(request, "applications/housing_summary.html", context)


@require_POST
@citizen_required
def housing_sign(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Make the document of the draft and ask the signing step for the person's signature."""
    draft = request.session.get(DRAFT_KEY)
    if not isinstance(draft, dict):
        return redirect("applications:housing")
    try:  # a delegate signs for the person, with their own e-ID (decision 0217)
        on_behalf = on_behalf_of(identity)
    except PowerEndedError:
        return redirect("applications:housing-summary")
    application = _application(identity, draft)
    return SIGNING.begin(
        request, housing_supplement_document(application, language=get_language() or "sv", on_behalf=on_behalf)
    )


@require_safe
@citizen_required
def housing_signed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the signing step returns: keep and send the signed application once, then show where it is."""
    return SIGNING.finish(request, identity)
