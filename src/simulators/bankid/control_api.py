"""The virtual app's JSON control API for tests, plus the HTML app, on the plain-HTTP port.

No client certificate: this port stands for the user's phone and for the tester, never for the RP.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.bankid import app_actions
from simulators.bankid.errors import AppError
from simulators.bankid.faults import fault_from_json
from simulators.bankid.orders import Order
from simulators.bankid.persons import all_persons
from simulators.bankid.qr_image import read_qr_text
from simulators.bankid.simulator import Simulator
from simulators.bankid.web_app import html_routes

Handler = Callable[[Request], Awaitable[Response]]


def order_json(order: Order) -> dict[str, Any]:
    """What the app (and the tester) can see of an order."""
    return {
        "orderRef": order.order_ref,
        "kind": order.request.kind.value,
        "status": order.status,
        "hintCode": order.hint_code,
        "personalNumber": order.person.personal_number if order.person else None,
        "userVisibleData": app_actions.decoded_text(order.request.user_visible_data),
        "userVisibleDataFormat": order.request.user_visible_data_format,
        "rpDisplayName": order.request.rp_display_name,
        "returnUrl": app_actions.return_url(order),
    }


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise AppError(status=400, code="invalidJson", message="The body must be JSON.") from None
    if not isinstance(body, dict):
        raise AppError(status=400, code="invalidJson", message="The body must be a JSON object.")
    return body


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise AppError(status=400, code="invalidField", message=f"{name} must be a non-empty string.")
    return value


def _guard(handler: Handler) -> Handler:
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except AppError as error:
            return JSONResponse({"error": error.code, "message": error.message}, status_code=error.status)

    return guarded


class ControlApi:
    """The JSON control API: the virtual app for tests, and the tester's faults, clock and reset."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    async def scan(self, request: Request) -> Response:
        body = await _json_body(request)
        image = _text(body, "qrImage", required=False)
        if image is not None and not body.get("qrData"):
            try:
                qr_data = read_qr_text(base64.b64decode(image, validate=True))
            except binascii.Error:
                raise AppError(status=400, code="invalidField", message="qrImage must be base64.") from None
        else:
            qr_data = _text(body, "qrData") or ""
        order = app_actions.scan(
            self.sim.book,
            qr_data=qr_data,
            personal_number=_text(body, "personalNumber"),
            old_app=bool(body.get("oldApp")),
        )
        return JSONResponse(order_json(order))

    async def open_(self, request: Request) -> Response:
        body = await _json_body(request)
        order = app_actions.open_autostart(
            self.sim.book,
            auto_start_token=_text(body, "autoStartToken") or "",
            personal_number=_text(body, "personalNumber", required=False),
            redirect=_text(body, "redirect", required=False),
            old_app=bool(body.get("oldApp")),
        )
        return JSONResponse(order_json(order))

    async def phone(self, request: Request) -> Response:
        body = await _json_body(request)
        order = app_actions.take_phone_order(self.sim.book, personal_number=_text(body, "personalNumber"))
        return JSONResponse(order_json(order))

    async def confirm(self, request: Request) -> Response:
        body = await _json_body(request)
        try:
            action = app_actions.Action(str(body.get("action")))
        except ValueError:
            names = ", ".join(a.value for a in app_actions.Action)
            raise AppError(status=400, code="invalidAction", message=f"action is one of {names}.") from None
        options = app_actions.ActionOptions(
            device_ip=_text(body, "deviceIp", required=False),
            risk=_text(body, "risk", required=False) or "low",
            mrtd_passed=body.get("mrtdPassed", True) is not False,
        )
        order = app_actions.act(self.sim.book, order_ref=_text(body, "orderRef") or "", action=action, options=options)
        return JSONResponse(order_json(order))

    async def show(self, request: Request) -> Response:
        order = self.sim.book.get(request.path_params["order_ref"])
        if order is None:
            raise AppError(status=404, code="unknownOrder", message="No such order.")
        return JSONResponse(order_json(order))

    async def persons(self, request: Request) -> Response:
        return JSONResponse([{"personalNumber": p.personal_number, "name": p.name} for p in all_persons()])

    async def add_fault(self, request: Request) -> Response:
        fault, count = fault_from_json(await _json_body(request))
        self.sim.faults.add(fault, count=count)
        return JSONResponse({"pending": self.sim.faults.pending()}, status_code=201)

    async def clear_faults(self, request: Request) -> Response:
        self.sim.faults.clear()
        return JSONResponse({"pending": 0})

    async def clock(self, request: Request) -> Response:
        seconds = (await _json_body(request)).get("advanceSeconds")
        if not isinstance(seconds, int | float) or seconds < 0:
            raise AppError(status=400, code="invalidField", message="advanceSeconds must be ≥ 0.")
        self.sim.clock.advance(float(seconds))
        return JSONResponse({"now": self.sim.book.refresh().isoformat()})

    async def force_hint(self, request: Request) -> Response:
        body = await _json_body(request)
        order = self.sim.book.get(_text(body, "orderRef") or "")
        if order is None or not order.is_pending:
            raise AppError(status=404, code="unknownOrder", message="No pending order has this orderRef.")
        status, hint_code = body.get("status", "pending"), _text(body, "hintCode") or ""
        if status == "failed":
            self.sim.book.fail(order, hint_code, now=self.sim.book.refresh())
        elif status == "pending":
            order.hint_code = hint_code
        else:
            raise AppError(status=400, code="invalidField", message="status must be pending or failed.")
        return JSONResponse(order_json(order))

    async def reset(self, request: Request) -> Response:
        self.sim.reset()
        return JSONResponse({"reset": True})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "now": self.sim.clock().isoformat()})

    def routes(self) -> list[Route]:
        return [
            Route("/app/scan", _guard(self.scan), methods=["POST"]),
            Route("/app/open", _guard(self.open_), methods=["POST"]),
            Route("/app/phone", _guard(self.phone), methods=["POST"]),
            Route("/app/confirm", _guard(self.confirm), methods=["POST"]),
            Route("/app/orders/{order_ref}", _guard(self.show), methods=["GET"]),
            Route("/app/persons", _guard(self.persons), methods=["GET"]),
            Route("/control/faults", _guard(self.add_fault), methods=["POST"]),
            Route("/control/faults", _guard(self.clear_faults), methods=["DELETE"]),
            Route("/control/clock", _guard(self.clock), methods=["POST"]),
            Route("/control/hint", _guard(self.force_hint), methods=["POST"]),
            Route("/control/reset", _guard(self.reset), methods=["POST"]),
            Route("/control/health", _guard(self.health), methods=["GET"]),
        ]


def json_routes(sim: Simulator) -> list[Route]:
    """Routes of the JSON control API."""
    return ControlApi(sim).routes()


def build_app_server_app(sim: Simulator) -> Starlette:
    """The plain-HTTP app: JSON control API and the HTML virtual app."""
    return Starlette(routes=[*json_routes(sim), *html_routes(sim)])
