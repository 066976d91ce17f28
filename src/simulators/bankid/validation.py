"""Validation of RP API request bodies, with BankID's ``invalidParameters`` details.

Known fields are checked strictly; unknown fields are ignored, as a forward-compatible server would
(docs/decisions/0024).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from simulators.bankid.errors import invalid_parameters
from simulators.bankid.orders import OrderKind, OrderRequest
from simulators.bankid.persons import luhn_valid

USER_VISIBLE_DATA_MAX = 1_500
USER_NON_VISIBLE_DATA_MAX = 200_000  # BankID's limit is unpublished; generous on purpose
RETURN_URL_MAX = 512
FORMATS = ("simpleMarkdownV1", "plaintext")
CALL_INITIATORS = ("user", "RP")
CARD_READERS = ("class1", "class2")
RISKS = ("low", "moderate")
_PERSONAL_NUMBER = re.compile(r"^(18|19|20)\d{2}(0[1-9]|1[0-2])\d{6}$")
_OID = re.compile(r"^\d+(\.\d+)*(\.\*)?$")
_DOMAIN = re.compile(r"^[0-9a-z.-]{3,253}$")


def _optional(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is not None and not isinstance(value, kind):
        raise invalid_parameters(f"Invalid {name}")
    return value


def _string(body: dict[str, Any], name: str, *, low: int, high: int, required: bool = False) -> str | None:
    value = _optional(body, name, str)
    if value is None:
        if required:
            raise invalid_parameters(f"Missing {name}")
        return None
    if not low <= len(value) <= high:
        raise invalid_parameters(f"Invalid {name}")
    return str(value)


def _base64(body: dict[str, Any], name: str, *, high: int, required: bool) -> str | None:
    value = _string(body, name, low=1, high=high, required=required)
    if value is None:
        return None
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_parameters(f"Invalid {name}") from None
    return value


def _personal_number(value: object, *, name: str, check_luhn: bool) -> str:
    if not isinstance(value, str) or not _PERSONAL_NUMBER.match(value):
        raise invalid_parameters(f"Invalid {name}")
    if check_luhn and not luhn_valid(value):
        raise invalid_parameters(f"Invalid {name}")
    return value


def _requirement(body: dict[str, Any], *, check_luhn: bool) -> dict[str, Any]:
    requirement = _optional(body, "requirement", dict) or {}
    for flag in ("pinCode", "mrtd"):
        _optional(requirement, flag, bool)
    card_reader = requirement.get("cardReader")
    if card_reader is not None and card_reader not in CARD_READERS:
        raise invalid_parameters("Invalid cardReader")
    policies = requirement.get("certificatePolicies")
    if policies is not None and (
        not isinstance(policies, list)
        or not all(isinstance(p, str) and _OID.match(p) for p in policies)
        or sum(str(p).endswith("*") for p in policies) > 1
    ):
        raise invalid_parameters("Invalid certificatePolicies")
    if "personalNumber" in requirement:
        _personal_number(requirement["personalNumber"], name="requirement.personalNumber", check_luhn=check_luhn)
    risk = requirement.get("risk")
    if risk is not None and (not isinstance(risk, str) or risk.lower() not in RISKS):
        raise invalid_parameters("Invalid risk")
    return dict(requirement)


def _visible_data(body: dict[str, Any], *, required: bool) -> tuple[str | None, str | None, str | None]:
    visible = _base64(body, "userVisibleData", high=USER_VISIBLE_DATA_MAX, required=required)
    data_format = _optional(body, "userVisibleDataFormat", str)
    if data_format is not None and data_format not in FORMATS:
        raise invalid_parameters("Invalid userVisibleDataFormat")
    non_visible = _base64(body, "userNonVisibleData", high=USER_NON_VISIBLE_DATA_MAX, required=False)
    return visible, data_format, non_visible


def _device_data(body: dict[str, Any]) -> None:
    web = _optional(body, "web", dict)
    app = _optional(body, "app", dict)
    if web is not None and app is not None:
        raise invalid_parameters("Only one of web and app may be given")
    if web is not None:
        if not web:
            raise invalid_parameters("Invalid web")
        domain = _optional(web, "referringDomain", str)
        if domain is not None and not _DOMAIN.match(domain):
            raise invalid_parameters("Invalid referringDomain")
        _string(web, "userAgent", low=1, high=256)
        _string(web, "deviceIdentifier", low=1, high=64)
    if app is not None:
        if not app:
            raise invalid_parameters("Invalid app")
        for name in ("appIdentifier", "deviceOS", "deviceModelName"):
            _string(app, name, low=1, high=256)
        _string(app, "deviceIdentifier", low=1, high=64)


def _return_url(body: dict[str, Any]) -> str | None:
    value = _string(body, "returnUrl", low=1, high=RETURN_URL_MAX)
    if value is not None:
        parts = urlsplit(value)
        if not parts.scheme or not parts.netloc:
            raise invalid_parameters("Invalid returnUrl")
    return value


def order_request(
    kind: OrderKind, body: dict[str, Any], *, check_luhn: bool, rp_subject: str, rp_display_name: str
) -> OrderRequest:
    """Validate the body of ``auth``, ``sign``, ``phone/auth`` or ``phone/sign``."""
    requirement = _requirement(body, check_luhn=check_luhn)
    visible, data_format, non_visible = _visible_data(body, required=kind.is_sign)
    common: dict[str, Any] = {
        "kind": kind,
        "requirement": requirement,
        "user_visible_data": visible,
        "user_visible_data_format": data_format,
        "user_non_visible_data": non_visible,
        "rp_subject": rp_subject,
        "rp_display_name": rp_display_name,
    }
    if kind.is_phone:
        number = _personal_number(body.get("personalNumber"), name="personalNumber", check_luhn=check_luhn)
        initiator = body.get("callInitiator")
        if initiator not in CALL_INITIATORS:
            raise invalid_parameters("Invalid callInitiator")
        return OrderRequest(personal_number=number, call_initiator=str(initiator), **common)
    end_user_ip = body.get("endUserIp")
    try:
        ipaddress.ip_address(end_user_ip if isinstance(end_user_ip, str) else "")
    except ValueError:
        raise invalid_parameters("Invalid endUserIp") from None
    _device_data(body)
    return_risk = _optional(body, "returnRisk", bool)
    return OrderRequest(
        end_user_ip=end_user_ip,
        personal_number=requirement.get("personalNumber"),
        return_url=_return_url(body),
        return_risk=bool(return_risk),
        **common,
    )


def order_ref(body: dict[str, Any]) -> str:
    """Validate the body of ``collect`` or ``cancel``."""
    value = body.get("orderRef")
    if not isinstance(value, str):
        raise invalid_parameters("Invalid orderRef")
    try:
        uuid.UUID(value)
    except ValueError:
        raise invalid_parameters("Invalid orderRef") from None
    return value
