"""Requirement (issue 22.2): the consent page and "Shared access" speak English under /en/ as well as Swedish,
stay within a budget of database queries, and a citizen can withdraw only their own consents through the page
(another person's reference is answered like a missing one)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.sharing.models import Consent
from minasidor.sharing.tests.support import JOHAN, ThirdParty, tokens_obtained

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

# The consent page (the authorization endpoint) is not behind citizen_required, so the budgets of
# tests/pages do not find it. Measured 7: the session, the rate limit's count, the client (by the toolkit, then
# by the page for its name), the session written back in a savepoint.
CONSENT_PAGE_BUDGET = 7


def test_the_consent_page_speaks_english_under_en(client: Client, party: ThirdParty) -> None:
    log_in(client, JOHAN)
    page = client.get("/en" + party.authorize_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "A service asks to read your pension data" in html
    assert "Your latest pension statement" in html
    assert "Do not allow" in html


def test_the_consent_page_stays_within_its_query_budget(client: Client, party: ThirdParty) -> None:
    log_in(client, JOHAN)
    url = party.authorize_url()
    client.get(url)
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as bo,
    ):
        assert client.get(url).status_code == 200
    assert len(portal) <= CONSENT_PAGE_BUDGET, [query["sql"] for query in portal.captured_queries]
    assert len(bo) == 0


def test_another_persons_consent_cannot_be_withdrawn_through_the_page(client: Client, party: ThirdParty) -> None:
    log_in(client, JOHAN)
    tokens_obtained(client, Client(), party)
    reference = Consent.objects.get().reference
    intruder = Client()
    log_in(intruder, make_identity())
    response = intruder.post("/mina-sidor/dela/aterkalla/", {"reference": str(reference)})
    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_at is None
    page = client.get("/mina-sidor/dela/")
    assert page.status_code == 200
    assert 'data-testid="consent-live"' in page.content.decode()
    response = client.post("/mina-sidor/dela/aterkalla/", {"reference": str(reference)})
    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_at is not None
