"""The HTTP application: the authority API of docs/minpension-openapi.yaml and the control API for tests.

Personal numbers travel only in request bodies. Errors are ``{"error": "<code>", "message": "…"}``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.minpension.data import CURRENT_TERMS_VERSION, VALUE_DATE, Holding
from simulators.minpension.forecast import forecast
from simulators.minpension.state import Fault, SimulatorState

API_PREFIX = "/api/v1"
_PERSONAL_NUMBER = re.compile(r"^(18|19|20)\d{10}$")
_ACCEPTANCES = ("assignmentAgreement", "powerOfAttorney", "personalDataConsent")

Handler = Callable[[Request], Awaitable[Response]]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApiError(415, "unsupportedMediaType", "Send application/json.")
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise ApiError(400, "invalidJson", "The body must be JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalidJson", "The body must be a JSON object.")
    return body


def _personal_number(body: dict[str, Any]) -> str:
    value = body.get("personalNumber")
    if not isinstance(value, str) or not _PERSONAL_NUMBER.fullmatch(value):
        raise ApiError(400, "invalidParameters", "personalNumber must be 12 digits (YYYYMMDDNNNN).")
    return value


def _age(personal_number: str, today: dt.date) -> int:
    born = dt.date(int(personal_number[:4]), int(personal_number[4:6]), int(personal_number[6:8]))
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def holding_json(holding: Holding, *, current_age: int, saving: bool) -> dict[str, Any]:
    """One pension as the API shows it."""
    return {
        "id": holding.key,
        "category": holding.category,
        "agreement": holding.agreement,
        "productType": holding.product,
        "provider": holding.provider,
        "benefitKind": holding.kind,
        "capitalValue": _money(holding.capital) if holding.kind == "defined_contribution" else None,
        "earnedMonthlyAmount": _money(holding.earned_monthly) if holding.kind == "defined_benefit" else None,
        "valueDate": VALUE_DATE.isoformat(),
        "inPayment": holding.in_payment is not None,
        "source": holding.source,
        "payout": {
            "kind": "fixed_term" if holding.payout_years else "lifelong",
            "years": holding.payout_years,
            "fromAge": holding.payout_from_age,
        },
        "forecast": [
            {
                "withdrawalAge": row.withdrawal_age,
                "monthlyAmount": _money(row.monthly_amount),
                "payoutStartAge": row.start_age,
                "payoutEndAge": row.end_age,
            }
            for row in forecast(holding, current_age=current_age, saving=saving)
        ],
    }


def build_app(state: SimulatorState, *, today: Callable[[], dt.date] = dt.date.today) -> Starlette:
    """The API and the control endpoints on one loopback port."""

    def api(endpoint: str, handler: Callable[[dict[str, Any]], Awaitable[Response]]) -> Handler:
        async def run(request: Request) -> Response:
            if state.latency_seconds:
                await asyncio.sleep(state.latency_seconds)
            fault = state.take_fault(endpoint)
            if fault is not None:
                if fault.kind == "timeout":
                    await asyncio.sleep(fault.delay_seconds)
                    return _error(504, "timeout", "Injected: the pension actors did not answer in time.")
                return _error(fault.status, "internalError", "Injected by the Min Pension test server.")
            try:
                return await handler(await _body(request))
            except ApiError as error:
                return _error(error.status, error.code, error.message)

        return run

    def status_json(personal_number: str) -> dict[str, Any]:
        registration = state.registration(personal_number)
        return {
            "registered": registration is not None,
            "termsAccepted": registration is not None and registration.terms_version == CURRENT_TERMS_VERSION,
            "termsVersion": registration.terms_version if registration else None,
            "currentTermsVersion": CURRENT_TERMS_VERSION,
        }

    async def user_status(body: dict[str, Any]) -> Response:
        return JSONResponse(status_json(_personal_number(body)))

    async def user_register(body: dict[str, Any]) -> Response:
        personal_number = _personal_number(body)
        if body.get("termsVersion") != CURRENT_TERMS_VERSION:
            raise ApiError(409, "termsVersionOutdated", f"Accept the current terms ({CURRENT_TERMS_VERSION}).")
        acceptances = body.get("acceptances")
        if not isinstance(acceptances, dict) or any(acceptances.get(name) is not True for name in _ACCEPTANCES):
            raise ApiError(400, "consentMissing", "All of " + ", ".join(_ACCEPTANCES) + " must be true.")
        reference = body.get("consentReference")
        given_at = body.get("consentGivenAt")
        if not isinstance(reference, str) or not reference or not isinstance(given_at, str):
            raise ApiError(400, "invalidParameters", "consentReference and consentGivenAt are required.")
        consent = {"reference": reference, "givenAt": given_at, "acceptances": acceptances}
        state.register(personal_number, consent=consent, now=dt.datetime.now(dt.UTC))
        return JSONResponse(status_json(personal_number), status_code=201)

    async def pensions(body: dict[str, Any]) -> Response:
        personal_number = _personal_number(body)
        status = status_json(personal_number)
        if not status["registered"]:
            raise ApiError(403, "notRegistered", "The person is not a registered Min Pension user.")
        if not status["termsAccepted"]:
            raise ApiError(403, "termsNotAccepted", "The person has not accepted the current terms.")
        saver = state.saver(personal_number)
        current_age = _age(personal_number, today())
        saving = saver.still_saving if saver else False
        items = [holding_json(h, current_age=current_age, saving=saving) for h in (saver.holdings if saver else ())]
        return JSONResponse(
            {
                "asOf": today().isoformat(),
                "forecastStandard": "prognosstandard-2022",
                "priceBasis": "today",
                "beforeTax": True,
                "items": items,
            }
        )

    async def control(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return _error(400, "invalidJson", "The body must be JSON.")
        if not isinstance(body, dict):
            return _error(400, "invalidJson", "The body must be a JSON object.")
        return _control(state, request.path_params["action"], request.method, body)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "latencySeconds": state.latency_seconds})

    return Starlette(
        routes=[
            Route(f"{API_PREFIX}/users/status", api("users/status", user_status), methods=["POST"]),
            Route(f"{API_PREFIX}/users/register", api("users/register", user_register), methods=["POST"]),
            Route(f"{API_PREFIX}/pensions", api("pensions", pensions), methods=["POST"]),
            Route("/control/health", health, methods=["GET"]),
            Route("/control/{action}", control, methods=["POST", "DELETE"]),
        ]
    )


def _control(state: SimulatorState, action: str, method: str, body: dict[str, Any]) -> Response:
    """The control API for tests: reset, latency, faults (add or, with DELETE, clear), deregister."""
    if action == "reset":
        state.reset()
    elif action == "latency":
        seconds = body.get("seconds")
        if not isinstance(seconds, int | float) or not 0 <= seconds <= 60:
            return _error(400, "invalidParameters", "seconds must be 0–60.")
        state.latency_seconds = float(seconds)
    elif action == "faults" and method == "DELETE":
        state.clear_faults()
    elif action == "faults":
        kind = body.get("kind", "error")
        count = body.get("count", 1)
        if kind not in ("error", "timeout") or not isinstance(count, int) or count < 1:
            return _error(400, "invalidParameters", 'kind is "error" or "timeout"; count a positive integer.')
        fault = Fault(
            kind=kind,
            status=int(body.get("status", 500)),
            delay_seconds=float(body.get("delaySeconds", 30.0)),
            endpoint=body.get("endpoint"),
        )
        state.add_fault(fault, count=count)
    elif action == "deregister":
        personal_number = body.get("personalNumber")
        if not isinstance(personal_number, str):
            return _error(400, "invalidParameters", "personalNumber is required.")
        state.deregister(personal_number)
    else:
        return _error(404, "notFound", "No such control action.")
    return JSONResponse({"status": "ok"})
