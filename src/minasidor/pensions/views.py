"""The citizen's pension pages: the overview, the forecast, fetching the data again, the documents to download,
and Min Pension's occupational and private pensions with the consent to register there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.minpension.errors import MinPensionError
from minasidor.minpension.income import income_by_withdrawal_age, income_paid_now
from minasidor.minpension.selectors import min_pension_fetch_allowed, min_pension_status_get
from minasidor.minpension.services import min_pension_consent_give
from minasidor.minpension.types import MinPensionResult, Outcome, UserStatus
from minasidor.pension_data.session import (
    forecast_make,
    forecast_window,
    min_pension_refresh,
    overview_get,
    pension_data_get,
    pension_data_refresh,
)
from minasidor.pension_data.types import AgeWindow, PensionForecast
from minasidor.pension_data.withdrawal import WithdrawalForecast, may_change, parts_drawn, withdrawal_forecast
from minasidor.pensions.assumptions import forecast_assumptions
from minasidor.pensions.charts import chosen_income_over_age_svg, forecast_by_age_svg
from minasidor.pensions.explain import forecast_notes
from minasidor.pensions.forms import ConsentForm, DrawingForecastForm, ForecastForm, initial_of
from minasidor.pensions.selectors import decision_letter_find, payments_summary
from minasidor.pensions.shown import statement_shown
from minasidor.pensions.templatetags.pensions import benefit_name
from minasidor.registers.types import PersonSnapshot

FORECAST_TITLE = _("Pension forecast")
MIN_PENSION_TITLE = _("Occupational and private pensions")


@require_safe
@citizen_required
def home(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Earned pension, the latest statement, funds, payments, the forecast and cases; what failed, said so.

    The decision letter is looked up, and the forecast made, while Min Pension is asked (decision 0246)."""
    overview = overview_get(
        request, identity, alongside=lambda snapshot: decision_letter_find(identity=identity, snapshot=snapshot)
    )
    data = overview.data
    context = {
        "identity": identity,
        "page_title": _("My pension"),
        "data": data,
        "snapshot": data.snapshot if data is not None else None,
        "statement_shown": statement_shown(data.snapshot.latest_statement) if data and data.snapshot else None,
        "forecast": overview.forecast,
        "payments": payments_summary(data) if data is not None else None,
        "decision_letter": overview.alongside,
    }
    return render(request, "pensions/home.html", context)


def _form(
    window: AgeWindow | None, *, posted: Any = None, initial: dict[str, Any] | None = None
) -> ForecastForm | None:
    return ForecastForm(posted, initial=initial, window=window) if window is not None else None


@require_http_methods(["GET", "POST"])
@citizen_required
def forecast(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Choose age, share and work; see the forecast per part, the band, all ages side by side, and a chart.

    A valid choice is kept for the session and the page is shown again (post, redirect, get), so the
    income the citizen enters never appears in an address.
    """
    data = pension_data_get(request, identity)
    context: dict[str, Any] = {"page_title": FORECAST_TITLE, "data": data}
    if data is not None and data.snapshot is not None and may_change(data.snapshot, clock.today()):
        return _drawing_forecast(request, data.snapshot)
    if data is None or data.snapshot is None or data.snapshot.person.drawing_pension:
        return render(request, "pensions/forecast.html", context)
    window = forecast_window(data)
    form = _form(window, posted=request.POST if request.method == "POST" else None)
    if form is not None and request.method == "POST" and form.is_valid():
        forecast_make(request, data, choice=form.choice(), window=window)
        return redirect(request.path + "#resultat")
    result = forecast_make(request, data, window=window)
    if form is not None and request.method != "POST" and result is not None:
        form = _form(window, initial=initial_of(result.choice))
    if request.method == "POST":
        result = None  # after an error, the result of the previous choice is not shown under the corrected form
    if result is not None:
        context.update(_charts(result))
        context["notes"] = forecast_notes(result)
    context.update(
        form=form,
        forecast=result,
        other_pensions=data.other_pensions is not None,
        min_pension=data.min_pension,
        assumptions=forecast_assumptions(result.birth_year) if result is not None else None,
        forecast_assumptions_template="pensions/assumptions.html",
    )
    return render(request, "pensions/forecast.html", context)


DRAWING_CHOICE = "pensions.drawing_forecast"  # the pensioner's last choice, for the session only


def _drawing_forecast(request: HttpRequest, snapshot: PersonSnapshot) -> HttpResponse:
    """For a pensioner: the pension this year and the next two as drawn now, and with the shares chosen,
    while earning the income given (the engine's recalculation for rights earned while drawing). A valid
    choice is kept for the session and the page shown again (post, redirect, get)."""
    today = clock.today()
    drawn = parts_drawn(snapshot, today)
    parts = [(p.part, benefit_name(p.part).lower()) for p in drawn]
    result: WithdrawalForecast | None = None
    if request.method == "POST":
        form = DrawingForecastForm(request.POST, parts=parts)
        if form.is_valid():
            request.session[DRAWING_CHOICE] = {"income": form.cleaned_data["yearly_income"], "shares": form.shares()}
            return redirect(request.path + "#resultat")
    else:
        kept = request.session.get(DRAWING_CHOICE)
        income, shares = 0, {p.part: p.share for p in drawn}
        if isinstance(kept, dict) and set(kept.get("shares", {})) == set(shares):
            income, shares = int(kept["income"]), {part: int(share) for part, share in kept["shares"].items()}
        initial = {"yearly_income": income} | {f"share_{part}": share for part, share in shares.items()}
        form = DrawingForecastForm(initial=initial, parts=parts)
        result = withdrawal_forecast(snapshot, today=today, income_per_year=income, shares=shares)
    context: dict[str, Any] = {"page_title": FORECAST_TITLE, "form": form, "drawn": drawn, "forecast": result}
    if result is not None:
        context["tables"] = [
            {
                "id": "as-now",
                "caption": _("Your public pension a month as you draw it now"),
                "rows": [(row.part, row.kept) for row in result.rows],
                "total": result.kept_total,
            },
            {
                "id": "as-chosen",
                "caption": _("Your public pension a month with the shares you chose"),
                "rows": [(row.part, row.changed) for row in result.rows],
                "total": result.changed_total,
            },
        ]
    return render(request, "pensions/forecast_drawing.html", context)


def _charts(result: PensionForecast) -> dict[str, str]:
    """The forecast by age, and the income over age at the chosen age when other pensions are included."""
    language = get_language() or "sv"
    charts: dict[str, str] = {"age_chart": forecast_by_age_svg(result, language=language)}
    income_chart = chosen_income_over_age_svg(result, language=language)
    if income_chart is not None:
        charts["income_chart"] = income_chart
    return charts


@require_POST
@citizen_required
def refresh(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Fetch the citizen's data again from the register and Min Pension, then show the overview."""
    pension_data_refresh(request, identity)
    return redirect("pensions:home")


@require_safe
@citizen_required
def forecast_pdf(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The forecast for the citizen's current choice, as a PDF to keep."""
    from minasidor.pensions.pdf import forecast_pdf as render_pdf  # noqa: PLC0415 - the PDF library is heavy

    data = pension_data_get(request, identity)
    result = forecast_make(request, data) if data is not None else None
    if data is None or result is None or data.snapshot is None:
        return redirect("pensions:forecast")
    person = data.snapshot.person
    body = render_pdf(result, name=f"{person.given_name} {person.family_name}", language=get_language() or "sv")
    return _pdf_response(body, "pensionsprognos.pdf")


@require_safe
@citizen_required
def statement_pdf(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The latest annual statement, as a PDF to keep."""
    from minasidor.pensions.pdf import statement_pdf as render_pdf  # noqa: PLC0415 - the PDF library is heavy

    data = pension_data_get(request, identity)
    if data is None or data.snapshot is None or data.snapshot.latest_statement is None:
        return redirect("pensions:home")
    body = render_pdf(data.snapshot, language=get_language() or "sv")
    return _pdf_response(body, f"pensionsbesked-{data.snapshot.latest_statement.year}.pdf")


def _pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _content(name: str) -> str:
    return f"pensions/min_pension/content/{name}.{get_language() or 'sv'}.html"


@require_safe
@citizen_required
def min_pension(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What Min Pension knows, or why it is not shown: not registered, retired, or not reachable now."""
    data = pension_data_get(request, identity)
    result = None if data is None else (data.min_pension or MinPensionResult(Outcome.UNAVAILABLE))
    context: dict[str, Any] = {"page_title": MIN_PENSION_TITLE, "result": result, "outcome": result and result.outcome}
    if result is not None and result.holdings is not None:
        context["holdings"] = result.holdings
        context["income"] = sorted(income_by_withdrawal_age(result.holdings).items())
        context["paid_now"] = income_paid_now(result.holdings)
        context["about_template"] = _content("about_forecast")
    return render(request, "pensions/min_pension/pensions.html", context)


def _consent_gate(request: HttpRequest, identity: Identity) -> HttpResponse | UserStatus:
    """Min Pension's status when the consent page applies; otherwise the response to give instead."""
    if identity.personal_number is None:
        return redirect("pensions:min-pension")
    principal = identity.principal
    data = pension_data_get(request, identity)
    person = data.snapshot.person if data is not None and data.snapshot is not None else None
    if person is not None and not min_pension_fetch_allowed(
        drawing_pension=person.drawing_pension, still_working=person.still_working
    ):
        return redirect("pensions:min-pension")
    try:
        status = min_pension_status_get(
            principal=principal, subject_key=identity.subject_key, personal_number=identity.personal_number
        )
    except MinPensionError:
        return _unavailable(request)
    return redirect("pensions:min-pension") if status.may_fetch else status


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "pensions/min_pension/consent_unavailable.html", {"page_title": MIN_PENSION_TITLE})


@require_http_methods(["GET", "POST"])
@citizen_required
def min_pension_consent(request: HttpRequest, identity: Identity) -> HttpResponse:
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
                    principal=identity.principal,
                    subject_key=identity.subject_key,
                    personal_number=identity.personal_number,
                    terms_version=gate.current_terms_version,
                    language=get_language() or "sv",
                )
            except MinPensionError:
                return _unavailable(request)
            min_pension_refresh(request, identity)
            messages.success(request, _("You are now registered with Min Pension."))
        return redirect("pensions:min-pension")
    context = {
        "form": form,
        "page_title": _("Register with Min Pension"),
        "terms_template": _content("terms"),
        "terms_version": gate.current_terms_version,
    }
    return render(request, "pensions/min_pension/consent.html", context)
