"""The case handler's pages: the queue, and one case with its actions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from kernel import clock
from minasidor.audit.types import Principal
from minasidor.casehandling import services
from minasidor.casehandling.decorators import handler_required
from minasidor.casehandling.forms import (
    AnswerForm,
    CloseForm,
    CompletionRequestForm,
    DecisionForm,
    TakeUpForm,
    completion_initial,
)
from minasidor.casehandling.selectors import attachment_read, case_read, queue_get
from minasidor.registers.types import (
    CaseNotFoundError,
    CaseStateError,
    CaseStatus,
    CaseType,
    InvalidChangeError,
    RegistersUnavailableError,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

OPEN = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_COMPLETION)
UNAVAILABLE = _("The case system did not answer. Nothing was done; try again in a while.")


@dataclasses.dataclass(frozen=True, slots=True)
class QueueRow:
    case_id: uuid.UUID
    case_type: CaseType
    status: CaseStatus
    opened_at: dt.datetime
    expected_decision_on: dt.date
    age_days: int
    late: bool


@require_safe
@handler_required
def queue(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Open cases, oldest first, of one type or all."""
    chosen = request.GET.get("typ", "")
    case_type = CaseType(chosen) if chosen in CaseType.values else None
    today = clock.today()
    try:
        items = queue_get(principal=principal, case_type=case_type)
    except RegistersUnavailableError:
        items, unavailable = (), True
    else:
        unavailable = False
    rows = [
        QueueRow(
            item.case_id,
            item.case_type,
            item.status,
            item.opened_at,
            item.expected_decision_on,
            (today - item.opened_at.astimezone(clock.SWEDISH_TIME).date()).days,
            today > item.expected_decision_on,
        )
        for item in items
    ]
    context = {
        "page_title": _("Case queue"),
        "rows": rows,
        "types": CaseType.choices,
        "chosen": case_type,
        "unavailable": unavailable,
    }
    return render(request, "casehandling/queue.html", context)


@dataclasses.dataclass(frozen=True, slots=True)
class _Action:
    form: type[forms.Form]
    write: Callable[..., Any]
    done: StrPromise


ACTIONS = {
    "take_up": _Action(TakeUpForm, services.case_take_up, _("The case is taken up.")),
    "answer": _Action(AnswerForm, services.case_answer, _("The message is sent.")),
    "completion": _Action(CompletionRequestForm, services.case_completion_ask, _("The completion is asked for.")),
    "decide": _Action(DecisionForm, services.case_decide, _("The case is decided.")),
    "close": _Action(CloseForm, services.case_close, _("The case is closed.")),
}


def _forms(posted: str | None, data: Any) -> dict[str, forms.Form]:
    bound = {}
    for name, action in ACTIONS.items():
        initial = completion_initial() if name == "completion" else None
        bound[name] = action.form(data if name == posted else None, prefix=name, initial=initial)
    return bound


@require_http_methods(["GET", "POST"])
@handler_required
def case(request: HttpRequest, principal: Principal, case_id: uuid.UUID) -> HttpResponse:
    """One case: the person, what was applied for and signed, the history, messages and files, the actions."""
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted not in ACTIONS:
        posted = None
    bound = _forms(posted, request.POST)
    if posted is not None:
        form, action = bound[posted], ACTIONS[posted]
        if form.is_valid():
            try:
                action.write(principal=principal, case_id=case_id, **form.cleaned_data)
            except CaseNotFoundError:
                raise Http404 from None
            except CaseStateError as error:
                form.add_error(None, _("The case does not allow this now: %(why)s") % {"why": error})
            except InvalidChangeError as error:
                form.add_error(None, "; ".join(f"{field}: {why}" for field, why in error.errors.items()))
            except RegistersUnavailableError:
                form.add_error(None, UNAVAILABLE)
            else:
                messages.success(request, action.done)
                return redirect("casehandling:case", case_id=case_id)
    try:
        handled = case_read(principal=principal, case_id=case_id)
    except CaseNotFoundError:
        raise Http404 from None
    summary = handled.detail.summary
    status = summary.status
    context = {
        "page_title": summary.case_type.label,
        "handled": handled,
        "detail": handled.detail,
        "summary": summary,
        "forms": bound,
        "posted_form": bound[posted] if posted else None,
        "may_take_up": status == CaseStatus.RECEIVED,
        "may_ask": status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS),
        "is_open": status in OPEN,
        "may_decide": status in OPEN and summary.case_type != CaseType.GENERAL_QUESTION,
        "late": status in OPEN and clock.today() > summary.expected_decision_on,
    }
    return render(request, "casehandling/case.html", context)


@require_safe
@handler_required
def attachment(
    request: HttpRequest, principal: Principal, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file of the case, downloaded."""
    try:
        found = attachment_read(principal=principal, case_id=case_id, attachment_id=attachment_id)
    except CaseNotFoundError:
        raise Http404 from None
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=found.filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
