"""Requirement (issues 19, 20.2): the console's pages stay within a budget of database queries, on the portal's
database and on the back office's (a query that creeps into every view of an agent fails here).

The budgets count one GET by a logged-in agent with a live permission covering every scope; they include the
session, the permission's own read and the access record each view writes.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minasidor.console.tests.support import agent_log_in
from minasidor.identity.tests.factories import make_identity
from minasidor.registers import registers
from minasidor.registers.types import CaseSubmission, CaseType
from minasidor.temporary_access.services import permission_give

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = make_identity("198501139995", given_name="Johan", family_name="Sund")

# page -> (queries on the portal's database, on the back office's)
BUDGETS: dict[str, tuple[int, int]] = {
    "home": (6, 0),
    "identify-code": (5, 0),
    # the session, the agent's user, the permission, the access record in its transaction, the session's save
    "overview": (11, 12),
    "cases": (11, 5),
    "case": (11, 12),
}


def _urls(client: Client) -> dict[str, str]:
    agent_log_in(client)
    given = permission_give(identity=JOHAN, scopes=["overview", "cases", "forecast"], minutes=15)
    reference = client.post("/kundservice/", {"code": given.code})["Location"].split("/")[-2]
    assert JOHAN.personal_number is not None
    case = registers().case_submit(
        JOHAN.principal,
        JOHAN.personal_number,
        CaseSubmission(CaseType.GENERAL_QUESTION, "console-budget-question", subject="Fråga", message="Hej"),
    )
    base = f"/kundservice/behorighet/{reference}/"
    return {
        "home": "/kundservice/",
        "identify-code": "/kundservice/identifiera/personlig-kod/",
        "overview": base,
        "cases": f"{base}arenden/",
        "case": f"{base}arenden/{case.case_id}/",
    }


@pytest.mark.parametrize("page", BUDGETS)
def test_each_console_page_keeps_its_query_budget(client: Client, page: str) -> None:
    url = _urls(client)[page]
    client.get(url)  # the first view warms what a session keeps
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as backoffice,
    ):
        response = client.get(url)
    assert response.status_code == 200
    portal_budget, backoffice_budget = BUDGETS[page]
    assert len(portal) <= portal_budget, [query["sql"] for query in portal.captured_queries]
    assert len(backoffice) <= backoffice_budget, [query["sql"] for query in backoffice.captured_queries]
