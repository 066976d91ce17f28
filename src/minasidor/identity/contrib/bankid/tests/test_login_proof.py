"""Requirement: a BankID order whose signature was altered after signing is refused as a login (fail closed):
the citizen is told the login was stopped for their safety, and no login is recorded."""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client

from minasidor.audit.models import AccessRecord
from simulators.bankid.orders import Order
from simulators.bankid.server import SimulatorThread
from simulators.bankid.signature import b64

TOLVAN = "191212121212"


@pytest.fixture
def tampering(bankid: SimulatorThread) -> Iterator[None]:
    """The test server's completions come with a signature altered after signing."""
    genuine = bankid.sim.book.completion

    def altered(order: Order, *, now: dt.datetime) -> dict[str, Any]:
        data = genuine(order, now=now)
        document = base64.b64decode(data["signature"]).replace(b"<funcId>Identification", b"<funcId>Signing")
        data["signature"] = b64(document)
        return data

    bankid.sim.book.completion = altered
    yield
    bankid.sim.book.completion = genuine


@pytest.mark.django_db
def test_a_login_with_a_tampered_signature_is_refused(bankid: SimulatorThread, tampering: None) -> None:
    client = Client()
    client.post("/logga-in/", {"method": "bankid-other-device"})
    order = bankid.sim.book.orders()[-1]
    app = f"{bankid.app_base_url}/app"
    token = httpx.post(f"{app}/open", json={"autoStartToken": order.auto_start_token, "personalNumber": TOLVAN})
    assert token.status_code == 200, token.text
    assert httpx.post(f"{app}/confirm", json={"orderRef": order.order_ref, "action": "approve"}).status_code == 200
    for _ in range(20):
        body = client.get("/logga-in/bankid/status/").json()
        if body["state"] != "pending":
            break
        time.sleep(0.5)  # the portal collects at most every two seconds
    assert body["state"] == "failed"
    assert "stoppades för din säkerhet" in client.get("/logga-in/bankid/").content.decode()
    assert not AccessRecord.objects.filter(action="login.completed").exists()
