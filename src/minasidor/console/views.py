"""The console's pages: login (OpenID Connect, then a second factor), the code, and the citizen's data within
the permission's scope, read-only. Every page but the login's is behind ``agent_required``."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView  # type: ignore[import-untyped]

from minasidor.console.auth import CUSTOMER_SERVICE_ROLE
from minasidor.console.decorators import agent_required
from minasidor.console.forms import CallNoteForm, CodeForm, PersonalCodeIdentifyForm, PhoneIdentifyForm, TotpForm
from minasidor.console.models import AgentPasskey
from minasidor.console.passkeys import (
    authentication_finish,
    authentication_options,
    registration_finish,
    registration_options,
)
from minasidor.console.phone import phone_order_cancel, phone_order_collect, phone_order_start
from minasidor.console.selectors import CaseUnavailableError, case_read, cases_read, forecast_read, overview_read
from minasidor.console.services import CodeIdentification, caller_identify_by_personal_code, case_call_note
from minasidor.console.session import (
    console_data,
    console_logout,
    console_session_start,
    second_factor_done,
)
from minasidor.registers.types import RegistersError
from minasidor.staff.services import totp_code_check
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.selectors import HeldPermission, permission_held, permissions_held
from minasidor.temporary_access.services import permission_take
from minasidor.temporary_access.types import PERSONAL_CODE_MINUTES, PERSONAL_CODE_SCOPES, Agent, Scope
from minasidor.webtest.selectors import webtest_record_get

logger = structlog.get_logger(__name__)


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: the user is logged in, the console session starts, the second factor is next."""

    @property
    def failure_url(self) -> str:
        return "/kundservice/logga-in/?misslyckades=1"

    @property
    def success_url(self) -> str:
        return "/kundservice/andra-steget/"

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        claims: dict[str, Any] = getattr(self.user, "console_claims", {})
        roles = claims.get("roles") or []
        console_session_start(
            self.request,
            staff_number=str(claims.get("staff_number") or claims.get("sub")),
            name=str(claims.get("name", "")),
            role=CUSTOMER_SERVICE_ROLE if CUSTOMER_SERVICE_ROLE in roles else "",
        )
        logger.info("console.login", staff_number=claims.get("staff_number"))
        return response


@require_safe
def login(request: HttpRequest) -> HttpResponse:
    """The console's front door: log in through the authority's identity provider; what we never ask for."""
    context = {"page_title": _("Log in to the customer service console"), "failed": "misslyckades" in request.GET}
    response = render(request, "console/login.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The second factor after the provider's login: the authenticator app's code (TOTP)."""
    data = console_data(request)
    if data is None:
        return redirect("console:login")
    if data.get("second_factor"):
        return redirect("console:home")
    form = TotpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - console_data checked the login
        if totp_code_check(user=user, code=form.cleaned_data["otp"], use=True):
            second_factor_done(request, method="totp")
            return redirect("console:home")
        form.add_error("otp", _("The code is not right. Wait for the next code and try again."))
        logger.warning("console.second_factor_failed", staff_number=data["staff_number"])
    context = {
        "page_title": _("Second step"),
        "form": form,
        "has_passkey": AgentPasskey.objects.filter(user_id=request.user.pk or 0).exists(),
    }
    response = render(request, "console/second_factor.html", context)
    response["Cache-Control"] = "no-store"
    # The one page that uses passkeys to sign in: WebAuthn's get is allowed here, for this origin only.
    response["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace(
        "publickey-credentials-get=()", "publickey-credentials-get=(self)"
    )
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out of the console: the permissions held in this session end with it."""
    console_logout(request)
    return redirect("console:login")


@require_http_methods(["GET", "POST"])
@agent_required
def home(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Enter the code the citizen reads out; the permissions held in this session; the call's script."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        taken = permission_take(agent=agent, code=form.cleaned_data["code"])
        if taken is not None:
            return _first_page(taken)
        form.add_error("code", _("The code cannot be used. Ask the citizen to give a new permission on Mina sidor."))
    held = [
        {"permission": permission, "scopes": [Scope(scope).label for scope in permission.scope_list]}
        for permission in permissions_held(agent=agent)
    ]
    return render(
        request, "console/home.html", {"page_title": _("Customer service"), "form": form, "held": held, "agent": agent}
    )


def _first_page(permission: TemporaryPermission) -> HttpResponse:
    """The first page the permission covers: the overview, else the forecast, else the cases."""
    scopes = permission.scope_list
    target = (
        "console:permission"
        if "overview" in scopes
        else "console:forecast"
        if "forecast" in scopes
        else "console:cases"
    )
    return redirect(target, reference=permission.reference)


def _held(agent: Agent, reference: uuid.UUID, scope: Scope) -> HeldPermission:
    held = permission_held(agent=agent, reference=str(reference), scope=scope)
    if held is None:
        raise Http404
    return held


def _context(agent: Agent, held: HeldPermission, title: Any) -> dict[str, Any]:
    return {
        "page_title": title,
        "agent": agent,
        "held": held,
        "scopes": [scope.value for scope in held.scopes],
        "reference": held.reference,
    }


@require_safe
@agent_required
def permission(request: HttpRequest, agent: Agent, reference: uuid.UUID) -> HttpResponse:
    """The citizen's overview and statements (scope ``overview``), read-only."""
    held = _held(agent, reference, Scope.OVERVIEW)
    context = _context(agent, held, _("Overview and statements"))
    context["overview"] = overview_read(agent=agent, held=held)
    return render(request, "console/overview.html", context)


@require_safe
@agent_required
def forecast(request: HttpRequest, agent: Agent, reference: uuid.UUID) -> HttpResponse:
    """The forecast of the citizen's default choice (scope ``forecast``), read-only."""
    held = _held(agent, reference, Scope.FORECAST)
    context = _context(agent, held, _("Pension forecast"))
    result = forecast_read(agent=agent, held=held)
    context.update(forecast=result, chosen=result.chosen if result is not None else None)
    return render(request, "console/forecast.html", context)


@require_safe
@agent_required
def cases(request: HttpRequest, agent: Agent, reference: uuid.UUID) -> HttpResponse:
    """The citizen's cases (scope ``cases``), read-only."""
    held = _held(agent, reference, Scope.CASES)
    context = _context(agent, held, _("Cases"))
    context["cases"] = cases_read(agent=agent, held=held)
    return render(request, "console/cases.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def case(request: HttpRequest, agent: Agent, reference: uuid.UUID, case_id: uuid.UUID) -> HttpResponse:
    """One of the citizen's cases with its history and messages (scope ``cases``), read-only but for the
    agent's note of the call, which goes into the case's history (issue 19)."""
    held = _held(agent, reference, Scope.CASES)
    context = _context(agent, held, _("Case"))
    form = CallNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            noted = case_call_note(agent=agent, held=held, case_id=case_id, text=form.cleaned_data["text"])
        except RegistersError:
            form.add_error(
                None, _("The note could not be saved: the case register cannot answer. Try again in a while.")
            )
        else:
            if noted is None:
                raise Http404
            target = reverse("console:case", kwargs={"reference": held.reference, "case_id": case_id})
            return redirect(target + "?antecknat=1")
    try:
        detail = case_read(agent=agent, held=held, case_id=case_id)
    except CaseUnavailableError:
        detail = None
        context["unavailable"] = True
    else:
        if detail is None:
            raise Http404
    context.update(
        detail=detail,
        form=form,
        noted="antecknat" in request.GET and request.method == "GET",
        history=sorted(detail.history, key=lambda event: -event.sequence) if detail is not None else (),
    )
    return render(request, "console/case.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def identify(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Identify the caller with BankID on their phone; their approval gives the permission asked for."""
    form = PhoneIdentifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        phone_order_cancel(request)
        started = phone_order_start(
            request,
            agent=agent,
            personal_number=form.cleaned_data["personal_number"],
            initiator=form.cleaned_data["initiator"],
            scopes=form.cleaned_data["scopes"],
            minutes=form.cleaned_data["minutes"],
        )
        if started:
            return redirect("console:identify-status")
        form.add_error(None, _("BankID cannot be reached right now. Try again in a while."))
    return render(
        request,
        "console/identify.html",
        {"page_title": _("Identify the caller with BankID"), "form": form, "agent": agent},
    )


IDENTIFY_BY_CODE_ERRORS = {
    CodeIdentification.WRONG: _(
        "The personal identity number and the personal code do not match. Ask the caller to read the code again."
    ),
    CodeIdentification.LOCKED: _(
        "The caller's personal code is locked after too many wrong codes. The caller can order a new code on "
        "Mina sidor, or you can identify them with BankID."
    ),
    CodeIdentification.LIMITED: _("Too many codes have been tried. Wait a while, or identify the caller with BankID."),
    CodeIdentification.UNAVAILABLE: _("The code cannot be checked right now. Try again in a while."),
}


@require_http_methods(["GET", "POST"])
@agent_required
def identify_by_code(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Identify the caller by personal number and personal code; a right code gives the fixed view (0170)."""
    form = PersonalCodeIdentifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = caller_identify_by_personal_code(
            agent=agent,
            personal_number=form.cleaned_data["personal_number"],
            code=form.cleaned_data["personal_code"],
        )
        if result.permission is not None:
            return redirect("console:permission", reference=result.permission.reference)
        form.add_error("personal_code", IDENTIFY_BY_CODE_ERRORS[result.outcome])
    context = {
        "page_title": _("Identify the caller by personal code"),
        "form": form,
        "agent": agent,
        "scopes": [Scope(scope).label for scope in PERSONAL_CODE_SCOPES],
        "minutes": PERSONAL_CODE_MINUTES,
    }
    return render(request, "console/identify_code.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def identify_status(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Wait for the caller's approval: each visit asks BankID (at most every two seconds) how the order stands."""
    if request.method == "POST":
        phone_order_cancel(request)
        return redirect("console:identify")
    outcome = phone_order_collect(request, agent=agent)
    if outcome.state == "none":
        return redirect("console:identify")
    if outcome.state == "done" and outcome.permission is not None:
        return _first_page(outcome.permission)
    context = {"page_title": _("Waiting for the caller's BankID"), "outcome": outcome, "agent": agent}
    return render(request, "console/identify_status.html", context)


@require_safe
@agent_required
def webtest_lookup(request: HttpRequest, agent: Agent) -> HttpResponse:
    """The web test a caller made, by the reference they read out (kept 24 hours; nothing personal)."""
    reference = request.GET.get("referens", "").strip()[:20]
    record = webtest_record_get(reference=reference) if reference else None
    if reference:
        logger.info("console.webtest_lookup", agent=agent.ref, found=record is not None)
    context = {"page_title": _("Web test"), "agent": agent, "reference": reference, "record": record}
    return render(request, "console/webtest.html", context)


def _json(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def second_factor_passkey_options(request: HttpRequest) -> HttpResponse:
    """The challenge for the agent's passkeys, after the provider's login (JSON for the page's script)."""
    data = console_data(request)
    if data is None:
        return redirect("console:login")
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - console_data checked the login
    options = authentication_options(request, user)
    return _json(options) if options is not None else JsonResponse({"error": "no passkey"}, status=404)


@require_POST
def second_factor_passkey(request: HttpRequest) -> HttpResponse:
    """The passkey's answer to the challenge: the second factor is done, or the page says it did not work."""
    data = console_data(request)
    if data is None:
        return redirect("console:login")
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - console_data checked the login
    if authentication_finish(request, user, request.POST.get("credential", "")):
        second_factor_done(request, method="webauthn")
        return redirect("console:home")
    logger.warning("console.second_factor_failed", staff_number=data["staff_number"], method="webauthn")
    return redirect(reverse("console:second-factor") + "?nyckel=misslyckades")


@require_http_methods(["GET", "POST"])
@agent_required
def passkey(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Register a passkey (after logging in with the authenticator app), to use it as the second factor."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - agent_required checked the login
    registered = None
    if request.method == "POST":
        registered = registration_finish(request, user, request.POST.get("credential", ""))
    context = {
        "page_title": _("Passkey"),
        "agent": agent,
        "registered": registered,
        "count": AgentPasskey.objects.filter(user_id=user.pk).count(),
    }
    return render(request, "console/passkey.html", context)


@require_safe
@agent_required
def passkey_options(request: HttpRequest, agent: Agent) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - agent_required checked the login
    return _json(registration_options(request, user))
