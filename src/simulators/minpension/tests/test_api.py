"""Requirement: the Min Pension test server follows the contract, holds the demo persons' data and injects faults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from simulators.minpension.data import CURRENT_TERMS_VERSION
from simulators.minpension.server import SimulatorThread

LENA = "198001139297"
JOHAN = "198501139995"
KARIN = "196201082697"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorThread]:
    with SimulatorThread(today=lambda: TODAY) as thread:
        yield thread


@pytest.fixture
def sim(server: SimulatorThread) -> SimulatorThread:
    server.control("reset")
    return server


def _post(sim: SimulatorThread, path: str, body: object, *, timeout: float = 5) -> httpx.Response:
    return httpx.post(f"{sim.api_base_url}{path}", json=body, timeout=timeout)


def _register_body(personal_number: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "personalNumber": personal_number,
        "termsVersion": CURRENT_TERMS_VERSION,
        "acceptances": {"assignmentAgreement": True, "powerOfAttorney": True, "personalDataConsent": True},
        "consentReference": "3f0c2a7e-0000-4000-8000-000000000001",
        "consentGivenAt": "2026-11-28T12:00:00+00:00",
    }
    body.update(overrides)
    return body


def test_status_tells_registered_from_unregistered(sim: SimulatorThread) -> None:
    assert _post(sim, "users/status", {"personalNumber": LENA}).json()["termsAccepted"] is True
    assert _post(sim, "users/status", {"personalNumber": JOHAN}).json() == {
        "registered": False,
        "termsAccepted": False,
        "termsVersion": None,
        "currentTermsVersion": CURRENT_TERMS_VERSION,
    }


def test_pensions_are_refused_until_the_person_registers(sim: SimulatorThread) -> None:
    refused = _post(sim, "pensions", {"personalNumber": JOHAN})
    assert (refused.status_code, refused.json()["error"]) == (403, "notRegistered")
    assert _post(sim, "users/register", _register_body(JOHAN)).status_code == 201
    fetched = _post(sim, "pensions", {"personalNumber": JOHAN}).json()
    assert {item["agreement"] for item in fetched["items"]} == {"KAP-KL", None}


def test_registration_needs_every_acceptance_and_the_current_terms(sim: SimulatorThread) -> None:
    partial = _register_body(JOHAN, acceptances={"assignmentAgreement": True, "powerOfAttorney": True})
    assert _post(sim, "users/register", partial).status_code == 400
    assert _post(sim, "users/register", _register_body(JOHAN, termsVersion="2019-1")).status_code == 409
    assert _post(sim, "users/status", {"personalNumber": JOHAN}).json()["registered"] is False


def test_personal_numbers_are_checked_and_only_json_is_accepted(sim: SimulatorThread) -> None:
    assert _post(sim, "users/status", {"personalNumber": "19801113-9297"}).status_code == 400
    response = httpx.post(f"{sim.api_base_url}users/status", content=b"personalNumber=1", timeout=5)
    assert response.status_code == 415


def test_items_carry_value_payout_and_a_forecast_per_age(sim: SimulatorThread) -> None:
    items = {item["id"]: item for item in _post(sim, "pensions", {"personalNumber": KARIN}).json()["items"]}
    itp2 = items["itp2-alecta"]
    assert (itp2["benefitKind"], itp2["capitalValue"], itp2["earnedMonthlyAmount"]) == (
        "defined_benefit",
        None,
        "11240.00",
    )
    itpk = items["itpk-skandia"]
    assert itpk["payout"] == {"kind": "fixed_term", "years": 5, "fromAge": 65}
    at_65 = next(point for point in itpk["forecast"] if point["withdrawalAge"] == 65)
    assert (at_65["payoutStartAge"], at_65["payoutEndAge"]) == (65, 70)
    amounts = [Decimal(point["monthlyAmount"]) for point in itpk["forecast"]]
    assert amounts == sorted(amounts), "a later withdrawal gives more a month"


def test_injected_errors_timeouts_and_latency(sim: SimulatorThread) -> None:
    sim.control("faults", kind="error", status=500, count=1, endpoint="pensions")
    assert _post(sim, "users/status", {"personalNumber": LENA}).status_code == 200
    assert _post(sim, "pensions", {"personalNumber": LENA}).status_code == 500
    assert _post(sim, "pensions", {"personalNumber": LENA}).status_code == 200
    sim.control("faults", kind="timeout", delaySeconds=2, count=1)
    with pytest.raises(httpx.ReadTimeout):
        _post(sim, "pensions", {"personalNumber": LENA}, timeout=0.3)
    sim.control("latency", seconds=0.05)
    assert httpx.get(f"{sim.base_url}/control/health", timeout=5).json()["latencySeconds"] == 0.05
