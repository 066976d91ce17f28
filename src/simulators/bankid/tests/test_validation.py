"""Request validation (§6.3): every malformed field gives 400 invalidParameters; valid bodies pass."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from simulators.bankid import validation
from simulators.bankid.errors import ApiError
from simulators.bankid.orders import OrderKind

VISIBLE = base64.b64encode("Logga in på Mina sidor".encode()).decode()


def validate(kind: OrderKind, body: dict[str, Any], *, check_luhn: bool = False) -> Any:
    return validation.order_request(kind, body, check_luhn=check_luhn, rp_subject="CN=RP", rp_display_name="RP")


@pytest.mark.parametrize(
    "body",
    [
        {"endUserIp": "127.0.0.1"},
        {"endUserIp": "2001:db8::1", "requirement": {}},
        {
            "endUserIp": "192.0.2.1",
            "requirement": {
                "pinCode": True,
                "mrtd": False,
                "cardReader": "class1",
                "certificatePolicies": ["1.2.3.4.5", "1.2.752.78.*"],
                "personalNumber": "191212121212",
                "risk": "low",
            },
            "userVisibleData": VISIBLE,
            "userVisibleDataFormat": "simpleMarkdownV1",
            "userNonVisibleData": base64.b64encode(b"\x00\x01").decode(),
            "returnUrl": "https://minasidor.example/bankid/retur?nonce=abc",
            "returnRisk": True,
            "web": {"referringDomain": "minasidor.example", "userAgent": "Firefox", "deviceIdentifier": "d1"},
        },
        {"endUserIp": "127.0.0.1", "app": {"appIdentifier": "se.example.app"}, "futureField": 1},
        {"endUserIp": "127.0.0.1", "requirement": {"risk": "LOW"}},
    ],
)
def test_valid_auth_bodies_pass(body: dict[str, Any]) -> None:
    request = validate(OrderKind.AUTH, body)
    assert request.end_user_ip == body["endUserIp"]


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({}, "Invalid endUserIp"),
        ({"endUserIp": "999.1.1.1"}, "Invalid endUserIp"),
        ({"endUserIp": 127}, "Invalid endUserIp"),
        ({"endUserIp": "127.0.0.1", "requirement": []}, "Invalid requirement"),
        ({"endUserIp": "127.0.0.1", "requirement": {"pinCode": "yes"}}, "Invalid pinCode"),
        ({"endUserIp": "127.0.0.1", "requirement": {"cardReader": "class3"}}, "Invalid cardReader"),
        (
            {"endUserIp": "127.0.0.1", "requirement": {"certificatePolicies": ["1.2.*", "1.3.*"]}},
            "Invalid certificatePolicies",
        ),
        (
            {"endUserIp": "127.0.0.1", "requirement": {"personalNumber": "1212121212"}},
            "Invalid requirement.personalNumber",
        ),
        ({"endUserIp": "127.0.0.1", "requirement": {"risk": "high"}}, "Invalid risk"),
        ({"endUserIp": "127.0.0.1", "userVisibleData": "not base64!"}, "Invalid userVisibleData"),
        ({"endUserIp": "127.0.0.1", "userVisibleData": "QQ==" * 376}, "Invalid userVisibleData"),
        ({"endUserIp": "127.0.0.1", "userVisibleDataFormat": "html"}, "Invalid userVisibleDataFormat"),
        ({"endUserIp": "127.0.0.1", "returnUrl": "x" * 513}, "Invalid returnUrl"),
        ({"endUserIp": "127.0.0.1", "returnUrl": "/relative"}, "Invalid returnUrl"),
        ({"endUserIp": "127.0.0.1", "returnRisk": "true"}, "Invalid returnRisk"),
        ({"endUserIp": "127.0.0.1", "web": {}, "app": {}}, "Only one of web and app may be given"),
        ({"endUserIp": "127.0.0.1", "web": {}}, "Invalid web"),
        ({"endUserIp": "127.0.0.1", "web": {"referringDomain": "Ex_ample.se"}}, "Invalid referringDomain"),
        ({"endUserIp": "127.0.0.1", "web": {"deviceIdentifier": "x" * 65}}, "Invalid deviceIdentifier"),
    ],
)
def test_invalid_auth_bodies_are_invalid_parameters(body: dict[str, Any], details: str) -> None:
    with pytest.raises(ApiError) as caught:
        validate(OrderKind.AUTH, body)
    assert (caught.value.status, caught.value.error_code, caught.value.details) == (
        400,
        "invalidParameters",
        details,
    )


def test_sign_requires_user_visible_data() -> None:
    with pytest.raises(ApiError, match="Missing userVisibleData"):
        validate(OrderKind.SIGN, {"endUserIp": "127.0.0.1"})
    assert validate(OrderKind.SIGN, {"endUserIp": "127.0.0.1", "userVisibleData": VISIBLE}).kind is OrderKind.SIGN


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"personalNumber": "191212121212", "callInitiator": "user"}, True),
        ({"personalNumber": "191212121212", "callInitiator": "RP"}, True),
        ({"personalNumber": "191212121212", "callInitiator": "rp"}, False),
        ({"personalNumber": "191212121212"}, False),
        ({"personalNumber": "19121212-1212", "callInitiator": "user"}, False),
        ({"callInitiator": "user"}, False),
    ],
)
def test_phone_auth_fields(body: dict[str, Any], ok: bool) -> None:
    if ok:
        assert validate(OrderKind.PHONE_AUTH, body).call_initiator == body["callInitiator"]
    else:
        with pytest.raises(ApiError, match="invalidParameters"):
            validate(OrderKind.PHONE_AUTH, body)


def test_luhn_check_is_configurable() -> None:
    body = {"personalNumber": "191212121213", "callInitiator": "user"}
    assert validate(OrderKind.PHONE_AUTH, body).personal_number == "191212121213"
    with pytest.raises(ApiError, match="Invalid personalNumber"):
        validate(OrderKind.PHONE_AUTH, body, check_luhn=True)


@pytest.mark.parametrize("value", [None, 12, "not-a-uuid", ""])
def test_order_ref_must_be_a_uuid(value: object) -> None:
    with pytest.raises(ApiError, match="Invalid orderRef"):
        validation.order_ref({"orderRef": value})
