"""The RP API v6.0 over HTTPS with mutual TLS: routing, status codes, validation, orders, faults."""

from __future__ import annotations

import json
from typing import Any

import anyio
from cryptography import x509
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.bankid import validation
from simulators.bankid.ca import NAME_OID
from simulators.bankid.errors import ApiError, invalid_parameters
from simulators.bankid.faults import Fault
from simulators.bankid.orders import OrderKind
from simulators.bankid.peer_cert import PEER_CERT_KEY
from simulators.bankid.simulator import Simulator

API_PREFIX = "/rp/v6.0/"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
START_KINDS = {kind.value: kind for kind in OrderKind}
ENDPOINTS = (*START_KINDS, "collect", "cancel")


def _error(error: ApiError) -> JSONResponse:
    return JSONResponse({"errorCode": error.error_code, "details": error.details}, status_code=error.status)


def _fault_response(fault: Fault) -> Response:
    headers = {}
    if fault.status == 429:
        headers = {"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
    status = fault.status or 500
    if fault.raw_body is not None:
        return Response(fault.raw_body, status_code=status, media_type="text/plain", headers=headers)
    return JSONResponse(fault.body(), status_code=status, headers=headers)


def _rp_identity(der: bytes) -> tuple[str, str]:
    cert = x509.load_der_x509_certificate(der)
    names = cert.subject.get_attributes_for_oid(NAME_OID) or cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    display = str(names[0].value) if names else ""
    return cert.subject.rfc4514_string(), display


def build_rp_app(sim: Simulator) -> Starlette:
    """The ASGI app of the RP API (serve it with ``PeerCertH11Protocol`` and client certificates)."""

    async def endpoint(request: Request) -> Response:
        try:
            peer, name = _route(request)
            fault = sim.faults.take(name)
            if fault is not None:
                if fault.delay_seconds:
                    await anyio.sleep(fault.delay_seconds)
                if fault.status is not None:
                    return _fault_response(fault)
            if request.headers.get("content-type") != "application/json":
                raise ApiError(
                    status=415,
                    error_code="unsupportedMediaType",
                    details="Content-Type must be exactly application/json",
                )
            body = _json_object(await request.body())
            return JSONResponse(_dispatch(sim, name, body, peer=peer))
        except ApiError as error:
            return _error(error)

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=ALL_METHODS)])


def _route(request: Request) -> tuple[bytes, str]:
    """The client certificate and endpoint name, or 401, 404 or 405."""
    peer = request.scope.get("state", {}).get(PEER_CERT_KEY)
    if not peer:
        raise ApiError(status=401, error_code="unauthorized", details="Unauthorized")
    path = request.url.path
    name = path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX) else ""
    if name not in ENDPOINTS:
        raise ApiError(status=404, error_code="notFound", details="Not found")
    if request.method != "POST":
        raise ApiError(status=405, error_code="methodNotAllowed", details="Only POST is allowed")
    return bytes(peer), name


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid_parameters("Invalid JSON") from None
    if not isinstance(body, dict):
        raise invalid_parameters("The body must be a JSON object")
    return body


def _dispatch(sim: Simulator, name: str, body: dict[str, Any], *, peer: bytes) -> dict[str, Any]:
    if name == "collect":
        return sim.book.collect(validation.order_ref(body))
    if name == "cancel":
        sim.book.cancel(validation.order_ref(body))
        return {}
    subject, display = _rp_identity(peer)
    kind = START_KINDS[name]
    request = validation.order_request(
        kind, body, check_luhn=sim.check_luhn, rp_subject=subject, rp_display_name=display
    )
    order = sim.book.start(request)
    if kind.is_phone:
        return {"orderRef": order.order_ref}
    return {
        "orderRef": order.order_ref,
        "autoStartToken": order.auto_start_token,
        "qrStartToken": order.qr_start_token,
        "qrStartSecret": order.qr_start_secret,
    }
