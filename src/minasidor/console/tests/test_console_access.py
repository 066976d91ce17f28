"""Requirement (issue 19): an agent sees nothing of a citizen without a live permission they hold — no
permission, an expired or ended one, another agent's, or outside its scope all give nothing, on every console
URL with an object — and every view is in the citizen's access log with the agent and the purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from tests.security.urlconf import routes

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.console.session import IDLE_SECONDS
from minasidor.console.tests.support import agent_log_in
from minasidor.identity.tests.factories import make_identity
from minasidor.registers import registers
from minasidor.registers.types import CaseSubmission, CaseType
from minasidor.temporary_access.models import TemporaryPermission
from minasidor.temporary_access.services import permission_end, permission_give

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"  # a saver with a statement (demo person)
CITIZEN = make_identity(JOHAN, given_name="Johan", family_name="Sund")
OBJECT_PAGES = {
    "console:permission": "overview",
    "console:forecast": "forecast",
    "console:cases": "cases",
    "console:case": "cases",
}


def _take(client: Client, scopes: list[str], minutes: int = 15) -> str:
    given = permission_give(identity=CITIZEN, scopes=scopes, minutes=minutes)
    response = client.post("/kundservice/", {"code": given.code})
    assert response.status_code == 302, response.content[:500]
    return str(given.permission.reference)


def _johans_case() -> str:
    """A real case of the citizen's, so that a 404 on the case page comes from the permission alone."""
    summary = registers().case_submit(
        citizen_principal(CITIZEN.subject_key),
        PersonalNumber(JOHAN),
        CaseSubmission(CaseType.GENERAL_QUESTION, "console-access-case", subject="Fråga", message="Hej"),
    )
    return str(summary.case_id)


def _url(name: str, reference: str) -> str:
    if name == "console:case":
        return f"/kundservice/behorighet/{reference}/arenden/{_johans_case()}/"
    return {
        "console:permission": f"/kundservice/behorighet/{reference}/",
        "console:forecast": f"/kundservice/behorighet/{reference}/prognos/",
        "console:cases": f"/kundservice/behorighet/{reference}/arenden/",
    }[name]


def test_every_console_url_with_a_parameter_is_tested_here() -> None:
    with_parameter = {route.name for route in routes() if route.name.startswith("console:") and route.parameters}
    assert with_parameter == set(OBJECT_PAGES)


def test_the_agent_sees_the_citizens_overview_with_the_figures_of_the_register(client: Client) -> None:
    agent_log_in(client)
    reference = _take(client, ["overview"])
    page = client.get(_url("console:permission", reference))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "Johan" in html
    assert 'data-amount="total"' in html
    records = AccessRecord.objects.filter(subject_ref=pseudonym_for(CITIZEN.subject_key), principal_kind="agent")
    assert list(records.order_by("id").values_list("action", "principal_ref", "purpose")) == [
        ("temporary_access.taken", "K1001", "customer_service"),
        ("console.overview_viewed", "K1001", "customer_service"),
    ]


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_outside_the_scope_there_is_nothing(client: Client, name: str) -> None:
    agent_log_in(client)
    others = [scope for scope in ("overview", "forecast", "cases") if scope != OBJECT_PAGES[name]]
    reference = _take(client, others)
    assert client.get(_url(name, reference)).status_code == 404
    assert not AccessRecord.objects.filter(action__startswith="console.").exists()


@pytest.mark.parametrize("name", OBJECT_PAGES)
@pytest.mark.parametrize(
    "spoil",
    ["nothing_given", "expired", "ended_by_citizen", "another_agent", "agent_logged_out"],
)
def test_without_a_live_permission_of_ones_own_there_is_nothing(
    client: Client, frozen_clock: clock.FrozenClock, name: str, spoil: str
) -> None:
    agent_log_in(client)
    reference = "6f1c7e4e-0000-4000-8000-000000000000"
    if spoil != "nothing_given":
        reference = _take(client, ["overview", "forecast", "cases"])
    if spoil == "expired":
        frozen_clock.advance(dt.timedelta(minutes=9))
        assert client.get("/kundservice/").status_code == 200  # the console session stays active
        frozen_clock.advance(dt.timedelta(minutes=6))
    elif spoil == "ended_by_citizen":
        assert permission_end(identity=CITIZEN, reference=reference)
    elif spoil == "another_agent":
        agent_log_in(client, staff_number="K2002", name="Sam Svarsson")
    elif spoil == "agent_logged_out":
        client.post("/kundservice/logga-ut/")
        agent_log_in(client)
    assert client.get(_url(name, reference)).status_code == 404
    assert not AccessRecord.objects.filter(action__startswith="console.").exists()


def test_logging_out_ends_the_agents_permissions(client: Client) -> None:
    agent_log_in(client)
    _take(client, ["overview"])
    client.post("/kundservice/logga-ut/")
    assert TemporaryPermission.objects.get().end_reason == "agent_logout"


def test_a_wrong_code_tells_nothing(client: Client) -> None:
    agent_log_in(client)
    given = permission_give(identity=CITIZEN, scopes=["overview"], minutes=15)
    wrong = "000000" if given.code != "000000" else "111111"
    response = client.post("/kundservice/", {"code": wrong})
    assert response.status_code == 200
    assert "Koden går inte att använda" in response.content.decode() or "cannot be used" in response.content.decode()
    assert "Johan" not in response.content.decode()


def test_every_console_page_needs_the_login_and_second_factor(client: Client) -> None:
    for route in routes():
        if route.name.startswith("console:") and route.name not in {
            "console:login",
            "console:oidc-start",
            "console:oidc-callback",
            "console:second-factor",
            "console:second-factor-passkey",
            "console:logout",
        }:
            response = client.get(route.url())
            assert response.status_code == 302, route.name
            assert response["Location"].startswith("/kundservice/logga-in/"), route.name


def test_the_console_session_is_shorter_than_a_citizens_and_ends_when_idle(
    client: Client, frozen_clock: clock.FrozenClock, settings: object
) -> None:
    from django.conf import settings as django_settings  # noqa: PLC0415

    assert IDLE_SECONDS < django_settings.SESSION_IDLE_SECONDS
    agent_log_in(client)
    _take(client, ["overview"])
    frozen_clock.advance(dt.timedelta(seconds=IDLE_SECONDS))
    assert client.get("/kundservice/")["Location"] == "/kundservice/logga-in/"
    assert TemporaryPermission.objects.get().end_reason == "agent_logout"


def test_a_citizen_session_is_not_an_agent(client: Client) -> None:
    from minasidor.identity.tests.factories import log_in  # noqa: PLC0415

    log_in(client, CITIZEN)
    assert client.get("/kundservice/")["Location"] == "/kundservice/logga-in/"


@pytest.mark.parametrize(
    ("scopes", "page"), [(["forecast"], "prognos/"), (["cases"], "arenden/"), (["cases", "forecast"], "prognos/")]
)
def test_the_code_leads_to_a_page_the_permission_covers(client: Client, scopes: list[str], page: str) -> None:
    agent_log_in(client)
    given = permission_give(identity=CITIZEN, scopes=scopes, minutes=15)
    response = client.post("/kundservice/", {"code": given.code})
    assert response["Location"] == f"/kundservice/behorighet/{given.permission.reference}/{page}"
    assert client.get(response["Location"]).status_code == 200
