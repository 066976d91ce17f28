"""Requirement (issue 19): the console identifies a caller with BankID ``phone/auth`` (callInitiator user or
RP) through the virtual app; the caller's approval of the text naming the agent, the scope and the length
starts the permission; a cancelled order or one for another person gives nothing."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.test import Client

from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.console.tests.support import agent_log_in
from minasidor.temporary_access.models import TemporaryPermission
from simulators.bankid.server import SimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

TOLVAN = "191212121212"


def _app(bankid: SimulatorThread, path: str, **body: object) -> dict[str, object]:
    response = httpx.post(f"{bankid.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def _start(client: Client, initiator: str = "user") -> None:
    response = client.post(
        "/kundservice/identifiera/",
        {"personal_number": "19121212-1212", "initiator": initiator, "scopes": ["overview"], "minutes": "15"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/kundservice/identifiera/vantar/"


@pytest.mark.parametrize("initiator", ["user", "RP"])
def test_a_caller_approves_in_the_app_and_the_permission_starts(
    client: Client, bankid: SimulatorThread, frozen_clock: clock.FrozenClock, initiator: str
) -> None:
    agent_log_in(client)
    _start(client, initiator)
    waiting = client.get("/kundservice/identifiera/vantar/")
    assert waiting.status_code == 200
    assert "Kontrollera igen" in waiting.content.decode()
    order = _app(bankid, "/app/phone", personalNumber=TOLVAN)
    text = str(order["userVisibleData"])
    assert "Kim Kundberg (K1001)" in text
    assert "15 minuter" in text
    assert "pensionsöversikt" in text
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    frozen_clock.advance(dt.timedelta(seconds=2))
    done = client.get("/kundservice/identifiera/vantar/")
    permission = TemporaryPermission.objects.get()
    assert done["Location"] == f"/kundservice/behorighet/{permission.reference}/"
    assert permission.agent_ref == "K1001"
    assert permission.scope_list == ("overview",)
    assert client.get(done["Location"]).status_code == 200
    actions = AccessRecord.objects.filter(subject_ref=pseudonym_for(f"se:{TOLVAN}")).values_list("action", flat=True)
    assert "temporary_access.given_by_bankid" in actions


def test_a_caller_who_says_no_call_is_taking_place_gives_nothing(
    client: Client, bankid: SimulatorThread, frozen_clock: clock.FrozenClock
) -> None:
    agent_log_in(client)
    _start(client)
    order = _app(bankid, "/app/phone", personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="cancel")
    frozen_clock.advance(dt.timedelta(seconds=2))
    failed = client.get("/kundservice/identifiera/vantar/")
    assert failed.status_code == 200
    assert "inte identifierad" in failed.content.decode()
    assert not TemporaryPermission.objects.exists()


def test_the_order_is_the_agents_own(client: Client, bankid: SimulatorThread, frozen_clock: clock.FrozenClock) -> None:
    agent_log_in(client)
    _start(client)
    agent_log_in(client, staff_number="K2002", name="Sam Svarsson")  # another console session in this browser
    assert client.get("/kundservice/identifiera/vantar/")["Location"] == "/kundservice/identifiera/"
