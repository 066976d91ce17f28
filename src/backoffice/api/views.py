"""The back office's internal JSON API: the person snapshot and the customer-record writes.

Every call carries a service token (``Authorization: Bearer …``, decision 0035) naming the principal it
acts for, and the subject's personal number in the ``X-Personal-Number`` header (never in the URL, so it
stays out of access logs of proxies). Bad requests get a 4xx with a JSON body saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from backoffice.register import selectors, services
from backoffice.register.access import Caller, CallerError
from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from kernel.service_tokens import TokenError, public_key, subject_digest, token_verify

OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
MAX_BODY_BYTES = 16 * 1024
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


Handler = Callable[[HttpRequest, Caller, str], HttpResponse]


def _authenticate(request: HttpRequest, method: str) -> tuple[Caller, str] | HttpResponse:
    """The caller and the subject's number, or the 4xx answer saying what is wrong."""
    if request.method != method:
        response = problem(405, "method_not_allowed", f"use {method}")
        response["Allow"] = method
        return response
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return problem(401, "unauthenticated", "a service token is required")
    try:
        number = PersonalNumber(request.headers.get("X-Personal-Number", "").strip()).value
    except PersonalNumberError:
        return problem(400, "bad_request", "X-Personal-Number must be a 12-digit personal or coordination number")
    try:
        claims = token_verify(
            header.removeprefix("Bearer ").strip(),
            _trusted_keys(tuple(settings.BACKOFFICE_API_TRUSTED_KEYS)),
            method=method,
            path=request.path,
            now=clock.now().timestamp(),
        )
        if claims.subject_digest != subject_digest(number):
            raise TokenError("token made for another subject")
        caller = Caller(
            service=claims.service,
            channel="http",
            principal_kind=claims.principal_kind,
            principal_ref=claims.principal_ref,
            request_id=request.headers.get("X-Request-ID", "")[:REQUEST_ID_MAX],
        )
    except (TokenError, CallerError) as error:
        return problem(401, "unauthenticated", str(error))
    return caller, number


def authenticated(method: str) -> Callable[[Handler], Callable[[HttpRequest], HttpResponse]]:
    """Check method, token and subject; give the view the caller and the subject's personal number."""

    def decorate(view: Handler) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            checked = _authenticate(request, method)
            if isinstance(checked, HttpResponse):
                return checked
            caller, number = checked
            try:
                return view(request, caller, number)
            except selectors.PersonNotFoundError:
                return problem(404, "not_found", "no such person in the register")
            except services.InvalidChangeError as error:
                return problem(422, "invalid_change", "the change was refused", errors=error.errors)

        return wrapper

    return decorate


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY_BYTES:
        raise services.InvalidChangeError({"body": "is too large"})
    if request.content_type != "application/json":
        raise services.InvalidChangeError({"body": "must be application/json"})
    try:
        return json.loads(request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise services.InvalidChangeError({"body": "is not valid JSON"}) from None


@authenticated("GET")
def snapshot(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """The person snapshot the portal reads at login."""
    return json_response(selectors.person_snapshot(caller=caller, personal_number=personal_number))


@authenticated("PUT")
def contact_details(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Change e-mail, phone and the special postal address."""
    change = _body(request)
    return json_response(services.contact_details_update(caller=caller, personal_number=personal_number, change=change))


@authenticated("PUT")
def payment_account(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Register a new payment account."""
    change = _body(request)
    return json_response(services.payment_account_update(caller=caller, personal_number=personal_number, change=change))


@authenticated("PUT")
def tax_settings(request: HttpRequest, caller: Caller, personal_number: str) -> HttpResponse:
    """Change the tax withholding settings."""
    change = _body(request)
    return json_response(services.tax_settings_update(caller=caller, personal_number=personal_number, change=change))


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
