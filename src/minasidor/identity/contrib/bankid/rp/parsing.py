"""Reading BankID's JSON answers into the typed models; anything malformed is a protocol error."""

from __future__ import annotations

import json
from typing import Any

from minasidor.identity.contrib.bankid.rp.errors import BankIdProtocolError
from minasidor.identity.contrib.bankid.rp.types import (
    CollectResponse,
    CollectStatus,
    CompletionData,
    Device,
    OrderResponse,
    PhoneOrderResponse,
    User,
)


def json_object(content: bytes) -> dict[str, Any]:
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise BankIdProtocolError("answer is not JSON") from None
    if not isinstance(body, dict):
        raise BankIdProtocolError("answer is not a JSON object")
    return body


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise BankIdProtocolError(f"missing {name}")
    return value


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) and value else None


def _object(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        raise BankIdProtocolError(f"missing {name}")
    return value


def order_response(body: dict[str, Any]) -> OrderResponse:
    return OrderResponse(
        order_ref=_text(body, "orderRef"),
        auto_start_token=_text(body, "autoStartToken"),
        qr_start_token=_text(body, "qrStartToken"),
        qr_start_secret=_text(body, "qrStartSecret"),
    )


def phone_order_response(body: dict[str, Any]) -> PhoneOrderResponse:
    return PhoneOrderResponse(order_ref=_text(body, "orderRef"))


def completion_data(data: dict[str, Any]) -> CompletionData:
    user = _object(data, "user")
    device = _object(data, "device")
    step_up = data.get("stepUp")
    mrtd = step_up.get("mrtd") if isinstance(step_up, dict) else None
    return CompletionData(
        user=User(
            personal_number=_text(user, "personalNumber"),
            name=_text(user, "name"),
            given_name=_text(user, "givenName"),
            surname=_text(user, "surname"),
        ),
        device=Device(ip_address=_text(device, "ipAddress"), uhi=_optional_text(device, "uhi")),
        bank_id_issue_date=_text(data, "bankIdIssueDate"),
        signature=_text(data, "signature"),
        ocsp_response=_text(data, "ocspResponse"),
        step_up_mrtd=mrtd if isinstance(mrtd, bool) else None,
        risk=_optional_text(data, "risk"),
    )


def collect_response(body: dict[str, Any]) -> CollectResponse:
    try:
        status = CollectStatus(str(body.get("status")))
    except ValueError:
        raise BankIdProtocolError("unknown collect status") from None
    completion = None
    if status is CollectStatus.COMPLETE:
        completion = completion_data(_object(body, "completionData"))
    return CollectResponse(
        order_ref=_text(body, "orderRef"),
        status=status,
        hint_code=_optional_text(body, "hintCode") if status is not CollectStatus.COMPLETE else None,
        completion_data=completion,
    )
