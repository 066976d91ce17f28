"""Requirement (issue 16.6, the citizen's side): after a case handler grants the application, the citizen who
logs in again sees the granted parts and the next payment, and the parts are what the engine said before
signing (the preliminary calculation and the grant are the same rules); an application can be withdrawn until
it is decided.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from kernel import clock
from minasidor.applications.draft import Draft
from minasidor.applications.models import SignedApplication
from minasidor.applications.tests.test_submission import BASE, KARIN, _sign
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pension_data.application import application_preview, application_window
from minasidor.registers import registers
from minasidor.registers.types import CaseDecision, CaseStateError, CaseStatus, DecisionOutcome

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension"),
]

HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="staff-16")


def _apply_from_this_month(client: Client) -> None:
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    client.post(BASE + "delar/", {"parts": ["income_pension", "premium_pension"]})
    client.post(BASE + "inkomstpension/", {"start_month": "2026-11", "share": "100"})
    client.post(BASE + "premiepension/", {"start_month": "2026-11", "share": "100"})
    client.post(BASE + "civilstand/", {"civil_status": "married"})
    client.post(BASE + "efterlevandeskydd/", {"survivor_protection": "no"})
    client.post(BASE + "bosattning/", {"living_abroad": "no"})
    client.post(BASE + "skatt/", {"tax_kind": "table"})
    client.post(BASE + "konto/", {"clearing_number": "5000", "account_number": "1000004"})


def test_the_granted_parts_and_the_next_payment_are_shown_and_equal_the_engines(client: Client) -> None:
    _apply_from_this_month(client)
    identity = make_identity(KARIN)
    assert identity.personal_number is not None
    snapshot = registers().person_snapshot(identity.principal, identity.personal_number)
    draft = Draft.from_session(client.session["applications.draft"]["answers"])
    window = application_window(snapshot.person.birth_date, clock.today())
    application = draft.application(identity.personal_number, window)
    assert application is not None
    preview = application_preview(snapshot, application, today=clock.today())
    _sign(client)
    client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert row.case_id is not None
    registers().case_handling_start(HANDLER, row.case_id)
    registers().case_decide(HANDLER, row.case_id, CaseDecision(DecisionOutcome.GRANTED))

    again = Client()
    log_in(again, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    page = re.sub(r"\s+", " ", again.get("/en/mina-sidor/").content.decode())
    assert 'id="decisions"' in page
    assert 'id="next-payment"' in page
    granted = registers().person_snapshot(identity.principal, identity.personal_number)
    in_force = {d.benefit: d.monthly_amount for d in granted.decisions_in_force(clock.today())}
    shown = {p.part: p.monthly_amount for p in preview.parts if p.monthly_amount > 0}
    assert in_force == {part: Decimal(amount) for part, amount in shown.items()}, "what was shown is what is paid"
    assert granted.payments, "the next payment is planned"
    case = registers().case(identity.principal, identity.personal_number, row.case_id)
    assert case.summary.status == CaseStatus.DECIDED
    with pytest.raises(CaseStateError):
        registers().case_withdraw(identity.principal, identity.personal_number, row.case_id)


def test_an_application_can_be_withdrawn_until_it_is_decided(client: Client) -> None:
    _apply_from_this_month(client)
    _sign(client)
    client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    identity = make_identity(KARIN)
    assert identity.personal_number is not None
    assert row.case_id is not None
    withdrawn = registers().case_withdraw(identity.principal, identity.personal_number, row.case_id, "Ångrat mig")
    assert withdrawn.summary.status == CaseStatus.WITHDRAWN
    with pytest.raises(CaseStateError):
        registers().case_decide(HANDLER, row.case_id, CaseDecision(DecisionOutcome.GRANTED))
