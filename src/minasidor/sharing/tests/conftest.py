"""Fixtures of consented sharing's tests: Johan (a saver with a statement in the demo data) logged in, and the
registered demo client as a third party with its own DPoP key."""

from __future__ import annotations

import pytest
from django.test import Client

from minasidor.identity.tests.factories import log_in
from minasidor.sharing.tests.support import JOHAN, ThirdParty, application_register


@pytest.fixture
def citizen_client(client: Client) -> Client:
    """The test client, with Johan logged in."""
    log_in(client, JOHAN)
    return client


@pytest.fixture
def party() -> ThirdParty:
    """The demo client "demo-radgivaren", registered."""
    application_register("demo-radgivaren")
    return ThirdParty("demo-radgivaren")
