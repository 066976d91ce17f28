"""The application for old-age pension: a start page, one question per page, and a summary before signing.

Each question page shows its question with what the person answered before, and on a valid answer keeps it
in the session's draft and goes to the next page (post, redirect, get); from the summary's change links
(``?andra=1``) it goes back to the summary, or to a question the change opened. Every form is marked to be
kept across a timeout (decision 0042); it carries the draft so far, signed for this person, so the whole
draft comes back with the page after the next login.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from minasidor.applications.documents import application_document
from minasidor.applications.draft import SESSION_KEY as DRAFT_SESSION_KEY
from minasidor.applications.draft import STEP_OF_PART, Draft, Step, draft_get, draft_keep, month_text
from minasidor.applications.forms import (
    PART_LABELS,
    CivilStatusForm,
    LivingAbroadForm,
    PartsForm,
    PartStartForm,
    SurvivorProtectionForm,
    TaxForm,
    country_name,
    month_label,
)
from minasidor.applications.models import SubmissionStatus
from minasidor.applications.selectors import (
    case_of,
    signed_application_get,
    signed_application_of_case,
)
from minasidor.applications.services import PowerEndedError, signed_application_send
from minasidor.applications.signing_flow import SigningFlow, on_behalf_of
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import kept_form_take
from minasidor.identity.types import Identity
from minasidor.pension_data.application import (
    FIRST_APPLYING_COHORT,
    ApplicationWindow,
    PreviewUnavailableError,
    application_preview,
    application_window,
)
from minasidor.pension_data.session import pension_data_get
from minasidor.registers.types import (
    CaseType,
    CivilStatusAnswer,
    ForeignAccount,
    PensionPart,
    PersonSnapshot,
    TaxWithholdingKind,
)
from minasidor.ui.bank_account_forms import ForeignAccountForm, SwedishAccountForm

TITLE = _("Apply for old-age pension")
FROM_AGE = "alder"  # the forecast's "apply from the age you chose": the age and the share it was made for
FROM_SHARE = "andel"
SIGNING = SigningFlow(
    case_type=CaseType.OLD_AGE_PENSION,
    signing_key="applications.signing",
    draft_key=DRAFT_SESSION_KEY,
    start="applications:start",
    summary="applications:summary",
    signed="applications:signed",
)
RETURNING = "andra"
DRAFT_FIELD = "utkast"
_DRAFT_SALT = "minasidor.applications.draft"


@dataclasses.dataclass(frozen=True, slots=True)
class Applicant:
    """What every page of the application needs: the person's register data, the months open, the draft."""

    snapshot: PersonSnapshot
    window: ApplicationWindow
    draft: Draft


def _applicant(request: HttpRequest, identity: Identity) -> Applicant | HttpResponse:
    """The applicant, or the page saying why this person cannot apply here."""
    data = pension_data_get(request, identity)
    snapshot = data.snapshot if data is not None else None
    if snapshot is None:
        # A foreign eID not bound to a Swedish number (a bound one has ``personal_number`` and applies as
        # anyone else): what that means and how to apply anyway, on paper or after binding it.
        reason = "register"
        if identity.personal_number is None:
            reason = "foreign_eid" if identity.foreign is not None else "no_number"
        return render(request, "applications/unavailable.html", {"page_title": TITLE, "reason": reason})
    if snapshot.person.drawing_pension:
        return render(request, "applications/unavailable.html", {"page_title": TITLE, "reason": "drawing"})
    if snapshot.person.birth_date.year < FIRST_APPLYING_COHORT:
        return render(request, "applications/unavailable.html", {"page_title": TITLE, "reason": "old_rules"})
    window = application_window(snapshot.person.birth_date, clock.today())
    if not window.open:
        context = {"page_title": TITLE, "reason": "too_early", "opens_on": window.opens_on}
        return render(request, "applications/unavailable.html", context)
    return Applicant(snapshot=snapshot, window=window, draft=draft_get(request.session, identity).normalised(window))


def _chosen_start(request: HttpRequest, applicant: Applicant) -> tuple[dt.date, int] | None:
    """The month the person reaches the age chosen in the forecast, and the share, when that month is open."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        age, share = int(source.get(FROM_AGE, "")), int(source.get(FROM_SHARE, "100"))
    except ValueError:
        return None
    birth = applicant.snapshot.person.birth_date
    month = dt.date(birth.year + age, birth.month, 1) if 0 < age < 120 else None
    if month is None or month not in applicant.window.months or share not in (25, 50, 75, 100):
        return None
    return month, share


@require_safe
@citizen_required
def start(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What the application asks, the months open to this person and the rules behind them; start or continue."""
    applicant = _applicant(request, identity)
    if isinstance(applicant, HttpResponse):
        return applicant
    window = applicant.window
    chosen = _chosen_start(request, applicant)
    context = {
        "page_title": TITLE,
        "chosen_month": month_label(chosen[0]) if chosen else None,
        "parts_query": f"?{FROM_AGE}={request.GET[FROM_AGE]}&{FROM_SHARE}={chosen[1]}" if chosen else "",
        "window": window,
        "first_month": month_label(window.first_month),
        "last_month": month_label(window.last_month),
        "lowest_month": month_label(window.lowest_month),
        "guarantee_month": month_label(window.guarantee_from),
        "started": applicant.draft != Draft(),
        "rules_template": f"applications/content/rules.{get_language() or 'sv'}.html",
    }
    return render(request, "applications/start.html", context)


# --- The questions ------------------------------------------------------------------------------------


def _draft_token(identity: Identity, draft: Draft) -> str:
    return signing.dumps(draft.to_session(), salt=f"{_DRAFT_SALT}:{identity.pseudonym}", compress=True)


def _draft_from_token(identity: Identity, token: str) -> Draft | None:
    try:
        return Draft.from_session(signing.loads(token, salt=f"{_DRAFT_SALT}:{identity.pseudonym}"))
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        return None


def _target(step: Step | None) -> str:
    return reverse("applications:summary") if step is None else reverse(f"applications:{step.value}")


def _question(
    request: HttpRequest,
    identity: Identity,
    step: Step,
    *,
    make_form: Callable[[Applicant, Any, dict[str, Any]], forms.Form],
    initial: Callable[[Draft], dict[str, Any]],
    answer: Callable[[Draft, dict[str, Any]], Draft],
    context: Callable[[Applicant], dict[str, Any]] | None = None,
    heading: Any = None,
) -> HttpResponse:
    """One question page: show it with the earlier answer, or keep a valid answer and go on."""
    applicant = _applicant(request, identity)
    if isinstance(applicant, HttpResponse):
        return applicant
    draft = applicant.draft
    returning = request.GET.get(RETURNING) == "1" or request.POST.get(RETURNING) == "1"
    posted: Any = request.POST if request.method == "POST" else None
    if posted is None:
        kept = kept_form_take(request, identity, path=request.path)
        if kept is not None:
            posted = QueryDict(mutable=True)
            for key, values in kept.items():
                posted.setlist(key, values)
            restored = _draft_from_token(identity, (kept.get(DRAFT_FIELD) or [""])[0])
            if restored is not None and draft == Draft():
                draft = restored.normalised(applicant.window)
                draft_keep(request.session, identity, draft)
            applicant = dataclasses.replace(applicant, draft=draft)
    form = make_form(applicant, posted, initial(draft))
    if request.method == "POST" and form.is_valid():
        draft = answer(draft, form.cleaned_data).normalised(applicant.window)
        draft_keep(request.session, identity, draft)
        return redirect(_target(draft.next_step(step, returning=returning)))
    steps = draft.steps()
    previous = steps[steps.index(step) - 1] if step in steps and steps.index(step) > 0 else None
    page = {
        "page_title": heading or TITLE,
        "heading": heading,
        "form": form,
        "returning": returning,
        "back_url": reverse("applications:summary")
        if returning
        else (reverse("applications:start") if previous is None else _target(previous)),
        "draft_token": _draft_token(identity, draft),
        "step_number": (steps.index(step) + 1) if step in steps else None,
        "step_count": len(steps),
    }
    if context is not None:
        page.update(context(applicant))
    return render(request, "applications/question.html", page)


def _content(name: str) -> str:
    return f"applications/content/{name}.{get_language() or 'sv'}.html"


@require_http_methods(["GET", "POST"])
@citizen_required
def parts(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Which parts of the pension: income pension, premium pension, and guarantee pension with the supplement
    where the person reaches the guarantee-pension age within the months open."""
    chosen: list[tuple[dt.date, int] | None] = [None]

    def answer(draft: Draft, data: dict[str, Any]) -> Draft:
        draft = dataclasses.replace(draft, parts=tuple(data["parts"]))
        if chosen[0] is not None:
            month, share = chosen[0]
            prefilled = {p: (month_text(month), share) for p in data["parts"] if p in STEP_OF_PART}
            draft = dataclasses.replace(draft, starts={**prefilled, **draft.starts})
        return draft

    def make_form(applicant: Applicant, posted: Any, initial: dict[str, Any]) -> forms.Form:
        chosen[0] = _chosen_start(request, applicant)
        return PartsForm(posted, initial=initial, window=applicant.window)

    carry = {key: request.GET.get(key) or request.POST.get(key) for key in (FROM_AGE, FROM_SHARE)}
    return _question(
        request,
        identity,
        Step.PARTS,
        make_form=make_form,
        initial=lambda d: {"parts": list(d.parts or ())},
        answer=answer,
        context=lambda a: {"carry": {k: v for k, v in carry.items() if v and v.isdigit()}},
    )


def _part_start(request: HttpRequest, identity: Identity, part: PensionPart, step: Step) -> HttpResponse:
    def initial(draft: Draft) -> dict[str, Any]:
        month, share = draft.starts.get(part, ("", None))
        return {"start_month": month, "share": None if share is None else str(share)}

    def answer(draft: Draft, data: dict[str, Any]) -> Draft:
        return dataclasses.replace(draft, starts={**draft.starts, part: (data["start_month"], int(data["share"]))})

    def make_form(applicant: Applicant, posted: Any, initial: dict[str, Any]) -> forms.Form:
        whole = any(
            applicant.draft.has(p) for p in (PensionPart.GUARANTEE_PENSION, PensionPart.INCOME_PENSION_SUPPLEMENT)
        )
        return PartStartForm(posted, initial=initial, window=applicant.window, whole_only=whole)

    heading = {
        PensionPart.INCOME_PENSION: _("When do you want your income pension, and how much of it?"),
        PensionPart.PREMIUM_PENSION: _("When do you want your premium pension, and how much of it?"),
    }[part]
    return _question(
        request,
        identity,
        step,
        make_form=make_form,
        initial=initial,
        answer=answer,
        heading=heading,
        context=lambda a: {"explanation_template": _content(f"start_{part}")},
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def income_pension(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The income pension's first month and share."""
    return _part_start(request, identity, PensionPart.INCOME_PENSION, Step.INCOME_PENSION)


@require_http_methods(["GET", "POST"])
@citizen_required
def premium_pension(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The premium pension's first month and share."""
    return _part_start(request, identity, PensionPart.PREMIUM_PENSION, Step.PREMIUM_PENSION)


@require_http_methods(["GET", "POST"])
@citizen_required
def civil_status(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Civil status."""
    return _question(
        request,
        identity,
        Step.CIVIL_STATUS,
        make_form=lambda a, posted, initial: CivilStatusForm(posted, initial=initial),
        initial=lambda d: {"civil_status": d.civil_status},
        answer=lambda d, data: dataclasses.replace(d, civil_status=data["civil_status"]),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def survivor_protection(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Survivor protection for the premium pension, with what it costs."""

    def initial(draft: Draft) -> dict[str, Any]:
        value = draft.survivor_protection
        return {"survivor_protection": None if value is None else ("yes" if value else "no")}

    return _question(
        request,
        identity,
        Step.SURVIVOR_PROTECTION,
        make_form=lambda a, posted, initial: SurvivorProtectionForm(posted, initial=initial),
        initial=initial,
        answer=lambda d, data: dataclasses.replace(d, survivor_protection=data["survivor_protection"] == "yes"),
        context=lambda a: {"explanation_template": _content("survivor_protection")},
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def living_abroad(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Whether the person lives outside Sweden, and in which country."""

    def initial(draft: Draft) -> dict[str, Any]:
        value = draft.living_abroad
        return {"living_abroad": None if value is None else ("yes" if value else "no"), "country": draft.country}

    def answer(draft: Draft, data: dict[str, Any]) -> Draft:
        abroad = data["living_abroad"] == "yes"
        return dataclasses.replace(draft, living_abroad=abroad, country=data["country"] if abroad else "")

    return _question(
        request,
        identity,
        Step.LIVING_ABROAD,
        make_form=lambda a, posted, initial: LivingAbroadForm(posted, initial=initial),
        initial=initial,
        answer=answer,
        heading=_("Where do you live?"),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def tax(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Tax withholding: the table, extra tax, 30 %, or SINK for those living abroad (who are told about it)."""

    def answer(draft: Draft, data: dict[str, Any]) -> Draft:
        return dataclasses.replace(draft, tax_kind=data["tax_kind"], extra_per_month=f"{data['extra_per_month']:.2f}")

    def initial(draft: Draft) -> dict[str, Any]:
        extra = draft.extra_per_month if draft.tax_kind == TaxWithholdingKind.EXTRA else ""
        return {"tax_kind": draft.tax_kind or TaxWithholdingKind.TABLE, "extra_per_month": extra}

    return _question(
        request,
        identity,
        Step.TAX,
        make_form=lambda a, posted, initial: TaxForm(
            posted, initial=initial, living_abroad=bool(a.draft.living_abroad)
        ),
        initial=initial,
        answer=answer,
        heading=_("Tax on your pension"),
        context=lambda a: {"explanation_template": _content("tax_abroad" if a.draft.living_abroad else "tax")},
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def account(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The account the pension is paid into: Swedish (clearing and account number) or, abroad, IBAN and BIC."""

    def make_form(applicant: Applicant, posted: Any, initial: dict[str, Any]) -> forms.Form:
        if applicant.draft.living_abroad:
            return ForeignAccountForm(posted, initial=initial)
        return SwedishAccountForm(posted, initial=initial)

    def initial(draft: Draft) -> dict[str, Any]:
        return dict(draft.account or {})

    return _question(
        request,
        identity,
        Step.ACCOUNT,
        make_form=make_form,
        initial=initial,
        answer=lambda d, data: dataclasses.replace(d, account=data["account"]),
        heading=_("Which account should we pay your pension into?"),
    )


# --- The summary --------------------------------------------------------------------------------------


def _answers(applicant: Applicant) -> list[dict[str, Any]]:
    """The summary's rows: each question, the answer in words (None: not answered) and its change link."""
    draft = applicant.draft
    rows: list[dict[str, Any]] = []

    def row(step: Step, question: Any, value: Any) -> None:
        rows.append({"step": step, "question": question, "value": value, "url": f"{_target(step)}?{RETURNING}=1"})

    row(
        Step.PARTS,
        _("Parts"),
        ", ".join(str(PART_LABELS[PensionPart(p)]) for p in draft.parts) if draft.parts else None,
    )
    for part, step in (
        (PensionPart.INCOME_PENSION, Step.INCOME_PENSION),
        (PensionPart.PREMIUM_PENSION, Step.PREMIUM_PENSION),
    ):
        if draft.has(part):
            chosen = draft.starts.get(part)
            value = None
            if chosen is not None:
                value = _("From %(month)s, %(share)s per cent") % {
                    "month": month_label(_month_of(chosen[0])),
                    "share": chosen[1],
                }
            row(step, PART_LABELS[part], value)
    statuses = dict(CivilStatusAnswer.choices)
    row(Step.CIVIL_STATUS, _("Civil status"), statuses.get(draft.civil_status) if draft.civil_status else None)
    if draft.survivor_protection_asked:
        protection: Any = (
            None if draft.survivor_protection is None else (_("Yes") if draft.survivor_protection else _("No"))
        )
        row(Step.SURVIVOR_PROTECTION, _("Survivor protection"), protection)
    where = None
    if draft.living_abroad is not None:
        where = country_name(draft.country) if draft.living_abroad else _("Sweden")
    row(Step.LIVING_ABROAD, _("Country you live in"), where)
    taxes = {
        TaxWithholdingKind.TABLE: _("By the tax table"),
        TaxWithholdingKind.THIRTY_PERCENT: _("30 per cent"),
        TaxWithholdingKind.SINK: _("SINK, 25 per cent"),
    }
    tax_text: Any = None
    if draft.tax_kind == TaxWithholdingKind.EXTRA:
        tax_text = _("By the tax table plus %(amount)s kronor a month") % {"amount": draft.extra_per_month}
    elif draft.tax_kind is not None:
        tax_text = taxes[TaxWithholdingKind(draft.tax_kind)]
    row(Step.TAX, _("Tax"), tax_text)
    row(Step.ACCOUNT, _("Payment account"), _account_text(draft))
    return rows


def _month_of(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def _account_text(draft: Draft) -> str | None:
    account = draft.account
    if account is None:
        return None
    if account["kind"] == "foreign":
        iban = account["iban"]
        return f"IBAN {' '.join(iban[i : i + 4] for i in range(0, len(iban), 4))}, BIC {account['bic']}"
    clearing = account["clearing_number"]
    if len(clearing) == 5:
        clearing = f"{clearing[:4]}-{clearing[4]}"
    return f"{account['bank_name']}, {clearing}, {account['account_number']}"


@require_safe
@citizen_required
def summary(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Every answer with a link to change it, and what the pension would be per part and month."""
    applicant = _applicant(request, identity)
    if isinstance(applicant, HttpResponse):
        return applicant
    assert identity.personal_number is not None  # noqa: S101 - a snapshot was read by it
    application = applicant.draft.application(identity.personal_number, applicant.window)
    preview = None
    preview_error = False
    if application is not None:
        try:
            preview = application_preview(applicant.snapshot, application, today=clock.today())
        except PreviewUnavailableError:
            preview_error = True
    rows = _answers(applicant)
    context = {
        "page_title": _("Check your answers"),
        "rows": rows,
        "complete": application is not None,
        "missing": [row for row in rows if row["value"] is None],
        "preview": preview,
        "preview_error": preview_error,
        "survivor_protection": application is not None and application.survivor_protection,
        "abroad_account": application is not None and isinstance(application.payment_account, ForeignAccount),
    }
    if preview is not None:
        labels = {str(part): label for part, label in PART_LABELS.items()}
        context["preview_rows"] = [
            {
                "label": labels.get(p.part, _("Supplementary pension (tilläggspension)")),
                "start": month_label(p.start),
                "share": p.share,
                "amount": p.monthly_amount,
            }
            for p in preview.parts
        ]
        context["full_from"] = month_label(preview.full_from)
    return render(request, "applications/summary.html", context)


# --- Signing and sending ------------------------------------------------------------------------------


@require_POST
@citizen_required
def sign(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Make the document of the complete draft and ask the signing step for the person's signature."""
    applicant = _applicant(request, identity)
    if isinstance(applicant, HttpResponse):
        return applicant
    assert identity.personal_number is not None  # noqa: S101 - a snapshot was read by it
    application = applicant.draft.application(identity.personal_number, applicant.window)
    if application is None:
        return redirect("applications:summary")
    try:  # a delegate signs for the person, with their own e-ID (decision 0216)
        on_behalf = on_behalf_of(identity)
    except PowerEndedError:
        return redirect("applications:summary")
    document = application_document(application, language=get_language() or "sv", on_behalf=on_behalf)
    return SIGNING.begin(request, document)


@require_safe
@citizen_required
def signed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the signing step returns: keep the signed application and send it, then show where it is.

    Coming back again (a reload, the back button, a second tab) finds the application already kept and shows
    it: one document signed by one person is one application, and one case.
    """
    return SIGNING.finish(request, identity)


@require_safe
@citizen_required
def submitted(request: HttpRequest, identity: Identity, submission_id: Any) -> HttpResponse:
    """A signed application: received, with its case, or kept and not yet sent (never shown as sent before)."""
    row = signed_application_get(identity=identity, submission_id=submission_id)
    if row is None:
        raise Http404
    change = row.case_type == CaseType.WITHDRAWAL_CHANGE  # a change is no application: its own words
    titles = (
        (_("Change received"), _("Your change is signed but not yet sent"))
        if change
        else (_("Application received"), _("Your application is signed but not yet sent"))
    )
    context = {
        "page_title": titles[0] if row.status == SubmissionStatus.SENT else titles[1],
        "change": change,
        "row": row,
        "sent": row.status == SubmissionStatus.SENT,
        "refused": row.status == SubmissionStatus.REFUSED,
        "case": case_of(identity=identity, row=row),
    }
    return render(request, "applications/submitted.html", context)


@require_POST
@citizen_required
def submitted_retry(request: HttpRequest, identity: Identity, submission_id: Any) -> HttpResponse:
    """Try to send a kept application now (the person asked to; the background task would otherwise)."""
    row = signed_application_get(identity=identity, submission_id=submission_id)
    if row is None:
        raise Http404
    signed_application_send(row=row)
    return redirect("applications:submitted", submission_id=row.pk)


@require_safe
@citizen_required
def receipt(request: HttpRequest, identity: Identity, submission_id: Any) -> HttpResponse:
    """The sealed receipt of a received application, as a PDF to keep."""
    from minasidor.applications.receipt import receipt_pdf  # noqa: PLC0415 - the PDF library is heavy

    row = signed_application_get(identity=identity, submission_id=submission_id)
    if row is None or row.status != SubmissionStatus.SENT:
        raise Http404
    body = receipt_pdf(row, name=identity.display_name, language=get_language() or "sv")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="kvitto-ansokan.pdf"'
    return response


@require_safe
@citizen_required
def case_receipt(request: HttpRequest, identity: Identity, case_id: Any) -> HttpResponse:
    """The receipt of the application that opened the case ``case_id`` (the link on the case's page)."""
    row = signed_application_of_case(identity=identity, case_id=case_id)
    if row is None:
        raise Http404
    return redirect("applications:receipt", submission_id=row.pk)
