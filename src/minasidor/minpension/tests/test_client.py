"""Requirement: the Min Pension client gives typed values, times out, breaks the circuit and never retries.

(The personal number travels only in request bodies.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import jsonschema_rs
import pytest
import yaml
from django.conf import settings

from minasidor.minpension.client import MinPensionClient, MinPensionSettings
from minasidor.minpension.errors import MinPensionProtocolError, MinPensionRefusedError, MinPensionUnavailableError
from minasidor.minpension.types import BenefitKind, Category, Registration
from simulators.minpension import tls
from simulators.minpension.server import SimulatorThread

LENA = "198001139297"
HOLDINGS = {
    "asOf": "2026-11-28",
    "items": [
        {
            "id": "itp1-alecta",
            "category": "occupational",
            "agreement": "ITP1",
            "productType": "traditional_insurance",
            "provider": "Alecta",
            "benefitKind": "defined_contribution",
            "capitalValue": "318600.00",
            "earnedMonthlyAmount": None,
            "valueDate": "2026-10-31",
            "inPayment": False,
            "source": "provider",
            "payout": {"kind": "fixed_term", "years": 5, "fromAge": 65},
            "forecast": [{"withdrawalAge": 65, "monthlyAmount": "3447.00", "payoutStartAge": 65, "payoutEndAge": 70}],
        }
    ],
}


def _client(handler: Callable[[httpx.Request], httpx.Response], **settings: object) -> MinPensionClient:
    values: dict[str, object] = {"base_url": "http://minpension.test/api/v1/", **settings}
    return MinPensionClient(settings=MinPensionSettings(**values), transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def test_pensions_are_read_into_typed_values_and_the_number_travels_in_the_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=HOLDINGS)

    holdings = _client(handler).pensions(LENA)
    item = holdings.items[0]
    assert (item.category, item.benefit_kind, item.capital_value) == (
        Category.OCCUPATIONAL,
        BenefitKind.DEFINED_CONTRIBUTION,
        Decimal("318600.00"),
    )
    assert item.payout.years == 5
    assert not item.payout.lifelong
    assert item.forecast_at(65) is not None
    assert item.forecast_at(66) is None
    assert LENA not in str(seen[0].url)
    assert json.loads(seen[0].content) == {"personalNumber": LENA}
    assert seen[0].headers["content-type"] == "application/json"


def test_a_refusal_carries_min_pensions_code() -> None:
    client = _client(lambda _: httpx.Response(403, json={"error": "notRegistered", "message": "…"}))
    with pytest.raises(MinPensionRefusedError) as caught:
        client.pensions(LENA)
    assert caught.value.code == "notRegistered"


@pytest.mark.parametrize(
    "answer",
    [
        lambda request: httpx.Response(500, text="oops"),
        lambda request: httpx.Response(503, json={"error": "maintenance"}),
    ],
)
def test_server_errors_are_unavailability(answer: Callable[[httpx.Request], httpx.Response]) -> None:
    with pytest.raises(MinPensionUnavailableError):
        _client(answer).user_status(LENA)


def test_a_timeout_is_unavailability() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(MinPensionUnavailableError) as caught:
        _client(handler).user_status(LENA)
    assert caught.value.code.startswith("timeout")


def test_an_off_contract_body_is_a_protocol_error() -> None:
    body = {**HOLDINGS, "items": [{**HOLDINGS["items"][0], "capitalValue": "lots"}]}  # type: ignore[dict-item]
    with pytest.raises(MinPensionProtocolError):
        _client(lambda _: httpx.Response(200, json=body)).pensions(LENA)


def test_the_breaker_opens_after_repeated_outages_and_stops_calling() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500)

    client = _client(handler, breaker_fail_max=2)
    for _ in range(4):
        with pytest.raises(MinPensionUnavailableError):
            client.user_status(LENA)
    assert len(calls) == 2


def test_refusals_do_not_open_the_breaker() -> None:
    client = _client(lambda _: httpx.Response(403, json={"error": "notRegistered"}), breaker_fail_max=1)
    for _ in range(3):
        with pytest.raises(MinPensionRefusedError):
            client.pensions(LENA)


def test_a_failed_registration_is_sent_once_only() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(json.loads(request.content))
        return httpx.Response(500)

    registration = Registration(
        terms_version="2026-1",
        consent_reference="ref-1",
        consent_given_at=dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
    )
    with pytest.raises(MinPensionUnavailableError):
        _client(handler).user_register(LENA, registration)
    assert len(calls) == 1
    contract = yaml.safe_load((Path(settings.PROJECT_ROOT) / "docs" / "minpension-openapi.yaml").read_text())
    schema = {"$ref": "#/components/schemas/RegistrationRequest", "components": contract["components"]}
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(calls[0])
    assert calls[0]["acceptances"] == {
        "assignmentAgreement": True,
        "powerOfAttorney": True,
        "personalDataConsent": True,
    }


def test_https_needs_the_certificates_of_mutual_tls() -> None:
    with pytest.raises(ValueError, match="certificate"):
        MinPensionClient(settings=MinPensionSettings(base_url="https://minpension.example/api/v1/"))


def test_mutual_tls_with_the_test_server(tmp_path: Path) -> None:
    files = tls.generate(tmp_path, now=dt.datetime.now(dt.UTC))
    with SimulatorThread(tls=files) as server:
        settings = MinPensionSettings(
            base_url=server.api_base_url, cert_file=files.client, key_file=files.client_key, ca_file=files.root
        )
        client = MinPensionClient(settings=settings)
        assert client.user_status(LENA).may_fetch
        client.close()
        stranger = tls.generate(tmp_path / "other", now=dt.datetime.now(dt.UTC))
        unknown = dataclasses.replace(settings, cert_file=stranger.client, key_file=stranger.client_key)
        with pytest.raises(MinPensionUnavailableError):
            MinPensionClient(settings=unknown).user_status(LENA)
