"""The application to change one's withdrawal (ändrat uttag, issue 16.7): a start page, one question per page
(what to change, which parts, the new share, from which month), a summary with what the pension becomes per
part and month by the engine, signing through the signing step, and the same exactly-once outbox, receipt and
submitted page as the application for old-age pension; the case it opens is a change of withdrawal.

Offered only to a person whose register has granted an income-based part; others are told so. The draft is
kept in the session, and across a timeout for the same person the way the application's is (decision 0042):
each question page carries the draft signed for its person, which the form kept by a timed-out POST brings
back after the next login (decisions 0150, 0151).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from minasidor.applications.forms import PART_LABELS, month_label
from minasidor.applications.services import PowerEndedError
from minasidor.applications.signing_flow import SigningFlow, on_behalf_of
from minasidor.applications.withdrawal_documents import change_answers, withdrawal_change_document
from minasidor.applications.withdrawal_forms import ChangeKindForm, ChangeMonthForm, ChangePartsForm, ChangeShareForm
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import kept_form_take
from minasidor.identity.types import Identity
from minasidor.pension_data.session import pension_data_get
from minasidor.pension_data.withdrawal import PartDrawn, change_months, change_preview, parts_drawn
from minasidor.registers.types import CaseType, PensionPart, PersonSnapshot, WithdrawalChange, WithdrawalChangeKind

TITLE = _("Change your withdrawal")
DRAFT_KEY = "applications.withdrawal.draft"
SIGNING = SigningFlow(
    case_type=CaseType.WITHDRAWAL_CHANGE,
    signing_key="applications.withdrawal.signing",
    draft_key=DRAFT_KEY,
    start="applications:withdrawal",
    summary="applications:withdrawal-summary",
    signed="applications:withdrawal-signed",
)
RETURNING = "andra"
DRAFT_FIELD = "utkast"  # the question page's copy of the draft, signed for its person (kept across a timeout)
_DRAFT_SALT = "minasidor.applications.withdrawal.draft"
PART_NAMES = {
    "income_pension": _("Income pension"),
    "premium_pension": _("Premium pension"),
    "supplementary_pension": _("Supplementary pension"),
    "guarantee_pension": _("Guarantee pension"),
    "income_pension_supplement": _("Income pension supplement"),
}


def _pensioner(request: HttpRequest, identity: Identity) -> tuple[PersonSnapshot, tuple[PartDrawn, ...]] | HttpResponse:
    """The person's register data and the parts they draw, or the page saying why they cannot change here."""
    data = pension_data_get(request, identity)
    snapshot = data.snapshot if data is not None else None
    if snapshot is None or identity.personal_number is None:
        reason = "register" if data is not None and data.register_failed else "no_data"
        return render(request, "applications/withdrawal_unavailable.html", {"page_title": TITLE, "reason": reason})
    drawn = parts_drawn(snapshot, clock.today())
    if not drawn:
        return render(request, "applications/withdrawal_unavailable.html", {"page_title": TITLE, "reason": "none"})
    return snapshot, drawn


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT_KEY)
    return dict(draft) if isinstance(draft, dict) else {}


def _draft_token(identity: Identity, draft: dict[str, Any]) -> str:
    return signing.dumps(draft, salt=f"{_DRAFT_SALT}:{identity.pseudonym}", compress=True)


def _draft_from_token(identity: Identity, token: str) -> dict[str, Any] | None:
    try:
        draft = signing.loads(token, salt=f"{_DRAFT_SALT}:{identity.pseudonym}")
    except signing.BadSignature:
        return None
    return draft if isinstance(draft, dict) and set(draft) <= {q.field for q in QUESTIONS.values()} else None


def _kept(request: HttpRequest, identity: Identity, draft: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """After a timeout and a new login: the form this person was sending to this page, and the draft it carried
    when the session's own draft went with the old session (None and ``draft`` otherwise)."""
    kept = kept_form_take(request, identity, path=request.path)
    if kept is None:
        return None, draft
    posted = QueryDict(mutable=True)
    for key, values in kept.items():
        posted.setlist(key, values)
    restored = _draft_from_token(identity, (kept.get(DRAFT_FIELD) or [""])[0])
    if restored is not None and not draft:
        draft = restored
        request.session[DRAFT_KEY] = draft
    return posted, draft


def _steps(draft: dict[str, Any]) -> list[str]:
    return [s for s in STEPS if s != "withdrawal-share" or draft.get("change") == WithdrawalChangeKind.SHARE]


def _next(draft: dict[str, Any], step: str, *, returning: bool) -> str:
    """The page after ``step``: the next unanswered one when returning from the summary, else the next one."""
    steps = _steps(draft)
    later = steps[steps.index(step) + 1 :] if step in steps else []
    if returning:
        later = [s for s in later if not _answered(draft, s)]
    return reverse(f"applications:{later[0]}") if later else reverse("applications:withdrawal-summary")


def _answered(draft: dict[str, Any], step: str) -> bool:
    return draft.get(QUESTIONS[step].field) not in (None, "", [])


def _change(
    identity: Identity, draft: dict[str, Any], drawn: tuple[PartDrawn, ...], months: tuple[dt.date, ...]
) -> WithdrawalChange | None:
    """The change the draft describes, or None while it is incomplete or no longer fits (a month gone by)."""
    assert identity.personal_number is not None  # noqa: S101 - _pensioner refuses a person without one
    if not all(_answered(draft, step) for step in _steps(draft)):
        return None
    kind = WithdrawalChangeKind(draft["change"])
    offered = {p.part for p in drawn if kind == WithdrawalChangeKind.SHARE or p.share > 0}
    parts = tuple(
        PensionPart(p) for p in (PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION) if p in draft["parts"]
    )
    if not parts or any(str(p) not in offered for p in parts):
        return None
    month = dt.date.fromisoformat(draft["from_month"] + "-01")
    if month not in months:
        return None
    return WithdrawalChange(
        applicant=identity.personal_number,
        parts=parts,
        change=kind,
        share=int(draft["share"]) if kind == WithdrawalChangeKind.SHARE else None,
        from_month=month,
    )


@require_safe
@citizen_required
def withdrawal(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What can be changed, how the pension is drawn now, and the rules; start or continue."""
    pensioner = _pensioner(request, identity)
    if isinstance(pensioner, HttpResponse):
        return pensioner
    snapshot, drawn = pensioner
    months = change_months(snapshot, clock.today())
    context = {
        "page_title": TITLE,
        "drawn": [(PART_LABELS[PensionPart(p.part)], p) for p in drawn],
        "first_month": month_label(months[0]),
        "started": bool(_draft(request)),
        "rules_template": f"applications/content/withdrawal_rules.{get_language() or 'sv'}.html",
    }
    return render(request, "applications/withdrawal_start.html", context)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Asking:
    """What a question's form is made of."""

    snapshot: PersonSnapshot
    drawn: tuple[PartDrawn, ...]
    draft: dict[str, Any]
    posted: Any  # the posted data, or None on a GET
    earlier: Any  # the draft's answer to the question so far (None before one)


def _kind_form(asking: _Asking) -> forms.Form:
    return ChangeKindForm(asking.posted, initial={"change": asking.earlier})


def _parts_form(asking: _Asking) -> forms.Form:
    change = str(asking.draft.get("change", ""))
    return ChangePartsForm(asking.posted, initial={"parts": asking.earlier}, drawn=asking.drawn, change=change)


def _share_form(asking: _Asking) -> forms.Form:
    current = {p.part: p.share for p in asking.drawn if p.part in (asking.draft.get("parts") or [])}
    earlier = None if asking.earlier is None else str(asking.earlier)
    return ChangeShareForm(asking.posted, initial={"share": earlier}, current=current)


def _month_form(asking: _Asking) -> forms.Form:
    months = change_months(asking.snapshot, clock.today())
    return ChangeMonthForm(asking.posted, initial={"from_month": asking.earlier}, months=months)


@dataclasses.dataclass(frozen=True, slots=True)
class _Question:
    field: str  # the draft's key of its answer
    form: Callable[[_Asking], forms.Form]


# The questions in the order asked, by URL name (the share is asked only for a new share).
QUESTIONS = {
    "withdrawal-kind": _Question("change", _kind_form),
    "withdrawal-parts": _Question("parts", _parts_form),
    "withdrawal-share": _Question("share", _share_form),
    "withdrawal-month": _Question("from_month", _month_form),
}
STEPS = tuple(QUESTIONS)


def _question(request: HttpRequest, identity: Identity, step: str) -> HttpResponse:
    """One question page: show it with the earlier answer, or keep a valid answer and go on."""
    pensioner = _pensioner(request, identity)
    if isinstance(pensioner, HttpResponse):
        return pensioner
    snapshot, drawn = pensioner
    draft = _draft(request)
    posted: Any = request.POST if request.method == "POST" else None
    if posted is None:
        posted, draft = _kept(request, identity, draft)
    steps = _steps(draft)
    if step not in steps or any(not _answered(draft, s) for s in steps[: steps.index(step)]):
        return redirect("applications:withdrawal-kind")  # a later question before the earlier ones
    returning = request.GET.get(RETURNING) == "1" or request.POST.get(RETURNING) == "1"
    field = QUESTIONS[step].field
    form = QUESTIONS[step].form(
        _Asking(snapshot=snapshot, drawn=drawn, draft=draft, posted=posted, earlier=draft.get(field))
    )
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data[field]
        if field == "change" and answer != draft.get("change"):
            draft = {}  # another kind of change: its parts and share are asked again
        draft[field] = answer
        if draft.get("change") != WithdrawalChangeKind.SHARE:
            draft.pop("share", None)
        request.session[DRAFT_KEY] = draft
        return redirect(_next(draft, step, returning=returning))
    position = steps.index(step) if step in steps else 0
    page = {
        "page_title": form.fields[field].label,
        "form": form,
        "returning": returning,
        "back_url": reverse("applications:withdrawal-summary")
        if returning
        else reverse("applications:withdrawal" if position == 0 else f"applications:{steps[position - 1]}"),
        "step_number": position + 1,
        "step_count": len(steps),
        "draft_token": _draft_token(identity, draft),
    }
    return render(request, "applications/withdrawal_question.html", page)


@require_http_methods(["GET", "POST"])
@citizen_required
def withdrawal_kind(request: HttpRequest, identity: Identity) -> HttpResponse:
    """A new share, a pause or a stop."""
    return _question(request, identity, "withdrawal-kind")


@require_http_methods(["GET", "POST"])
@citizen_required
def withdrawal_parts(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Income pension, premium pension or both (a pause or a stop: only a part paid now)."""
    return _question(request, identity, "withdrawal-parts")


@require_http_methods(["GET", "POST"])
@citizen_required
def withdrawal_share(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The new share of the parts chosen."""
    return _question(request, identity, "withdrawal-share")


@require_http_methods(["GET", "POST"])
@citizen_required
def withdrawal_month(request: HttpRequest, identity: Identity) -> HttpResponse:
    """From which month."""
    return _question(request, identity, "withdrawal-month")


@require_safe
@citizen_required
def withdrawal_summary(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The answers with a change link each, and what the pension becomes per part and month."""
    pensioner = _pensioner(request, identity)
    if isinstance(pensioner, HttpResponse):
        return pensioner
    snapshot, drawn = pensioner
    draft = _draft(request)
    change = _change(identity, draft, drawn, change_months(snapshot, clock.today()))
    if change is None:
        missing = [s for s in _steps(draft) if not _answered(draft, s)]
        return redirect(f"applications:{missing[0] if missing else STEPS[0]}")
    urls = [
        reverse(f"applications:{s}") + f"?{RETURNING}=1"
        for s in ("withdrawal-kind", "withdrawal-parts", "withdrawal-month")
    ]
    rows = [(question, answer, url) for (question, answer), url in zip(change_answers(change), urls, strict=True)]
    if change.change == WithdrawalChangeKind.SHARE:
        rows[0] = (*rows[0][:2], reverse("applications:withdrawal-share") + f"?{RETURNING}=1")
    preview = change_preview(snapshot, change, today=clock.today())
    context = {
        "page_title": _("Check your change"),
        "rows": rows,
        "preview": preview,
        "preview_rows": [(PART_NAMES.get(p.part, p.part), p) for p in preview.parts],
        "from_month": month_label(change.from_month),
    }
    return render(request, "applications/withdrawal_summary.html", context)


@require_POST
@citizen_required
def withdrawal_sign(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Make the document of the complete draft and ask the signing step for the person's signature."""
    pensioner = _pensioner(request, identity)
    if isinstance(pensioner, HttpResponse):
        return pensioner
    snapshot, drawn = pensioner
    change = _change(identity, _draft(request), drawn, change_months(snapshot, clock.today()))
    if change is None:
        return redirect("applications:withdrawal-summary")
    try:  # a delegate signs for the person, with their own e-ID (decision 0217)
        on_behalf = on_behalf_of(identity)
    except PowerEndedError:
        return redirect("applications:withdrawal-summary")
    document = withdrawal_change_document(change, language=get_language() or "sv", on_behalf=on_behalf)
    return SIGNING.begin(request, document)


@require_safe
@citizen_required
def withdrawal_signed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the signing step returns: keep and send the signed change once, then show where it is.

    Coming back again (a reload, the back button, a second tab) finds the change already kept: one document
    signed by one person is one case."""
    return SIGNING.finish(request, identity)
