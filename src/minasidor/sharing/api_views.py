"""The machine side of consented sharing: the token endpoint (DPoP-bound tokens) and the read API.

Documented in docs/sharing-openapi.yaml. JSON only, no session, no cookies: a client proves itself with
its DPoP key on every request, each proof carrying the nonce the portal's last answer gave (``DPoP-Nonce``).
Each read serves only what the token's scope and the citizen's live consent grant, and is refused past a
limit per client and minute (minasidor.security.counters).
"""

from __future__ import annotations

import decimal
import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from oauth2_provider.views import TokenView

from kernel import clock
from minasidor.security import counters
from minasidor.sharing.dpop import DPoPError, DPoPNonceError, proof_verify
from minasidor.sharing.nonces import nonce_current, nonce_valid
from minasidor.sharing.resource import ApiCaller, ApiRefusalError, caller_check
from minasidor.sharing.selectors import (
    RegisterUnavailableError,
    shared_forecast_read,
    shared_payments_read,
    shared_statement_read,
)
from minasidor.sharing.services import proof_seen_record
from minasidor.sharing.types import PROOF_MAX_AGE, Scope
from minasidor.sharing.validator import bound_key

GRANT_TYPES = ("authorization_code", "refresh_token")
API_WINDOW_SECONDS = 60


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


class _Token(TokenView):  # type: ignore[misc]  # the toolkit has no type hints
    """The toolkit's token endpoint, run with the key of the request's checked DPoP proof."""


_token_view = _Token.as_view()


def _with_nonce(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Every answer (a refusal too) names the current DPoP nonce, so the client's next proof can carry it."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        response = view(request)
        response["DPoP-Nonce"] = nonce_current()
        return response

    return wrapped


@csrf_exempt
@_with_nonce
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """Exchange a code (with its PKCE verifier) or a refresh token for tokens bound to the proof's key."""
    if request.POST.get("grant_type") not in GRANT_TYPES:
        return _oauth_error(400, "unsupported_grant_type", "authorization_code or refresh_token only")
    proofs = request.META.get("HTTP_DPOP", "")
    if not proofs or "," in proofs:
        return _oauth_error(400, "invalid_dpop_proof", "exactly one DPoP proof is required")
    try:
        proof = proof_verify(
            proofs,
            method="POST",
            url=request.build_absolute_uri(),
            now=clock.now(),
            max_age=PROOF_MAX_AGE,
            nonce_valid=nonce_valid,
        )
    except DPoPNonceError as error:
        return _oauth_error(400, "use_dpop_nonce", str(error))
    except DPoPError as error:
        return _oauth_error(400, "invalid_dpop_proof", str(error))
    if not proof_seen_record(jkt=proof.jkt, jti=proof.jti):
        return _oauth_error(400, "invalid_dpop_proof", "this proof was used before")
    with bound_key(proof.jkt):
        response: HttpResponse = _token_view(request)
    if response.status_code == 200:
        body = json.loads(response.content)
        body["token_type"] = "DPoP"  # noqa: S105  # nosec B105 - the token type (RFC 9449), not a secret
        response.content = json.dumps(body).encode()
    response["Cache-Control"] = "no-store"
    return response


def _served(scope: Scope, read: Callable[[ApiCaller], Any]) -> Callable[[HttpRequest], HttpResponse]:
    @_with_nonce
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        try:
            caller = caller_check(request, scope=scope.value)
        except ApiRefusalError as refusal:
            response = _oauth_error(refusal.status, refusal.error, refusal.description)
            response["WWW-Authenticate"] = f'DPoP error="{refusal.error}", algs="ES256 EdDSA"'
            return response
        limit = settings.SHARING_API_READS_PER_MINUTE
        if not counters.hit(
            scope="sharing:api", subject=f"client:{caller.client_id}", limit=limit, window_seconds=API_WINDOW_SECONDS
        ):
            wait = _window_left()
            response = _oauth_error(429, "too_many_requests", f"too many reads by this client; wait {wait} s")
            response["Retry-After"] = str(wait)
            return response
        try:
            body = read(caller)
        except RegisterUnavailableError:
            return _oauth_error(503, "temporarily_unavailable", "the pension register did not answer; try later")
        response = JsonResponse(body, json_dumps_params={"default": _number})
        response["Cache-Control"] = "no-store"
        return response

    return view


def _window_left() -> int:
    """Seconds until the counter's fixed window ends, when this client may read again."""
    return API_WINDOW_SECONDS - int(clock.now().timestamp()) % API_WINDOW_SECONDS


def _number(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _statement(caller: ApiCaller) -> dict[str, Any]:
    statement = shared_statement_read(caller=caller)
    if statement is None:
        return {"statement": None}
    return {
        "statement": {
            "year": statement.year,
            "accounts": [
                {
                    "account": account.account,
                    "opening_value": round(account.opening_value),
                    "new_rights": round(account.new_rights),
                    "value_change": round(account.value_change),
                    "fees": round(account.fees),
                    "closing_value": round(account.closing_value),
                }
                for account in statement.accounts
            ],
            "total_closing_value": round(statement.total_closing_value),
            "currency": "SEK",
        }
    }


def _forecast(caller: ApiCaller) -> dict[str, Any]:
    forecast = shared_forecast_read(caller=caller)
    if forecast is None:
        return {"forecast": None}
    return {
        "forecast": {
            "assumptions": "standard",
            "price_level_year": forecast.price_level_year,
            "withdrawal_age": forecast.choice.withdrawal_age,
            "ages": [
                {
                    "age": row.age,
                    "monthly_before_tax": row.expected.total_before_tax,
                    "monthly_after_tax": row.expected.total_after_tax,
                    "pessimistic_before_tax": row.pessimistic_total,
                    "optimistic_before_tax": row.optimistic_total,
                }
                for row in forecast.ages
                if row.allowed and row.expected is not None
            ],
            "currency": "SEK",
        }
    }


def _payments(caller: ApiCaller) -> dict[str, Any]:
    payments = shared_payments_read(caller=caller)
    return {
        "payments": [
            {
                "date": payment.payment_date.isoformat(),
                "gross": payment.gross,
                "tax": payment.tax,
                "net": payment.net,
                "paid": payment.paid,
            }
            for payment in payments
        ],
        "currency": "SEK",
    }


statement = _served(Scope.STATEMENT, _statement)
forecast = _served(Scope.FORECAST, _forecast)
payments = _served(Scope.PAYMENTS, _payments)
