"""Typed requests and responses of the BankID RP API v6.0.

Requests take plain text for ``user_visible_data`` and bytes for ``user_non_visible_data``; the client
encodes them as base64. Fields left as ``None`` are not sent. Personal numbers are kept out of reprs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

CallInitiator = Literal["user", "RP"]
RiskLevel = Literal["low", "moderate", "high"]
UserVisibleDataFormat = Literal["simpleMarkdownV1", "plaintext"]


class CollectStatus(StrEnum):
    PENDING = "pending"
    FAILED = "failed"
    COMPLETE = "complete"


class HintCode(StrEnum):
    """Hint codes known today; ``CollectResponse.hint_code`` stays a plain string for unknown ones."""

    OUTSTANDING_TRANSACTION = "outstandingTransaction"
    NO_CLIENT = "noClient"
    STARTED = "started"
    USER_MRTD = "userMrtd"
    USER_CALL_CONFIRM = "userCallConfirm"
    USER_SIGN = "userSign"
    EXPIRED_TRANSACTION = "expiredTransaction"
    CERTIFICATE_ERR = "certificateErr"
    USER_CANCEL = "userCancel"
    CANCELLED = "cancelled"
    START_FAILED = "startFailed"
    USER_DECLINED_CALL = "userDeclinedCall"
    NOT_SUPPORTED_BY_USER_APP = "notSupportedByUserApp"
    TRANSACTION_RISK_BLOCKED = "transactionRiskBlocked"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """``requirement`` of auth and sign (phone orders use ``pin_code`` and ``certificate_policies``)."""

    pin_code: bool | None = None
    mrtd: bool | None = None
    card_reader: Literal["class1", "class2"] | None = None
    certificate_policies: tuple[str, ...] | None = None
    personal_number: str | None = field(default=None, repr=False)
    risk: Literal["low", "moderate"] | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "pinCode": self.pin_code,
                "mrtd": self.mrtd,
                "cardReader": self.card_reader,
                "certificatePolicies": list(self.certificate_policies)
                if self.certificate_policies is not None
                else None,
                "personalNumber": self.personal_number,
                "risk": self.risk,
            }
        )


@dataclass(frozen=True, kw_only=True)
class WebDevice:
    """``web``: the browser the order was started from."""

    referring_domain: str | None = None
    user_agent: str | None = None
    device_identifier: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "referringDomain": self.referring_domain,
                "userAgent": self.user_agent[:256] if self.user_agent else None,
                "deviceIdentifier": self.device_identifier,
            }
        )


@dataclass(frozen=True, kw_only=True)
class AppDevice:
    """``app``: the native app the order was started from."""

    app_identifier: str | None = None
    device_os: str | None = None
    device_model_name: str | None = None
    device_identifier: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "appIdentifier": self.app_identifier,
                "deviceOS": self.device_os,
                "deviceModelName": self.device_model_name,
                "deviceIdentifier": self.device_identifier,
            }
        )


@dataclass(frozen=True, kw_only=True)
class AuthRequest:
    """``auth``: authenticate the user of the browser or app at ``end_user_ip``."""

    end_user_ip: str
    requirement: Requirement | None = None
    user_visible_data: str | None = None
    user_visible_data_format: UserVisibleDataFormat | None = None
    user_non_visible_data: bytes | None = None
    return_url: str | None = None
    return_risk: bool | None = None
    web: WebDevice | None = None
    app: AppDevice | None = None

    def to_json(self) -> dict[str, Any]:
        if self.web is not None and self.app is not None:
            raise ValueError("Send web or app device data, not both")
        return _drop_none(
            {
                "endUserIp": self.end_user_ip,
                "requirement": self.requirement.to_json() if self.requirement else None,
                "userVisibleData": _b64(self.user_visible_data.encode("utf-8"))
                if self.user_visible_data is not None
                else None,
                "userVisibleDataFormat": self.user_visible_data_format,
                "userNonVisibleData": _b64(self.user_non_visible_data)
                if self.user_non_visible_data is not None
                else None,
                "returnUrl": self.return_url,
                "returnRisk": self.return_risk,
                "web": self.web.to_json() if self.web else None,
                "app": self.app.to_json() if self.app else None,
            }
        )


@dataclass(frozen=True, kw_only=True)
class SignRequest(AuthRequest):
    """``sign``: like auth, but ``user_visible_data`` (what is signed) is required."""

    user_visible_data: str


@dataclass(frozen=True, kw_only=True)
class PhoneAuthRequest:
    """``phone/auth``: authenticate the person you are in a phone call with."""

    personal_number: str = field(repr=False)
    call_initiator: CallInitiator
    requirement: Requirement | None = None
    user_visible_data: str | None = None
    user_visible_data_format: UserVisibleDataFormat | None = None
    user_non_visible_data: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "personalNumber": self.personal_number,
                "callInitiator": self.call_initiator,
                "requirement": self.requirement.to_json() if self.requirement else None,
                "userVisibleData": _b64(self.user_visible_data.encode("utf-8"))
                if self.user_visible_data is not None
                else None,
                "userVisibleDataFormat": self.user_visible_data_format,
                "userNonVisibleData": _b64(self.user_non_visible_data)
                if self.user_non_visible_data is not None
                else None,
            }
        )


@dataclass(frozen=True, kw_only=True)
class PhoneSignRequest(PhoneAuthRequest):
    """``phone/sign``: ``user_visible_data`` is required."""

    user_visible_data: str


@dataclass(frozen=True, kw_only=True)
class OrderResponse:
    """The answer to auth and sign. ``qr_start_secret`` must never leave the server."""

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class PhoneOrderResponse:
    """The answer to phone/auth and phone/sign."""

    order_ref: str


@dataclass(frozen=True, kw_only=True)
class User:
    personal_number: str = field(repr=False)
    name: str
    given_name: str
    surname: str


@dataclass(frozen=True, kw_only=True)
class Device:
    ip_address: str
    uhi: str | None = None


@dataclass(frozen=True, kw_only=True)
class CompletionData:
    """What a completed order returns; keep ``signature`` and ``ocsp_response`` for audit."""

    user: User
    device: Device
    bank_id_issue_date: str
    signature: str = field(repr=False)
    ocsp_response: str = field(repr=False)
    step_up_mrtd: bool | None = None
    risk: RiskLevel | str | None = None


@dataclass(frozen=True, kw_only=True)
class CollectResponse:
    """The state of an order: ``hint_code`` when pending or failed, ``completion_data`` when complete."""

    order_ref: str
    status: CollectStatus
    hint_code: str | None = None
    completion_data: CompletionData | None = None
