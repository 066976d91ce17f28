"""The back office's internal JSON API: the person snapshot, the customer-record writes, and casework.

Every call carries a service token (``Authorization: Bearer …``, decision 0035) naming the principal it
acts for, and the subject's personal number in the ``X-Personal-Number`` header (never in the URL, so it
stays out of access logs of proxies). A case handler's calls (``casework/…``) are about a case, named by
its public id in the path, not about a person given by the caller: they carry no subject header, and
their token names the empty subject (docs/decisions/0039). Bad requests get a 4xx with a JSON body
saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from backoffice.casework import selectors as case_selectors
from backoffice.casework import services as case_services
from backoffice.notices import services as notice_services
from backoffice.paper_forms import catalogue as form_catalogue
from backoffice.paper_forms import services as form_services
from backoffice.personal_codes import services as code_services
from backoffice.register import selectors, services
from backoffice.register.access import Caller, CallerError
from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from kernel.service_tokens import TokenError, public_key, subject_digest, token_verify
from kernel.uploads import MAX_BYTES as MAX_ATTACHMENT_BYTES

OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
MAX_BODY_BYTES = 16 * 1024
MAX_SUBMISSION_BYTES = 256 * 1024  # a signed document with its evidence (signature, OCSP response)
# A message with its attachments: three files of at most 5 MiB each, as base64, and the text.
MAX_MESSAGE_BYTES = case_services.MAX_ATTACHMENTS * (MAX_ATTACHMENT_BYTES * 4 // 3 + 1024) + 64 * 1024
REQUEST_ID_MAX = 64


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # at most 14 significant digits: the float prints as the same decimal
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__}")


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """A JSON answer; money as numbers with at most two decimals, dates as ISO 8601."""
    return HttpResponse(
        json.dumps(data, default=_json_default, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def problem(status: int, error: str, message: str, **extra: Any) -> HttpResponse:
    """An error answer: ``{"error": code, "message": text, …}``."""
    return json_response({"error": error, "message": message, **extra}, status=status)


@functools.cache
def _trusted_keys(configured: tuple[str, ...]) -> list[Any]:
    return [public_key(key) for key in configured]


Handler = Callable[..., HttpResponse]


def _method_check(request: HttpRequest, method: str) -> HttpResponse | None:
    if request.method == method:
        return None
    response = problem(405, "method_not_allowed", f"use {method}")
    response["Allow"] = method
    return response


def _caller(request: HttpRequest, method: str, subject: str) -> Caller | HttpResponse:
    """The caller named by a token good for this request and ``subject``, or the 401 answer."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return problem(401, "unauthenticated", "a service token is required")
    try:
        claims = token_verify(
            header.removeprefix("Bearer ").strip(),
            _trusted_keys(tuple(settings.BACKOFFICE_API_TRUSTED_KEYS)),
            method=method,
            path=request.path,
            now=clock.now().timestamp(),
        )
        if claims.subject_digest != subject_digest(subject):
            raise TokenError("token made for another subject")
        return Caller(
            service=claims.service,
            channel="http",
            principal_kind=claims.principal_kind,
            principal_ref=claims.principal_ref,
            request_id=request.headers.get("X-Request-ID", "")[:REQUEST_ID_MAX],
        )
    except (TokenError, CallerError) as error:
        return problem(401, "unauthenticated", str(error))


def _authenticate(request: HttpRequest, method: str) -> tuple[Caller, str] | HttpResponse:
    """The caller and the subject's number, or the 4xx answer saying what is wrong."""
    wrong_method = _method_check(request, method)
    if wrong_method is not None:
        return wrong_method
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return problem(401, "unauthenticated", "a service token is required")
    try:
        number = PersonalNumber(request.headers.get("X-Personal-Number", "").strip()).value
    except PersonalNumberError:
        return problem(400, "bad_request", "X-Personal-Number must be a 12-digit personal or coordination number")
    caller = _caller(request, method, number)
    if isinstance(caller, HttpResponse):
        return caller
    return caller, number


def _refusals(view: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``view``, answering the back office's refusals with their 4xx."""
    try:
        return view()
    except selectors.PersonNotFoundError:
        return problem(404, "not_found", "no such person in the register")
    except case_selectors.CaseNotFoundError:
        return problem(404, "case_not_found", "no such case")
    except case_selectors.CaseworkPermissionError as error:
        return problem(403, "forbidden", str(error))
    except case_services.CaseStateError as error:
        return problem(409, "case_state", str(error))
    except services.InvalidChangeError as error:
        return problem(422, "invalid_change", "the change was refused", errors=error.errors)


def authenticated(method: str) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """Check method, token and subject; give the view the caller and the subject's personal number."""

    def decorate(view: Handler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            checked = _authenticate(request, method)
            if isinstance(checked, HttpResponse):
                return checked
            caller, number = checked
            return _refusals(lambda: view(request, caller, number, **kwargs))

        return wrapper

    return decorate


def staff(method: str) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """For a case handler's call about a case: no subject header, a token for the empty subject."""
    return about_no_person(method, "a case handler's call names the case, not a person")


def about_no_person(
    method: str, refusal: str = "this call is about no person"
) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """For a call about no person: no subject header (``refusal`` says so when one is sent), a token for the
    empty subject."""

    def decorate(view: Handler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            wrong_method = _method_check(request, method)
            if wrong_method is not None:
                return wrong_method
            if "X-Personal-Number" in request.headers:
                return problem(400, "bad_request", refusal)
            caller = _caller(request, method, "")
            if isinstance(caller, HttpResponse):
                return caller
            return _refusals(lambda: view(request, caller, **kwargs))

        return wrapper

    return decorate


def _body(request: HttpRequest, limit: int = MAX_BODY_BYTES) -> Any:
    # Read from the stream, at most one byte past the limit: a body larger than Django's in-memory limit for
    # form data (a message with its attachments) is not refused by Django, and no body is read whole first.
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise services.InvalidChangeError({"body": "is too large"})
    if request.content_type != "application/json":
        raise services.InvalidChangeError({"body": "must be application/json"})
    try:
        return json.loads(raw or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise services.InvalidChangeError({"body": "is not valid JSON"}) from None


@authenticated("GET")
def snapshot(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """The person snapshot the portal reads at login."""
    return json_response(selectors.person_snapshot(caller=caller, personal_number=personal_number))


@authenticated("GET")
def customer_records(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """The person's contact details, payment account and tax settings (My details)."""
    return json_response(selectors.customer_records(caller=caller, personal_number=personal_number))


@authenticated("PUT")
def contact_details(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Change e-mail, phone and the special postal address."""
    change = _body(request)
    return json_response(
        notice_services.contact_details_change(caller=caller, personal_number=personal_number, change=change)
    )


MAX_TOKEN_LENGTH = 128


@authenticated("POST")
def email_confirmation_links(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Send (again) the link that confirms the person's new e-mail address."""
    _body(request)
    notice_services.email_confirmation_issue(caller=caller, personal_number=personal_number)
    return json_response({"sent": True})


@authenticated("POST")
def email_confirmations(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Confirm the person's new e-mail address by the token of its link."""
    body = _body(request)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        raise services.InvalidChangeError({"token": f"must be text of 1 to {MAX_TOKEN_LENGTH} characters"})
    outcome = notice_services.email_confirm(caller=caller, personal_number=personal_number, token=token)
    return json_response({"outcome": str(outcome)})


@authenticated("PUT")
def payment_account(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Register a new payment account."""
    change = _body(request)
    return json_response(services.payment_account_update(caller=caller, personal_number=personal_number, change=change))


@authenticated("PUT")
def tax_settings(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Change the tax withholding settings (and tell the person that details changed)."""
    change = _body(request)
    return json_response(
        notice_services.tax_settings_change(caller=caller, personal_number=personal_number, change=change)
    )


# --- Notices the portal asks for ---------------------------------------------------------------------------


@authenticated("POST")
def login_notices(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Tell the person of a login from a device they have not used before (issue 12.8)."""
    body = _body(request)
    key = body.get("key") if isinstance(body, dict) else None
    if not isinstance(key, str):
        raise services.InvalidChangeError({"key": "a login's key of 1 to 64 characters"})
    count = notice_services.login_notice_enqueue(caller=caller, personal_number=personal_number, key=key)
    return json_response({"notices": count})


@authenticated("POST")
def delegate_session_notices(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Tell the person that someone with their power of attorney began to use My pages for them (decision 0180)."""
    body = _body(request)
    key = body.get("key") if isinstance(body, dict) else None
    if not isinstance(key, str):
        raise services.InvalidChangeError({"key": "a session's key of 1 to 64 characters"})
    count = notice_services.delegate_session_notice_enqueue(caller=caller, personal_number=personal_number, key=key)
    return json_response({"notices": count})


# --- The personal code (decision 0140) -------------------------------------------------------------------

MAX_CODE_LENGTH = 32


@authenticated("POST")
def personal_code_orders(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Order a new personal code by post (voids the code in force)."""
    _body(request)
    return json_response({"ordered": code_services.personal_code_order(caller=caller, personal_number=personal_number)})


@authenticated("POST")
def personal_code_checks(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Check a personal code keyed in for the person."""
    body = _body(request)
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not 0 < len(code) <= MAX_CODE_LENGTH:
        raise services.InvalidChangeError({"code": f"must be text of 1 to {MAX_CODE_LENGTH} characters"})
    outcome = code_services.personal_code_check(caller=caller, personal_number=personal_number, code=code)
    return json_response({"outcome": str(outcome)})


# --- Paper forms ordered by post (decision 0200) ---------------------------------------------------------


@about_no_person("GET")
def forms(request: HttpRequest, caller: Caller) -> HttpResponse:
    """The catalogue of paper forms a person can order by post."""
    return json_response(form_catalogue.form_catalogue())


@authenticated("POST")
def form_orders(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Order a paper form by post to the person's registered address."""
    body = _body(request)
    form = body.get("form") if isinstance(body, dict) else None
    channel = body.get("channel") if isinstance(body, dict) else None
    if not isinstance(form, str) or not isinstance(channel, str):
        raise services.InvalidChangeError({"body": "needs form and channel, as text"})
    order = form_services.form_order(caller=caller, personal_number=personal_number, form_code=form, channel=channel)
    return json_response(order)


# --- Casework: the person's cases -----------------------------------------------------------------------


@authenticated("GET")
def _cases_list(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    return json_response(case_selectors.cases_of_person(caller=caller, personal_number=personal_number))


@authenticated("POST")
def _case_submit(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    submission = _body(request, MAX_SUBMISSION_BYTES + MAX_MESSAGE_BYTES)
    return json_response(case_services.case_open(caller=caller, personal_number=personal_number, submission=submission))


@authenticated("POST")
def payment_account_changes(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """A signed change of payment account, applied at once (idempotent by its key, so safe to retry)."""
    submission = _body(request, MAX_SUBMISSION_BYTES)
    return json_response(
        case_services.payment_account_change_apply(
            caller=caller, personal_number=personal_number, submission=submission
        )
    )


@csrf_exempt
def cases(request: HttpRequest) -> HttpResponse:
    """The person's cases (GET), or open one — idempotently by its key (POST)."""
    if request.method == "POST":
        return _case_submit(request)
    if request.method == "GET":
        return _cases_list(request)
    response = problem(405, "method_not_allowed", "use GET or POST")
    response["Allow"] = "GET, POST"
    return response


@authenticated("GET")
def case(request: HttpRequest, caller: Caller, personal_number: str, case_id: uuid.UUID) -> HttpResponse:
    """One of the person's cases with everything in it; another person's case is not found."""
    return json_response(
        case_selectors.case_of_person(caller=caller, personal_number=personal_number, case_id=str(case_id))
    )


def _person_case_write(function: Callable[..., Any], limit: int = MAX_BODY_BYTES) -> Callable[..., HttpResponse]:
    @authenticated("POST")
    def view(request: HttpRequest, caller: Caller, personal_number: str, case_id: uuid.UUID) -> HttpResponse:
        change = _body(request, limit)
        return json_response(
            function(caller=caller, personal_number=personal_number, case_id=str(case_id), change=change)
        )

    view.__doc__ = function.__doc__
    return view


case_withdrawal = _person_case_write(case_services.case_withdraw)
case_messages = _person_case_write(case_services.case_message_send, MAX_MESSAGE_BYTES)
case_completion_answers = _person_case_write(case_services.case_completion_answer, MAX_MESSAGE_BYTES)
case_call_notes = _person_case_write(case_services.case_call_note)


@authenticated("GET")
def case_attachment(
    request: HttpRequest, caller: Caller, personal_number: str, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file of one of the person's cases (base64 in JSON); another person's is not found."""
    return json_response(
        case_selectors.attachment_of_person(
            caller=caller, personal_number=personal_number, case_id=str(case_id), attachment_id=str(attachment_id)
        )
    )


# --- Casework: the case handler's ---------------------------------------------------------------------


@staff("GET")
def case_queue(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Open cases, oldest first, optionally of one type (``?case_type=``)."""
    return json_response(case_selectors.case_queue(caller=caller, case_type=request.GET.get("case_type") or None))


@staff("GET")
def handler_case(request: HttpRequest, caller: Caller, case_id: uuid.UUID) -> HttpResponse:
    """One case as its handler sees it."""
    return json_response(case_selectors.case_for_handler(caller=caller, case_id=str(case_id)))


@staff("GET")
def handler_attachment(
    request: HttpRequest, caller: Caller, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file of a case, for its handler."""
    return json_response(
        case_selectors.attachment_for_handler(caller=caller, case_id=str(case_id), attachment_id=str(attachment_id))
    )


@staff("POST")
def case_handling(request: HttpRequest, caller: Caller, case_id: uuid.UUID) -> HttpResponse:
    """Take up a received case."""
    return json_response(case_services.case_handling_start(caller=caller, case_id=str(case_id)))


def _staff_case_write(function: Callable[..., Any]) -> Callable[..., HttpResponse]:
    @staff("POST")
    def view(request: HttpRequest, caller: Caller, case_id: uuid.UUID) -> HttpResponse:
        change = _body(request)
        return json_response(function(caller=caller, case_id=str(case_id), change=change))

    view.__doc__ = function.__doc__
    return view


case_completion_requests = _staff_case_write(case_services.case_completion_request)
handler_messages = _staff_case_write(case_services.case_message_answer)
case_decision = _staff_case_write(case_services.application_decide)
case_closure = _staff_case_write(case_services.case_close)


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API."""
    document: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text())
    return document


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document (no token needed: it holds no personal data)."""
    if request.method not in ("GET", "HEAD"):
        return problem(405, "method_not_allowed", "use GET")
    return JsonResponse(openapi_document())


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Unknown paths: a JSON 404."""
    return problem(404, "not_found", "no such resource")


def server_error(request: HttpRequest) -> HttpResponse:
    """An unexpected failure: a JSON 500 without details."""
    return problem(500, "server_error", "the back office could not answer")
