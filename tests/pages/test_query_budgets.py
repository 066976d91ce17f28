"""Requirement: every citizen page stays within its budget of database queries, on the portal's database and on
the back office's, once the session's pension data has been fetched (a query that creeps into every page view
fails here before it reaches a citizen).

Every view behind ``citizen_required`` must have a budget below; a new page without one fails
``test_every_citizen_page_has_a_query_budget``.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.signing.documents import DocumentKind, signable_document
from minasidor.signing_step.flow import sign_begin
from simulators.bankid.server import SimulatorThread as BankIdThread
from simulators.minpension.server import SimulatorThread
from tests.security.object_urls import OBJECT_URLS
from tests.security.urlconf import Route, routes

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"  # 41, not a Min Pension user: every pension page, the consent page too, has something to show
KARIN = "196201082697"  # 64, about to retire: may apply for her pension

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
    "housing:calculator": (4, 0),
    "privacy:permission": (5, 0),
    "privacy:permission-end": (4, 0),
    "sharing:consents": (11, 0),
    "sharing:withdraw": (5, 0),
    "saml:no-swedish-number": (4, 0),
    "signing_step:start": (4, 0),
    "signing_step:cancel": (4, 0),
    # the session, the device block and three limits (one upsert each, decision 0046) and the order kept
    "signing_step:bankid-start": (7, 0),
    "signing_step:bankid-progress": (4, 0),
    "signing_step:bankid-status": (4, 0),
    "signing_step:bankid-qr": (4, 0),
    "signing_step:bankid-returned": (4, 0),
    # the session and the rate limit's counter (one upsert); without an order it collects nothing
    "signing_step:bankid-proceed": (5, 0),
    "signing_step:sigservice-start": (4, 0),
    "signing_step:sigservice-complete": (4, 0),
    "applications:start": (4, 0),
    "applications:parts": (4, 0),
    "applications:income-pension": (4, 0),
    "applications:premium-pension": (4, 0),
    "applications:civil-status": (4, 0),
    "applications:survivor-protection": (4, 0),
    "applications:living-abroad": (4, 0),
    "applications:tax": (4, 0),
    "applications:account": (4, 0),
    "applications:summary": (4, 0),
    "cases:list": (9, 5),
    "cases:question": (4, 0),
    "cases:detail": (9, 12),
    "applications:sign": (4, 0),
    "applications:signed": (4, 0),
    "applications:submitted": (8, 0),
    "applications:submitted-retry": (5, 0),
    "applications:housing": (4, 0),
    "applications:housing-summary": (4, 0),
    "applications:housing-sign": (4, 0),
    "applications:housing-signed": (4, 0),
    "cases:attachment": (9, 6),
    "details:overview": (9, 4),
    "details:contact": (9, 4),
    "details:language": (9, 4),
    "details:postal-address": (9, 4),
    "details:tax": (9, 4),
    "details:email-link": (9, 17),
    "details:email-confirm-waiting": (4, 0),
    "details:account": (4, 0),
    "details:account-summary": (4, 0),
    "details:account-signed": (4, 0),
    "details:account-done": (4, 0),
    "personal_code:order": (4, 0),
    "personal_code:ordered": (4, 0),
    "personal_code:on-its-way": (4, 0),
    "form_orders:order": (4, 0),
    "form_orders:ordered": (4, 0),
    "form_orders:on-its-way": (4, 0),
    "applications:receipt": (5, 0),
    "applications:case-receipt": (5, 0),
    "cases:decision-letter": (5, 6),
    "applications:withdrawal": (4, 0),
    "applications:withdrawal-kind": (4, 0),
    "applications:withdrawal-parts": (4, 0),
    "applications:withdrawal-share": (4, 0),
    "applications:withdrawal-month": (4, 0),
    "applications:withdrawal-summary": (4, 0),
    "applications:withdrawal-sign": (4, 0),
    "applications:withdrawal-signed": (4, 0),
    "delegation:list": (6, 0),
    "delegation:detail": (5, 0),
    "delegation:who": (4, 0),
    "delegation:what": (4, 0),
    "delegation:until": (4, 0),
    "delegation:summary": (4, 0),
    "delegation:sign": (4, 0),
    "delegation:signed": (4, 0),
    "delegation:end": (5, 0),
    "delegation:act": (5, 0),
    "delegation:acting-stop": (4, 0),
}
POST_ONLY = {
    "pensions:refresh",
    "signing_step:cancel",
    "signing_step:bankid-start",
    "signing_step:bankid-proceed",
    "privacy:permission-end",
    "sharing:withdraw",
    "applications:sign",
    "applications:submitted-retry",
    "applications:housing-sign",
    "signing_step:sigservice-start",
    "applications:withdrawal-sign",
    "delegation:sign",
    "delegation:end",
    "delegation:act",
    "delegation:acting-stop",
    "details:email-link",
}
# Pages that answer a GET without their state (nothing being signed) otherwise than with 200; the signing
# pages' budgets with a document and an order in flight are measured below.
STATUS_WITHOUT_STATE = {
    "signing_step:bankid-progress": 302,
    "signing_step:bankid-returned": 302,
    "signing_step:bankid-qr": 404,
    "applications:signed": 302,
    "applications:submitted-retry": 404,
    "applications:housing-signed": 302,
    "signing_step:sigservice-complete": 302,
    "applications:receipt": 404,
    "applications:case-receipt": 404,
    "cases:decision-letter": 404,
    "applications:withdrawal-sign": 200,  # Karin draws no pension: she is told so
    "applications:withdrawal-signed": 302,
    "delegation:what": 302,
    "delegation:until": 302,
    "delegation:summary": 302,
    "delegation:signed": 302,
    "details:email-confirm-waiting": 302,
    "details:account-summary": 302,
    "details:account-signed": 302,
    "details:account-done": 302,
    "form_orders:ordered": 302,  # without the form ordered (?blankett=): back to the order page
    "form_orders:on-its-way": 302,
}

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
    if foreign:
        identity = make_foreign_identity()
    elif route.name.startswith("applications:"):
        identity = make_identity(KARIN, given_name="Karin", family_name="Lindqvist")
    else:
        identity = make_identity(JOHAN, given_name="Johan", family_name="Sund")
    log_in(client, identity)
    client.get("/mina-sidor/")  # the first page after login fetches the session's pension data
    url = route.url(**OBJECT_URLS[route.name](identity)) if route.name in OBJECT_URLS else route.url()
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as backoffice,
    ):
        response = client.post(url) if route.name in POST_ONLY else client.get(url)
    expected = STATUS_WITHOUT_STATE.get(route.name, 302 if route.name in POST_ONLY else 200)
    assert response.status_code == expected, response.status_code
    portal_budget, backoffice_budget = QUERY_BUDGETS[route.name]
    assert len(portal) <= portal_budget, [query["sql"] for query in portal.captured_queries]
    assert len(backoffice) <= backoffice_budget, [query["sql"] for query in backoffice.captured_queries]


def test_the_signing_pages_stay_within_their_budgets_while_a_document_is_signed(
    client: Client, bankid: BankIdThread
) -> None:
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    document = signable_document(
        kind=DocumentKind.PENSION_APPLICATION, version=1, content={"a": 1}, summary="# Ansökan\n\nInkomstpension."
    )
    sign_begin(request, document=document, return_url="/mina-sidor/", cancel_url="/mina-sidor/")
    session.save()
    steps = [
        ("get", "signing_step:start", 200),
        ("post", "signing_step:bankid-start", 302),
        ("get", "signing_step:bankid-progress", 200),
        ("get", "signing_step:bankid-status", 200),
        ("get", "signing_step:bankid-qr", 200),
    ]
    for method, name, status in steps:
        with (
            CaptureQueriesContext(connections["default"]) as portal,
            CaptureQueriesContext(connections["backoffice"]) as backoffice,
        ):
            data = {"flow": "other_device"} if method == "post" else None
            response = getattr(client, method)(reverse(name), data)
        assert response.status_code == status, (name, response.status_code)
        assert len(portal) <= QUERY_BUDGETS[name][0], (name, [query["sql"] for query in portal.captured_queries])
        assert len(backoffice) <= QUERY_BUDGETS[name][1], name


BENGT = "195801082743"  # draws his pension (since 2023): the pages for pensioners show their own content


# A pensioner's pages with their content: the answers posted before each page is measured.
PENSIONER_PAGES: list[tuple[str, dict[str, dict[str, object]]]] = [
    ("pensions:forecast", {}),
    ("applications:withdrawal", {}),
    ("applications:withdrawal-kind", {}),
    ("applications:withdrawal-parts", {"applications:withdrawal-kind": {"change": "share"}}),
    ("applications:withdrawal-share", {"applications:withdrawal-parts": {"parts": ["income_pension"]}}),
    ("applications:withdrawal-month", {"applications:withdrawal-share": {"share": "50"}}),
    ("applications:withdrawal-summary", {"applications:withdrawal-month": {"from_month": "2026-12"}}),
]


def test_a_pensioners_pages_stay_within_their_budgets(client: Client, minpension: SimulatorThread) -> None:
    log_in(client, make_identity(BENGT, given_name="Bengt", family_name="Ek"))
    client.get("/mina-sidor/")
    for name, before in PENSIONER_PAGES:
        for answered, data in before.items():
            assert client.post(reverse(answered), data).status_code == 302, answered
        with (
            CaptureQueriesContext(connections["default"]) as portal,
            CaptureQueriesContext(connections["backoffice"]) as backoffice,
        ):
            response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert len(portal) <= QUERY_BUDGETS[name][0], [query["sql"] for query in portal.captured_queries]
        assert len(backoffice) <= QUERY_BUDGETS[name][1], name
