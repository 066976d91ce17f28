"""Min pension: the forecast page, fetching the data again on request, and the documents to download."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.mypension.charts import chosen_income_over_age_svg, forecast_by_age_svg
from minasidor.mypension.forecast import age_range, cohort_ages, forecast_assumptions
from minasidor.mypension.forms import ForecastForm, initial_of
from minasidor.mypension.selectors import forecast_get, other_pensions_of
from minasidor.mypension.session_data import PensionData, pension_data_get, pension_data_refresh
from minasidor.mypension.types import PensionForecast

FORECAST_TITLE = _("Pension forecast")


def _form(data: PensionData, *, posted: Any = None, initial: dict[str, Any] | None = None) -> ForecastForm | None:
    if data.snapshot is None:
        return None
    birth_year = data.snapshot.person.birth_date.year
    ages = age_range(birth_year, clock.today())
    if not ages:
        return None
    lowest, _target = cohort_ages(birth_year)
    return ForecastForm(posted, initial=initial, lowest_age=lowest, first_age=ages[0], last_age=ages[-1])


@require_http_methods(["GET", "POST"])
@citizen_required
def forecast(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Choose age, share and work; see the forecast per part, the band, all ages side by side, and a chart.

    A valid choice is kept for the session and the page is shown again (post, redirect, get), so the
    income the citizen enters never appears in an address.
    """
    data = pension_data_get(request, identity)
    context: dict[str, Any] = {"page_title": FORECAST_TITLE, "data": data}
    if data is None or data.snapshot is None or data.snapshot.person.drawing_pension:
        return render(request, "mypension/forecast.html", context)
    form = _form(data, posted=request.POST if request.method == "POST" else None)
    if form is not None and request.method == "POST" and form.is_valid():
        forecast_get(request, data, form.choice())
        return redirect(request.path + "#resultat")
    result = forecast_get(request, data)
    if form is not None and request.method != "POST" and result is not None:
        form = _form(data, initial=initial_of(result.choice))
    if result is not None:
        context.update(_charts(result))
    context.update(
        form=form,
        forecast=result,
        other_pensions=other_pensions_of(data) is not None,
        min_pension=data.min_pension,
        assumptions=forecast_assumptions(),
        forecast_assumptions_template="mypension/assumptions.html",
    )
    return render(request, "mypension/forecast.html", context)


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
    return redirect("overview:home")


@require_safe
@citizen_required
def forecast_pdf(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The forecast for the citizen's current choice, as a PDF to keep."""
    from minasidor.mypension.pdf import forecast_pdf as render_pdf  # noqa: PLC0415 - the PDF library is heavy

    data = pension_data_get(request, identity)
    result = forecast_get(request, data) if data is not None else None
    if data is None or result is None or data.snapshot is None:
        return redirect("mypension:forecast")
    person = data.snapshot.person
    body = render_pdf(result, name=f"{person.given_name} {person.family_name}", language=get_language() or "sv")
    return _pdf_response(body, "pensionsprognos.pdf")


@require_safe
@citizen_required
def statement_pdf(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The latest annual statement, as a PDF to keep."""
    from minasidor.mypension.pdf import statement_pdf as render_pdf  # noqa: PLC0415 - the PDF library is heavy

    data = pension_data_get(request, identity)
    if data is None or data.snapshot is None or data.snapshot.latest_statement is None:
        return redirect("overview:home")
    body = render_pdf(data.snapshot, language=get_language() or "sv")
    return _pdf_response(body, f"pensionsbesked-{data.snapshot.latest_statement.year}.pdf")


def _pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
