"""Requirement (issue 19): passkeys (WebAuthn) as the console's second factor — options only for a logged-in
agent, a made-up answer is refused and the second step stays undone. (The whole ceremony with an
authenticator runs in the browser journey with Chromium's virtual authenticator.)"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from minasidor.console.models import AgentPasskey
from minasidor.console.session import SESSION_KEY
from minasidor.console.tests.support import agent_log_in

pytestmark = pytest.mark.django_db


def test_registration_options_need_a_logged_in_agent(client: Client) -> None:
    assert client.get("/kundservice/nyckel/alternativ/")["Location"] == "/kundservice/logga-in/"
    agent_log_in(client)
    options = client.get("/kundservice/nyckel/alternativ/").json()
    assert options["rp"]["id"] == "testserver"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["challenge"]


def test_a_made_up_answer_registers_nothing(client: Client) -> None:
    agent_log_in(client)
    client.get("/kundservice/nyckel/alternativ/")
    page = client.post("/kundservice/nyckel/", {"credential": json.dumps({"id": "x", "response": {}})})
    assert "kunde inte registreras" in page.content.decode()
    assert not AgentPasskey.objects.exists()


def test_the_second_step_with_a_made_up_passkey_answer_stays_undone(client: Client) -> None:
    agent_log_in(client)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "second_factor": None}
    session.save()
    assert client.get("/kundservice/andra-steget/nyckel/alternativ/").status_code == 404, "no passkey registered"
    response = client.post("/kundservice/andra-steget/nyckel/", {"credential": json.dumps({"id": "x"})})
    assert response["Location"] == "/kundservice/andra-steget/?nyckel=misslyckades"
    assert client.get("/kundservice/")["Location"] == "/kundservice/andra-steget/"
    assert "publickey-credentials-get=(self)" in client.get("/kundservice/andra-steget/")["Permissions-Policy"]
