"""The web test's public pages: the test with its consent, and the result with its reference."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from minasidor.webtest.checks import script_seen, server_seen
from minasidor.webtest.forms import WebTestForm
from minasidor.webtest.selectors import webtest_record_get
from minasidor.webtest.services import webtest_record_create

SESSION_KEY = "webtest_reference"
PAGE_TITLE = _("Web test")


@require_http_methods(["GET", "POST"])
def webtest(request: HttpRequest) -> HttpResponse:
    """What the server sees now, and the consent to record it (with what the page's script finds)."""
    form = WebTestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        results = {
            **server_seen(request),
            **script_seen(request.POST),
            "bankid_app": form.cleaned_data.get("bankid") or "untried",
            "bankid_left_page": request.POST.get("bankid_left_page") == "1",
        }
        record = webtest_record_create(results=results)
        request.session[SESSION_KEY] = record.reference
        return redirect("webtest:result")
    response = render(
        request, "webtest/webtest.html", {"page_title": PAGE_TITLE, "form": form, "seen": server_seen(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def result(request: HttpRequest) -> HttpResponse:
    """The visitor's own result (from their session) with the reference to read out."""
    record = webtest_record_get(reference=request.session.get(SESSION_KEY, ""))
    if record is None:
        return redirect("webtest:webtest")
    response = render(
        request,
        "webtest/result.html",
        {"page_title": _("Your web test"), "record": record, "results": record.results},
    )
    response["Cache-Control"] = "no-store"
    return response
