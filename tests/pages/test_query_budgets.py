"""Requirement: every citizen page stays within its budget of database queries, on the portal's database and on
the back office's, once the session's pension data has been fetched (a query that creeps into every page view
fails here before it reaches a citizen).

Every view behind ``citizen_required`` must have a budget below; a new page without one fails
``test_every_citizen_page_has_a_query_budget``.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from simulators.minpension.server import SimulatorThread
from tests.security.urlconf import Route, routes

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"  # 41, not a Min Pension user: every pension page, the consent page too, has something to show

# URL name -> (queries on the portal's database, on the back office's) for one GET of the page (a POST for the
# one action that takes no GET).
QUERY_BUDGETS: dict[str, tuple[int, int]] = {
    "pensions:home": (4, 0),
    "pensions:forecast": (4, 0),
    "pensions:refresh": (14, 12),
    "pensions:forecast-pdf": (4, 0),
    "pensions:statement-pdf": (4, 0),
    "pensions:min-pension": (4, 0),
    "pensions:min-pension-consent": (9, 0),
    "privacy:access-log": (10, 0),
    "saml:no-swedish-number": (4, 0),
    "signing_step:start": (4, 0),
    "signing_step:cancel": (4, 0),
}
POST_ONLY = {"pensions:refresh", "signing_step:cancel"}

CITIZEN_PAGES = [route for route in routes() if getattr(route.callback, "citizen_required", False)]


def test_every_citizen_page_has_a_query_budget() -> None:
    names = {route.name for route in CITIZEN_PAGES}
    assert {"pensions:home", "pensions:forecast", "privacy:access-log"} <= names, "citizen pages are found"
    assert names == set(QUERY_BUDGETS), "give every citizen page a budget here (and no page that is gone)"


@pytest.mark.parametrize("route", CITIZEN_PAGES, ids=lambda route: route.name)
def test_a_citizen_page_stays_within_its_query_budget(
    client: Client, minpension: SimulatorThread, route: Route
) -> None:
    foreign = route.name == "saml:no-swedish-number"
    log_in(client, make_foreign_identity() if foreign else make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    client.get("/mina-sidor/")  # the first page after login fetches the session's pension data
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as backoffice,
    ):
        response = client.post(route.url()) if route.name in POST_ONLY else client.get(route.url())
    assert response.status_code == (302 if route.name in POST_ONLY else 200), response.status_code
    portal_budget, backoffice_budget = QUERY_BUDGETS[route.name]
    assert len(portal) <= portal_budget, [query["sql"] for query in portal.captured_queries]
    assert len(backoffice) <= backoffice_budget, [query["sql"] for query in backoffice.captured_queries]
