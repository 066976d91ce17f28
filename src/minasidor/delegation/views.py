"""The citizen's powers of attorney (Fullmakter): give one (who, what, until when, summary, sign), see those
given and held, end one, and act for someone who gave one (decision 0180)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.delegation.documents import Terms, power_of_attorney_document
from minasidor.delegation.forms import UntilForm, WhatForm, WhoForm, length_label
from minasidor.delegation.notices import delegate_session_notify
from minasidor.delegation.selectors import grant_detail, grants_given, grants_received
from minasidor.delegation.services import (
    GrantRefusedError,
    acting_start,
    months_after,
    power_of_attorney_end,
    power_of_attorney_grant,
    terms_check,
)
from minasidor.delegation.types import Scope
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import acting_begin, acting_end
from minasidor.identity.types import Identity
from minasidor.signing_step.flow import sign_begin, signature_take

PAGE_TITLE = _("Powers of attorney")
NEW_TITLE = _("Give a power of attorney")
DRAFT_KEY = "delegation_draft"
SIGNING_KEY = "delegation_signing"


def _draft(request: HttpRequest, identity: Identity) -> dict[str, Any]:
    """The person's answers so far (an empty draft when there is none or it is someone else's)."""
    draft = request.session.get(DRAFT_KEY)
    if isinstance(draft, dict) and draft.get("subject") == identity.pseudonym:
        return dict(draft)
    return {"subject": identity.pseudonym}


def _keep(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = draft


def _terms(draft: dict[str, Any]) -> Terms | None:
    """The terms of a complete draft, valid from today; None while a question is unanswered."""
    if not all(key in draft for key in ("delegate", "scopes", "months")):
        return None
    today = clock.today()
    return Terms(
        delegate=PersonalNumber(draft["delegate"]),
        scopes=tuple(Scope(scope) for scope in draft["scopes"]),
        valid_from=today,
        valid_until=months_after(today, int(draft["months"])),
    )


@require_safe
@citizen_required
def grants(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The powers the person gave and those they hold for others."""
    context = {
        "page_title": PAGE_TITLE,
        "given": grants_given(identity=identity),
        "received": grants_received(identity=identity),
        "can_grant": identity.personal_number is not None,
    }
    return render(request, "delegation/list.html", context)


@require_safe
@citizen_required
def detail(request: HttpRequest, identity: Identity, reference: Any) -> HttpResponse:
    """One power of attorney the person gave or holds: what was signed, whether it is in force, ending it."""
    found = grant_detail(identity=identity, reference=str(reference))
    if found is None:
        raise Http404
    context = {
        "page_title": PAGE_TITLE,
        "grant": found.grant,
        "as_grantor": found.as_grantor,
        "signed_lines": [line.removeprefix("# ").removeprefix("- ") for line in found.signed_text.splitlines() if line],
    }
    return render(request, "delegation/detail.html", context)


def _question(request: HttpRequest, form: Any, *, step: int, back_url: str) -> HttpResponse:
    """One question page; its title is the question (the form's one field's label)."""
    question = next(iter(form.fields.values())).label
    context = {"page_title": question, "form": form, "step": step, "back_url": back_url}
    return render(request, "delegation/question.html", context)


@require_http_methods(["GET", "POST"])
@citizen_required
def who(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Question 1: who may act for the person."""
    if identity.personal_number is None:
        return render(request, "delegation/no_number.html", {"page_title": NEW_TITLE})
    draft = _draft(request, identity)
    initial = {"delegate": PersonalNumber(draft["delegate"]).formatted()} if "delegate" in draft else {}
    form = WhoForm(
        request.POST if request.method == "POST" else None, initial=initial, own_number=identity.personal_number
    )
    if request.method == "POST" and form.is_valid():
        draft["delegate"] = form.cleaned_data["delegate"].value
        _keep(request, draft)
        return redirect(_next(draft, "delegation:what"))
    return _question(request, form, step=1, back_url=reverse("delegation:list"))


@require_http_methods(["GET", "POST"])
@citizen_required
def what(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Question 2: what the delegate may do."""
    draft = _draft(request, identity)
    if "delegate" not in draft:
        return redirect("delegation:who")
    form = WhatForm(request.POST if request.method == "POST" else None, initial={"scopes": draft.get("scopes", [])})
    if request.method == "POST" and form.is_valid():
        draft["scopes"] = [Scope(scope).value for scope in form.cleaned_data["scopes"]]
        _keep(request, draft)
        return redirect(_next(draft, "delegation:until"))
    return _question(request, form, step=2, back_url=reverse("delegation:who"))


@require_http_methods(["GET", "POST"])
@citizen_required
def until(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Question 3: for how long."""
    draft = _draft(request, identity)
    if "scopes" not in draft:
        return redirect("delegation:what")
    initial = {"months": str(draft["months"])} if "months" in draft else {}
    form = UntilForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft["months"] = form.cleaned_data["months"]
        _keep(request, draft)
        return redirect("delegation:summary")
    return _question(request, form, step=3, back_url=reverse("delegation:what"))


def _next(draft: dict[str, Any], default: str) -> str:
    """After an answer: the summary when every question is answered (a change from it), else the next one."""
    return "delegation:summary" if _terms(draft) is not None else default


@require_safe
@citizen_required
def summary(request: HttpRequest, identity: Identity) -> HttpResponse:
    """What the person is about to sign, with a way to change each answer."""
    terms = _terms(_draft(request, identity))
    if terms is None:
        return redirect("delegation:who")
    context = {
        "page_title": _("Check the power of attorney before you sign"),
        "terms": terms,
        "scope_labels": [scope.label for scope in terms.scopes],
        "length": length_label(int(_draft(request, identity)["months"])),
    }
    return render(request, "delegation/summary.html", context)


@require_POST
@citizen_required
def sign(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Make the document of the complete draft and ask the signing step for the person's signature."""
    terms = _terms(_draft(request, identity))
    if terms is None:
        return redirect("delegation:who")
    try:
        terms_check(grantor=identity, terms=terms)
    except GrantRefusedError:
        messages.error(request, _("The power of attorney cannot be given as it is. Check the answers."))
        return redirect("delegation:summary")
    document = power_of_attorney_document(grantor=identity, terms=terms, language=get_language() or "sv")
    request.session[SIGNING_KEY] = document.hash_hex
    return sign_begin(
        request, document=document, return_url=reverse("delegation:signed"), cancel_url=reverse("delegation:summary")
    )


@require_safe
@citizen_required
def signed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the signing step returns: keep the signed power of attorney and show the list."""
    hash_hex = request.session.get(SIGNING_KEY)
    signature = signature_take(request, hash_hex=hash_hex) if isinstance(hash_hex, str) else None
    if signature is None:
        return redirect("delegation:list")
    try:
        power_of_attorney_grant(identity=identity, signature=signature)
    except GrantRefusedError:
        messages.error(request, _("The power of attorney cannot be given as it is. Check the answers."))
        return redirect("delegation:summary")
    request.session.pop(SIGNING_KEY, None)
    request.session.pop(DRAFT_KEY, None)
    messages.success(request, _("The power of attorney is given. The person can use it when they log in."))
    return redirect("delegation:list")


@require_POST
@citizen_required
def end(request: HttpRequest, identity: Identity) -> HttpResponse:
    """End a power of attorney the person gave or holds."""
    if power_of_attorney_end(identity=identity, reference=request.POST.get("reference", "")):
        messages.success(request, _("The power of attorney has ended."))
    else:
        messages.error(request, _("The power of attorney could not be ended: it has already ended."))
    return redirect("delegation:list")


@require_POST
@citizen_required
def act(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Begin to act for the person who gave the power ``reference``."""
    acting = acting_start(identity=identity, reference=request.POST.get("reference", ""))
    if acting is None:
        messages.error(request, _("You cannot use that power of attorney: it has ended."))
        return redirect("delegation:list")
    acting_begin(
        request,
        reference=acting.reference,
        personal_number=acting.personal_number,
        given_name=acting.given_name,
        family_name=acting.family_name,
    )
    delegate_session_notify(request, delegate=identity, acting=acting)
    return redirect(_first_page(acting.scopes))


def _first_page(scopes: tuple[Scope, ...]) -> str:
    """Where acting begins: the overview, else the forecast, else the cases, else the application."""
    for scope, page in (
        (Scope.PENSION, "pensions:home"),
        (Scope.FORECAST, "pensions:forecast"),
        (Scope.CASES, "cases:list"),
    ):
        if scope in scopes:
            return page
    return "applications:start"


@require_POST
@citizen_required
def acting_stop(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Stop acting for someone: back to the person's own pages."""
    acting_end(request)
    return redirect("delegation:list")
