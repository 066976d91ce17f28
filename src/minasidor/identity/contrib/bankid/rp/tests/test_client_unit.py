"""The client against recorded responses: exact requests, error mapping, retries and the circuit breaker."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pybreaker
import pytest

from minasidor.identity.contrib.bankid.rp.client import BankIdClient, BankIdSettings
from minasidor.identity.contrib.bankid.rp.errors import (
    BankIdApiError,
    BankIdCircuitOpenError,
    BankIdProtocolError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.rp.messages import Rfa
from minasidor.identity.contrib.bankid.rp.types import (
    AppDevice,
    AuthRequest,
    CollectStatus,
    PhoneAuthRequest,
    PhoneSignRequest,
    Requirement,
    SignRequest,
    WebDevice,
)

pytestmark = pytest.mark.anyio

ORDER = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "autoStartToken": "7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6",
    "qrStartToken": "67df3917-fa0d-44e5-b327-edcc928297f8",
    "qrStartSecret": "d28db9a7-4cde-429e-a983-359be676944c",
}
COMPLETE = {
    "orderRef": ORDER["orderRef"],
    "status": "complete",
    "completionData": {
        "user": {
            "personalNumber": "191212121212",
            "name": "Tolvan Tolvansson",
            "givenName": "Tolvan",
            "surname": "Tolvansson",
        },
        "device": {"ipAddress": "192.0.2.1", "uhi": "OZvYM9VvyiAmG7NA5jU5zqGcVpo="},
        "bankIdIssueDate": "2020-02-01",
        "stepUp": {"mrtd": True},
        "signature": "PD94bWwgdmVyc2lvbj0iMS4wIj8+",
        "ocspResponse": "MIIHfgoBAKCCB3cw",
        "risk": "low",
    },
}

Responder = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A fake BankID answering from a list of responses and keeping the requests."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def settings(**overrides: Any) -> BankIdSettings:
    base: dict[str, Any] = {
        "base_url": "https://bankid.test/rp/v6.0",
        "cert_file": Path("unused"),
        "key_file": Path("unused"),
        "ca_file": Path("unused"),
        **overrides,
    }
    return BankIdSettings(**base)


def make_client(recorder: Responder, sleep: Sleeps | None = None, **overrides: Any) -> BankIdClient:
    return BankIdClient(
        settings=settings(**overrides), transport=httpx.MockTransport(recorder), sleep=sleep or Sleeps()
    )


def error(status: int, code: str | None = None, details: str = "x") -> httpx.Response:
    if code is None:
        return httpx.Response(status, text="<html>error</html>")
    return httpx.Response(status, json={"errorCode": code, "details": details})


async def test_auth_sends_exact_json_to_the_v6_path() -> None:
    recorder = Recorder(httpx.Response(200, json=ORDER))
    async with make_client(recorder) as client:
        order = await client.auth(
            AuthRequest(
                end_user_ip="192.0.2.1",
                requirement=Requirement(personal_number=None, risk="low", pin_code=True),
                user_visible_data="Logga in på Mina sidor",
                user_visible_data_format="simpleMarkdownV1",
                return_url="https://minasidor.example/retur?nonce=n1",
                return_risk=True,
                web=WebDevice(referring_domain="minasidor.example", device_identifier="dev-1"),
            )
        )
    request = recorder.requests[0]
    assert request.method == "POST"
    assert str(request.url) == "https://bankid.test/rp/v6.0/auth"
    assert request.headers["Content-Type"] == "application/json"
    assert recorder.body() == {
        "endUserIp": "192.0.2.1",
        "requirement": {"pinCode": True, "risk": "low"},
        "userVisibleData": "TG9nZ2EgaW4gcMOlIE1pbmEgc2lkb3I=",
        "userVisibleDataFormat": "simpleMarkdownV1",
        "returnUrl": "https://minasidor.example/retur?nonce=n1",
        "returnRisk": True,
        "web": {"referringDomain": "minasidor.example", "deviceIdentifier": "dev-1"},
    }
    assert order.order_ref == ORDER["orderRef"]
    assert order.qr_start_secret == ORDER["qrStartSecret"]
    assert ORDER["qrStartSecret"] not in repr(order)


async def test_sign_and_phone_paths_and_bodies() -> None:
    recorder = Recorder(
        httpx.Response(200, json=ORDER),
        httpx.Response(200, json={"orderRef": "o2"}),
        httpx.Response(200, json={"orderRef": "o3"}),
    )
    async with make_client(recorder) as client:
        await client.sign(
            SignRequest(end_user_ip="::1", user_visible_data="Jag godkänner", user_non_visible_data=b"\x01")
        )
        phone = await client.phone_auth(PhoneAuthRequest(personal_number="191212121212", call_initiator="RP"))
        await client.phone_sign(
            PhoneSignRequest(personal_number="191212121212", call_initiator="user", user_visible_data="A")
        )
    assert [r.url.path for r in recorder.requests] == ["/rp/v6.0/sign", "/rp/v6.0/phone/auth", "/rp/v6.0/phone/sign"]
    assert recorder.body(0) == {
        "endUserIp": "::1",
        "userVisibleData": "SmFnIGdvZGvDpG5uZXI=",
        "userNonVisibleData": "AQ==",
    }
    assert recorder.body(1) == {"personalNumber": "191212121212", "callInitiator": "RP"}
    assert recorder.body(2)["userVisibleData"] == "QQ=="
    assert phone.order_ref == "o2"
    assert "191212121212" not in repr(PhoneAuthRequest(personal_number="191212121212", call_initiator="RP"))


async def test_collect_complete_is_typed() -> None:
    recorder = Recorder(httpx.Response(200, json=COMPLETE))
    async with make_client(recorder) as client:
        result = await client.collect(ORDER["orderRef"])
    assert recorder.body() == {"orderRef": ORDER["orderRef"]}
    assert result.status is CollectStatus.COMPLETE
    assert result.hint_code is None
    data = result.completion_data
    assert data is not None
    assert (data.user.personal_number, data.user.given_name, data.device.ip_address) == (
        "191212121212",
        "Tolvan",
        "192.0.2.1",
    )
    assert (data.step_up_mrtd, data.risk, data.bank_id_issue_date) == (True, "low", "2020-02-01")
    assert "191212121212" not in repr(result)


async def test_collect_unknown_hint_code_is_kept() -> None:
    recorder = Recorder(httpx.Response(200, json={"orderRef": "o", "status": "pending", "hintCode": "userFace"}))
    async with make_client(recorder) as client:
        result = await client.collect("o")
    assert (result.status, result.hint_code) == (CollectStatus.PENDING, "userFace")


async def test_cancel_posts_order_ref() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    async with make_client(recorder) as client:
        await client.cancel("o1")
    assert (recorder.requests[0].url.path, recorder.body()) == ("/rp/v6.0/cancel", {"orderRef": "o1"})


@pytest.mark.parametrize(
    ("response", "code", "rfa"),
    [
        (error(400, "alreadyInProgress"), "alreadyInProgress", Rfa.RFA4),
        (error(400, "invalidParameters"), "invalidParameters", Rfa.RFA22),
        (error(400, "somethingNew"), "somethingNew", Rfa.RFA22),
        (error(401, "unauthorized"), "unauthorized", Rfa.RFA22),
        (error(404, "notFound"), "notFound", Rfa.RFA22),
        (error(405, "methodNotAllowed"), "methodNotAllowed", Rfa.RFA22),
        (error(408, "requestTimeout"), "requestTimeout", Rfa.RFA5),
        (error(415, "unsupportedMediaType"), "unsupportedMediaType", Rfa.RFA22),
        (error(429), "tooManyRequests", Rfa.RFA5),
        (error(500, "internalError"), "internalError", Rfa.RFA5),
        (error(500), "internalError", Rfa.RFA5),
        (error(502), "unknownError", Rfa.RFA22),
    ],
)
async def test_errors_are_mapped_and_not_retried(response: httpx.Response, code: str, rfa: Rfa) -> None:
    recorder = Recorder(response, httpx.Response(200, json=ORDER))
    sleeps = Sleeps()
    async with make_client(recorder, sleeps) as client:
        with pytest.raises(BankIdApiError) as caught:
            await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    assert (caught.value.error_code, caught.value.rfa, caught.value.status_code) == (code, rfa, response.status_code)
    assert len(recorder.requests) == 1
    assert sleeps.calls == []


async def test_maintenance_is_retried_silently() -> None:
    recorder = Recorder(error(503, "maintenance"), error(503, "maintenance"), httpx.Response(200, json=ORDER))
    sleeps = Sleeps()
    async with make_client(recorder, sleeps, maintenance_retries=2, maintenance_retry_delay_seconds=0.5) as client:
        order = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    assert order.order_ref == ORDER["orderRef"]
    assert len(recorder.requests) == 3
    assert sleeps.calls == [0.5, 1.0]


async def test_repeated_maintenance_is_shown_as_rfa5() -> None:
    recorder = Recorder(*(error(503, "maintenance") for _ in range(3)))
    async with make_client(recorder, maintenance_retries=2) as client:
        with pytest.raises(BankIdApiError) as caught:
            await client.collect("o")
    assert (caught.value.error_code, caught.value.rfa) == ("maintenance", Rfa.RFA5)
    assert len(recorder.requests) == 3


async def test_transport_failure_and_timeout() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for responder in (refuse, hang):
        async with make_client(responder) as client:
            with pytest.raises(BankIdTransportError) as caught:
                await client.collect("o")
        assert caught.value.rfa is Rfa.RFA5


@pytest.mark.parametrize(
    ("endpoint", "response"),
    [
        ("collect", httpx.Response(200, text="not json")),
        ("collect", httpx.Response(200, json=[])),
        ("auth", httpx.Response(200, json={"orderRef": "o"})),
        ("collect", httpx.Response(200, json={"orderRef": "o", "status": "weird"})),
        ("collect", httpx.Response(200, json={"orderRef": "o", "status": "complete"})),
    ],
)
async def test_unreadable_success_is_a_protocol_error(endpoint: str, response: httpx.Response) -> None:
    async with make_client(Recorder(response)) as client:
        call = client.auth(AuthRequest(end_user_ip="127.0.0.1")) if endpoint == "auth" else client.collect("o")
        with pytest.raises(BankIdProtocolError) as caught:
            await call
    assert caught.value.rfa is Rfa.RFA22


async def test_circuit_opens_after_outages_and_stops_calling() -> None:
    recorder = Recorder(*(error(500, "internalError") for _ in range(3)))
    breaker = pybreaker.CircuitBreaker(fail_max=3, reset_timeout=60, throw_new_error_on_trip=False)
    client = BankIdClient(settings=settings(), transport=httpx.MockTransport(recorder), breaker=breaker)
    async with client:
        for _ in range(3):
            with pytest.raises(BankIdApiError):
                await client.collect("o")
        with pytest.raises(BankIdCircuitOpenError) as caught:
            await client.collect("o")
    assert len(recorder.requests) == 3
    assert caught.value.rfa is Rfa.RFA5


async def test_business_errors_do_not_open_the_circuit() -> None:
    recorder = Recorder(*(error(400, "invalidParameters") for _ in range(6)))
    async with make_client(recorder, breaker_fail_max=2) as client:
        for _ in range(6):
            with pytest.raises(BankIdApiError):
                await client.collect("o")
    assert len(recorder.requests) == 6


def test_web_and_app_together_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        AuthRequest(end_user_ip="127.0.0.1", web=WebDevice(user_agent="x"), app=AppDevice(device_os="iOS")).to_json()
