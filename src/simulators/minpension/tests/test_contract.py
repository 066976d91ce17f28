"""Requirement: every answer of the Min Pension test server matches the contract (docs/minpension-openapi.yaml)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import yaml

from simulators.minpension.data import SAVERS
from simulators.minpension.server import SimulatorThread

CONTRACT = Path(__file__).resolve().parents[4] / "docs" / "minpension-openapi.yaml"


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(CONTRACT.read_text())
    assert document["openapi"].startswith("3.1")
    return dict(document["components"])


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorThread]:
    with SimulatorThread(today=lambda: dt.date(2026, 11, 28)) as thread:
        yield thread


def _check(components: dict[str, Any], schema: str, body: object) -> None:
    validator = jsonschema_rs.Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": components})
    errors = [error.message for error in validator.iter_errors(body)]
    assert errors == [], errors


@pytest.mark.parametrize("personal_number", [saver.personal_number for saver in SAVERS])
def test_every_demo_persons_answers_match_the_contract(
    server: SimulatorThread, components: dict[str, Any], personal_number: str
) -> None:
    server.control("reset")
    status = httpx.post(f"{server.api_base_url}users/status", json={"personalNumber": personal_number}, timeout=5)
    _check(components, "UserStatus", status.json())
    pensions = httpx.post(f"{server.api_base_url}pensions", json={"personalNumber": personal_number}, timeout=5)
    _check(components, "Pensions" if pensions.status_code == 200 else "Error", pensions.json())
    if pensions.status_code == 200:
        for item in pensions.json()["items"]:
            assert (item["capitalValue"] is None) == (item["benefitKind"] == "defined_benefit")


def test_the_contract_refuses_a_registration_without_every_acceptance(components: dict[str, Any]) -> None:
    _check(components, "PersonRequest", {"personalNumber": "198501139995"})
    registration = {
        "personalNumber": "198501139995",
        "termsVersion": "2026-1",
        "acceptances": {"assignmentAgreement": True, "powerOfAttorney": True, "personalDataConsent": True},
        "consentReference": "3f0c2a7e-0000-4000-8000-000000000001",
        "consentGivenAt": "2026-11-28T12:00:00+00:00",
    }
    _check(components, "RegistrationRequest", registration)
    with pytest.raises(AssertionError):
        _check(components, "RegistrationRequest", {**registration, "acceptances": {"assignmentAgreement": False}})
