"""Requirement: the production profile refuses to talk to a Min Pension test server or to Min Pension without TLS."""

from __future__ import annotations

import pytest

from minasidor.conf.tests.test_settings import _start_production


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8450/api/v1/", "https://localhost:8450/api/v1/", "http://minpension.example/api/v1/"]
)
def test_production_refuses_the_simulator_and_plain_http(url: str) -> None:
    result = _start_production({"MINASIDOR_MINPENSION_BASE_URL": url})
    assert result.returncode != 0
    assert "MINASIDOR_MINPENSION_BASE_URL must be Min Pension's server over https" in result.stderr


def test_production_accepts_min_pension_over_https() -> None:
    result = _start_production({"MINASIDOR_MINPENSION_BASE_URL": "https://api.minpension.example/api/v1/"})
    assert "MINASIDOR_MINPENSION_BASE_URL" not in result.stderr
