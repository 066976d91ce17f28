"""The citizen's case pages: the list, a new question, and one case (with its messages, the answer to a
completion request, and withdrawing)."""

from __future__ import annotations

import dataclasses
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
from minasidor.cases import services
from minasidor.cases.forms import CompletionForm, MessageForm, QuestionForm, WithdrawForm, refusal_message
from minasidor.cases.letter import LETTER_CASE_TYPES, NoDecisionLetterError, decision_letter_pdf
from minasidor.cases.presentation import (
    RECEIPT_CASE_TYPES,
    completion_request_of,
    decision_of,
    is_late,
    steps_of,
    timeline_of,
)
from minasidor.cases.selectors import attachment_get, case_get, cases_get, decision_letter_get
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.registers.types import (
    CaseNotFoundError,
    CaseStateError,
    CaseStatus,
    InvalidChangeError,
    RegistersUnavailableError,
    Upload,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

LIST_TITLE = _("My cases")
UNAVAILABLE = _("Nothing was sent: we could not reach our case system right now. Please try again in a while.")


@require_safe
@citizen_required
def case_list(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Every case of the citizen: the open ones first, then the ended ones."""
    return render(request, "cases/list.html", {"page_title": LIST_TITLE, "listing": cases_get(identity=identity)})


@require_http_methods(["GET", "POST"])
@citizen_required
def question(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Ask the authority a question: it becomes a case of its own."""
    if identity.personal_number is None:
        return redirect("cases:list")
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"submission_id": services.submission_id_new()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.question_ask(
                identity=identity,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["message"],
                submission_id=form.cleaned_data["submission_id"],
                attachments=_attachments(form),
            )
        except RegistersUnavailableError:
            form.add_error(None, UNAVAILABLE)
        except InvalidChangeError as error:
            _refusal_show(form, error)
        except CaseNotFoundError:
            form.add_error(None, _("Your question could not be sent. Please call customer service."))
        else:
            messages.success(request, _("Your question has been sent. We answer here, in the case."))
            return redirect("cases:detail", case_id=summary.case_id)
    return render(request, "cases/question.html", {"page_title": _("Ask us a question"), "form": form})


@dataclasses.dataclass(frozen=True, slots=True)
class _Action:
    """One thing the citizen does on a case's page: its form, the form's field, the write and what is said after."""

    form: type[forms.Form]
    field: str
    write: Callable[..., Any]
    done: StrPromise


ACTIONS = {
    "message": _Action(MessageForm, "text", services.case_message_send, _("Your message has been sent.")),
    "completion": _Action(CompletionForm, "text", services.case_completion_answer, _("Your answer has been sent.")),
    "withdraw": _Action(WithdrawForm, "reason", services.case_withdraw, _("Your case has been withdrawn.")),
}


def _forms(posted: str | None, data: Any, files: Any) -> dict[str, forms.Form]:
    return {
        name: action.form(data if name == posted else None, files if name == posted else None, prefix=name)
        for name, action in ACTIONS.items()
    }


def _attachments(form: forms.Form) -> tuple[Upload, ...]:
    upload = form.cleaned_data.get("attachment")
    return (upload,) if isinstance(upload, Upload) else ()


def _refusal_show(form: forms.Form, error: InvalidChangeError) -> None:
    """Put the back office's refusal where it belongs: a refused file at the file's field."""
    files = [code for field, code in error.errors.items() if field.startswith("attachments")]
    if files and "attachment" in form.fields:
        form.add_error("attachment", refusal_message(files[0]))
    else:
        form.add_error(None, _("This could not be sent. Please check what you wrote."))


@require_http_methods(["GET", "POST"])
@citizen_required
def case_detail(request: HttpRequest, identity: Identity, case_id: uuid.UUID) -> HttpResponse:
    """One case: where it stands, what happens next, the completion it waits for, messages, the history."""
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted is not None and posted not in ACTIONS:
        posted = None
    bound = _forms(posted, request.POST, request.FILES)
    if posted is not None:
        form, action = bound[posted], ACTIONS[posted]
        if form.is_valid():
            try:
                extra = {"attachments": _attachments(form)} if "attachment" in form.fields else {}
                action.write(
                    identity=identity, case_id=case_id, **{action.field: form.cleaned_data[action.field]}, **extra
                )
            except CaseNotFoundError:
                raise Http404 from None
            except CaseStateError:
                form.add_error(
                    None, _("The case has changed meanwhile and no longer allows this; see where it stands now.")
                )
            except InvalidChangeError as error:
                _refusal_show(form, error)
            except RegistersUnavailableError:
                form.add_error(None, UNAVAILABLE)
            else:
                messages.success(request, action.done)
                return redirect("cases:detail", case_id=case_id)
    try:
        detail = case_get(identity=identity, case_id=case_id)
    except CaseNotFoundError:
        raise Http404 from None
    except RegistersUnavailableError:
        return render(request, "cases/unavailable.html", {"page_title": LIST_TITLE}, status=503)
    summary = detail.summary
    context = {
        "page_title": summary.case_type.label,
        "detail": detail,
        "summary": summary,
        "steps": steps_of(summary),
        "late": is_late(summary, clock.today()),
        "timeline": timeline_of(detail),
        "decision": decision_of(detail),
        "has_letter": summary.status == CaseStatus.DECIDED and summary.case_type in LETTER_CASE_TYPES,
        "has_receipt": summary.case_type in RECEIPT_CASE_TYPES,
        "awaiting": summary.status == CaseStatus.AWAITING_COMPLETION,
        "may_withdraw": summary.is_open and summary.case_type != "general_question",
        "completion_request": completion_request_of(detail),
        "forms": bound,
        "posted": posted,
        "posted_form": bound[posted] if posted is not None else None,
    }
    return render(request, "cases/detail.html", context)


@require_safe
@citizen_required
def attachment(request: HttpRequest, identity: Identity, case_id: uuid.UUID, attachment_id: uuid.UUID) -> HttpResponse:
    """A file of one of the citizen's cases, downloaded (never shown inline, never sniffed)."""
    try:
        found = attachment_get(identity=identity, case_id=case_id, attachment_id=attachment_id)
    except CaseNotFoundError:
        raise Http404 from None
    except RegistersUnavailableError:
        return render(request, "cases/unavailable.html", {"page_title": LIST_TITLE}, status=503)
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=found.filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@citizen_required
def decision_letter(request: HttpRequest, identity: Identity, case_id: uuid.UUID) -> HttpResponse:
    """The sealed decision letter of one of the citizen's decided applications, as a PDF to keep, in the
    person's language for letters."""
    try:
        letter, language = decision_letter_get(identity=identity, case_id=case_id)
    except (CaseNotFoundError, NoDecisionLetterError):
        raise Http404 from None
    except RegistersUnavailableError:
        return render(request, "cases/unavailable.html", {"page_title": LIST_TITLE}, status=503)
    assert identity.personal_number is not None  # noqa: S101 - the letter was found, so the person has one
    body = decision_letter_pdf(
        letter, name=identity.display_name, personal_number=identity.personal_number.formatted(), language=language
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="beslut-{letter.case_reference.lower()}.pdf"'
    return response
