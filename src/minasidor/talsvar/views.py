"""The telephone service's VoiceXML 2.1 documents, fetched by the telephony platform (decision 0141).

Every request carries the platform's service token (``Authorization: Bearer …``). The documents carry only
the call's id; what the caller keyed and who they are stays in the call's state on our side.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from minasidor.registers.types import RegistersError
from minasidor.talsvar.calls import Call, call_end, call_get, call_save, call_start
from minasidor.talsvar.services import QUESTIONS, Identification, caller_identify, form_catalogue, form_order

VOICEXML = "application/voicexml+xml; charset=utf-8"
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
XML_LANG = {"sv": "sv-SE", "en": "en-GB"}


def _authorised(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    return bool(token) and hmac.compare_digest(token.encode(), settings.TALSVAR_PLATFORM_TOKEN.encode())


def _url(name: str, call: Call | None = None, **params: str) -> str:
    query = {"call": call.call_id} if call is not None else {}
    query.update(params)
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _document(
    request: HttpRequest, template: str, language: str, *, status: int = 200, **context: object
) -> HttpResponse:
    with translation.override(language):
        response = render(request, template, {"xml_lang": XML_LANG[language], **context}, content_type=VOICEXML)
    response.status_code = status
    response["Cache-Control"] = "no-store"
    return response


def _say(
    request: HttpRequest, call: Call | None, lines: list[str], *, next_url: str = "", status: int = 200
) -> HttpResponse:
    language = call.language if call is not None else "sv"
    return _document(request, "talsvar/say.vxml", language, status=status, lines=lines, next=next_url)


def platform(view: Any) -> Any:
    """Only the telephony platform, with its token; a call that is unknown or over is said to be over."""

    @csrf_exempt
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not _authorised(request):
            return JsonResponse({"error": "unauthenticated", "message": "the platform's token is required"}, status=401)
        response: HttpResponse = view(request, **kwargs)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _call_or_end(request: HttpRequest, call_id: str) -> Call | HttpResponse:
    call = call_get(call_id)
    if call is None:
        with translation.override("sv"):
            return _say(request, None, [_("The call has ended. Call again to start over.")], status=404)
    return call


@platform
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """A new call: the choice of language."""
    call = call_start("sv")
    return _document(
        request,
        "talsvar/start.vxml",
        "sv",
        swedish=_url("talsvar:identify", call, lang="sv"),
        english=_url("talsvar:identify", call, lang="en"),
    )


@platform
def identify(request: HttpRequest) -> HttpResponse:  # noqa: PLR0911 — one answer per outcome of the check
    """GET: the form for the personal number and the code. POST: check them (nothing is said before)."""
    source = request.POST if request.method == "POST" else request.GET
    found = _call_or_end(request, source.get("call", ""))
    if isinstance(found, HttpResponse):
        return found
    call = found
    if request.method == "GET":
        if source.get("lang") in XML_LANG and not call.identified:
            call.language = source["lang"]
            call_save(call)
        return _identify_form(request, call)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    with translation.override(call.language):
        try:
            outcome = caller_identify(call, personal_number=source.get("pnr", ""), code=source.get("code", ""))
        except RegistersError:
            return _say(request, call, [_("Our systems do not answer just now. Please call again later.")])
        if outcome == Identification.ACCEPTED:
            return _menu(request, call, intro=_("Thank you, you are identified."))
        if outcome == Identification.LOCKED:
            call_end(call)
            lines = [
                _("Your personal code is locked after too many wrong tries."),
                _("Order a new code on My pages, or call customer service."),
            ]
            return _say(request, call, lines)
        if outcome == Identification.ENDED:
            call_end(call)
            return _say(request, call, [_("The personal identity number or the code is wrong. Goodbye.")])
        return _identify_form(request, call, intro=_("The personal identity number or the code is wrong. Try again."))


def _identify_form(request: HttpRequest, call: Call, intro: str = "") -> HttpResponse:
    with translation.override(call.language):
        prompts = {
            "ask_number": _("Key in your personal identity number, twelve digits, then the hash key."),
            "number_digits": _("A personal identity number has twelve digits."),
            "ask_code": _("Key in your personal code, eight digits, then the hash key."),
            "code_digits": _("Your personal code has eight digits."),
            "no_keys": _("We did not hear any keys."),
        }
    return _document(
        request,
        "talsvar/identify.vxml",
        call.language,
        call_id=call.call_id,
        intro=intro,
        submit=reverse("talsvar:identify"),
        prompts=prompts,
    )


def _menu(request: HttpRequest, call: Call, intro: str = "") -> HttpResponse:
    with translation.override(call.language):
        choices = [
            ("1", _("your next payment"), "next-payment"),
            ("2", _("your latest payment"), "latest-payment"),
            ("3", _("your latest pension statement"), "statement-total"),
            ("4", _("your application"), "application-status"),
            ("5", _("a new personal code by post"), "new-code"),
        ]
        forms = {"key": "6", "label": _("a paper form by post"), "url": _url("talsvar:forms", call)}
        prompt = " ".join(
            [intro]
            + [_("For %(what)s, press %(key)s.") % {"what": label, "key": key} for key, label, _name in choices]
            + [_("For %(what)s, press %(key)s.") % {"what": forms["label"], "key": forms["key"]}]
            + [_("To end the call, press 0.")]
        ).strip()
        entries = [{"key": key, "label": label, "url": _question_url(call, name)} for key, label, name in choices] + [
            forms,
            {"key": "0", "label": _("end the call"), "url": _url("talsvar:end", call)},
        ]
        not_a_choice = _("That key is not one of the choices.")
    return _document(
        request, "talsvar/menu.vxml", call.language, prompt=prompt, choices=entries, not_a_choice=not_a_choice
    )


def _question_url(call: Call, name: str) -> str:
    return reverse("talsvar:answer", kwargs={"question": name}) + f"?{urlencode({'call': call.call_id})}"


def _identified(request: HttpRequest) -> Call | HttpResponse:
    found = _call_or_end(request, request.GET.get("call", ""))
    if isinstance(found, HttpResponse):
        return found
    if not found.identified:
        with translation.override(found.language):
            return _say(request, found, [_("Key in your personal identity number and code first.")],
                        next_url=_url("talsvar:identify", found), status=403)  # fmt: skip
    return found


@platform
@require_GET
def menu(request: HttpRequest) -> HttpResponse:
    """The questions an identified caller can ask."""
    call = _identified(request)
    return call if isinstance(call, HttpResponse) else _menu(request, call)


@platform
@require_GET
def answer(request: HttpRequest, question: str) -> HttpResponse:
    """One question's answer, then back to the menu."""
    call = _identified(request)
    if isinstance(call, HttpResponse):
        return call
    ask = QUESTIONS.get(question)
    with translation.override(call.language):
        if ask is None:
            return _say(request, call, [_("That is not one of the choices.")], next_url=_url("talsvar:menu", call),
                        status=404)  # fmt: skip
        try:
            said = ask(call)
        except RegistersError:
            said = _("Our systems do not answer just now. Please call again later.")
    return _say(request, call, [said], next_url=_url("talsvar:menu", call))


@platform
@require_GET
def forms(request: HttpRequest) -> HttpResponse:
    """The paper forms the caller can order by post: one key each (1 to 9), star for the menu."""
    call = _identified(request)
    if isinstance(call, HttpResponse):
        return call
    with translation.override(call.language):
        try:
            catalogue = form_catalogue(call)[:9]
        except RegistersError:
            return _say(request, call, [_("Our systems do not answer just now. Please call again later.")],
                        next_url=_url("talsvar:menu", call))  # fmt: skip
        entries = [
            {"key": str(key), "label": form.title(call.language), "url": _form_url(call, form.code)}
            for key, form in enumerate(catalogue, start=1)
        ]
        prompt = " ".join(
            [_("Which form do you want by post?")]
            + [_("For %(what)s, press %(key)s.") % {"what": entry["label"], "key": entry["key"]} for entry in entries]
            + [_("To go back to the menu, press star.")]
        )
        entries.append({"key": "*", "label": _("back to the menu"), "url": _url("talsvar:menu", call)})
        not_a_choice = _("That key is not one of the choices.")
    return _document(
        request, "talsvar/menu.vxml", call.language, prompt=prompt, choices=entries, not_a_choice=not_a_choice
    )


def _form_url(call: Call, code: str) -> str:
    return reverse("talsvar:form-order", kwargs={"form": code}) + f"?{urlencode({'call': call.call_id})}"


@platform
@require_GET
def form_order_view(request: HttpRequest, form: str) -> HttpResponse:
    """Order the chosen form by post, say so (never the address), then back to the menu.

    A GET, as every ``choice`` of VoiceXML fetches: ordering a form that waits for print adds nothing, so a
    fetch made twice orders once (decision 0202)."""
    call = _identified(request)
    if isinstance(call, HttpResponse):
        return call
    with translation.override(call.language):
        try:
            chosen = next((entry for entry in form_catalogue(call) if entry.code == form), None)
            if chosen is None:
                return _say(request, call, [_("That is not one of the choices.")],
                            next_url=_url("talsvar:forms", call), status=404)  # fmt: skip
            said = form_order(call, chosen)
        except RegistersError:
            said = _("Our systems do not answer just now. Please call again later.")
    return _say(request, call, [said], next_url=_url("talsvar:menu", call))


@platform
@require_GET
def end(request: HttpRequest) -> HttpResponse:
    """Goodbye: the call's state is forgotten."""
    found = _call_or_end(request, request.GET.get("call", ""))
    if isinstance(found, HttpResponse):
        return found
    call_end(found)
    with translation.override(found.language):
        return _say(request, found, [_("Thank you for calling. Goodbye.")])


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """The telephone service's API as OpenAPI 3 (JSON)."""
    return JsonResponse(yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8")))
