"""Requirement (issue 16.4): a signed application opens exactly one case whatever the citizen does — double
click, reload, back, two tabs, two sessions — and one the back office cannot take right now is kept, shown as
not yet sent (never as sent), and sent by the background task once the back office answers, still once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from kernel import clock
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.applications.services import signed_applications_send_due
from minasidor.applications.tasks import signed_applications_send
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import SIGNATURES_KEY, Signature
from minasidor.signing_step.tests.factories import signing_stood_in

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension"),
]

KARIN = "196201082697"
BASE = "/en/mina-sidor/ansok/"
# The received page: the session, the signed application and its access record, and the case from the back office.
PORTAL_BUDGET = 8
BACKOFFICE_BUDGET = 10


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _karin(client: Client) -> Client:
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    return client


def _fill(client: Client) -> None:
    client.post(BASE + "delar/", {"parts": ["income_pension", "premium_pension"]})
    client.post(BASE + "inkomstpension/", {"start_month": "2027-01", "share": "100"})
    client.post(BASE + "premiepension/", {"start_month": "2027-01", "share": "100"})
    client.post(BASE + "civilstand/", {"civil_status": "married"})
    client.post(BASE + "efterlevandeskydd/", {"survivor_protection": "no"})
    client.post(BASE + "bosattning/", {"living_abroad": "no"})
    client.post(BASE + "skatt/", {"tax_kind": "table"})
    response = client.post(BASE + "konto/", {"clearing_number": "5000", "account_number": "1000004"})
    assert response["Location"].endswith("/sammanfattning/")


def _sign(client: Client, *, signature: str = "c2lnbmF0dXJl") -> SignableDocument:
    """Press "Sign", and stand in for the signing step: the signature waits in the session for the caller."""
    response = client.post(BASE + "skriv-under/")
    assert response.status_code == 302
    assert response["Location"] == "/en/sign/"
    return signing_stood_in(client, signer=KARIN, signature=signature)


def _cases() -> int:
    identity = make_identity(KARIN)
    assert identity.personal_number is not None
    return len(registers().cases(identity.principal, identity.personal_number))


class Unreachable:
    """The registers with the back office not answering case submissions (``store``: it stores the case, but
    the answer is lost on the way back — a timeout between saving and the portal hearing of it)."""

    def __init__(self, *, store: bool = False) -> None:
        self.real = registers()
        self.store = store
        self.calls = 0

    def case_submit(self, *args: Any) -> Any:
        self.calls += 1
        if self.store:
            self.real.case_submit(*args)
        raise RegistersUnavailableError("case_submit")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_the_document_signed_is_the_application_with_a_plain_summary(client: Client) -> None:
    _fill(_karin(client))
    document = _sign(client)
    content = document.content
    assert content["applicant"] == KARIN
    assert [p["benefit"] for p in content["parts"]] == ["income_pension", "premium_pension"]
    assert content["payment_account"] == {
        "kind": "swedish",
        "bank_name": "SEB",
        "clearing_number": "5000",
        "account_number": "1000004",
    }
    assert document.summary.startswith("# Application for old-age pension")
    assert "Income pension: 100 per cent from January 2027" in document.summary


def test_a_signed_application_opens_one_case_and_is_shown_as_received(client: Client) -> None:
    _fill(_karin(client))
    _sign(client)
    response = client.get(BASE + "underskriven/")
    assert response.status_code == 302
    row = SignedApplication.objects.get()
    assert row.status == SubmissionStatus.SENT
    assert response["Location"].endswith(f"/ansokan/{row.pk}/")
    page = _text(client.get(response["Location"]))
    assert 'id="received"' in page
    assert 'id="expected-decision"' in page
    assert _cases() == 1
    assert client.session.get("applications.draft") is None, "the draft is dropped once signed"


def test_reload_back_and_a_double_click_give_exactly_one_case(client: Client) -> None:
    _fill(_karin(client))
    _sign(client)
    first = client.get(BASE + "underskriven/")
    again = client.get(BASE + "underskriven/")  # reload, or back and forward again
    assert again["Location"] == first["Location"]
    assert SignedApplication.objects.count() == 1
    assert _cases() == 1


def test_the_same_application_signed_twice_in_two_tabs_or_sessions_is_one_case(client: Client) -> None:
    _fill(_karin(client))
    _sign(client)
    tab = Client()
    _fill(_karin(tab))
    _sign(tab, signature="YW5vdGhlciBzaWduYXR1cmU=")  # the same answers signed again elsewhere
    first = client.get(BASE + "underskriven/")
    second = tab.get(BASE + "underskriven/")
    assert first["Location"] == second["Location"]
    assert SignedApplication.objects.count() == 1
    assert _cases() == 1


def test_a_back_office_down_keeps_the_application_never_shows_it_as_sent_and_sends_it_later(
    client: Client, monkeypatch: pytest.MonkeyPatch, frozen_clock: clock.FrozenClock
) -> None:
    down = Unreachable()
    monkeypatch.setattr("minasidor.applications.services.registers", lambda: down)
    _fill(_karin(client))
    _sign(client)
    location = client.get(BASE + "underskriven/")["Location"]
    page = _text(client.get(location))
    assert 'id="not-yet-sent"' in page
    assert 'id="received"' not in page
    assert SignedApplication.objects.get().status == SubmissionStatus.PENDING
    assert _cases() == 0
    assert signed_applications_send_due() == {"sent": 0, "pending": 0, "refused": 0}, "not due yet"
    frozen_clock.advance(dt.timedelta(minutes=1))
    assert signed_applications_send_due()["pending"] == 1, "still down: kept, tried later"
    monkeypatch.setattr("minasidor.applications.services.registers", registers)
    frozen_clock.advance(dt.timedelta(minutes=2))
    signed_applications_send.call()
    assert SignedApplication.objects.get().status == SubmissionStatus.SENT
    assert _cases() == 1
    assert 'id="received"' in _text(client.get(location))
    frozen_clock.advance(dt.timedelta(hours=2))
    assert signed_applications_send_due() == {"sent": 0, "pending": 0, "refused": 0}, "a sent one is not sent again"
    assert _cases() == 1


def test_a_lost_answer_between_saving_and_the_portal_hearing_of_it_still_gives_one_case(
    client: Client, monkeypatch: pytest.MonkeyPatch, frozen_clock: clock.FrozenClock
) -> None:
    lost = Unreachable(store=True)
    monkeypatch.setattr("minasidor.applications.services.registers", lambda: lost)
    _fill(_karin(client))
    _sign(client)
    location = client.get(BASE + "underskriven/")["Location"]
    assert 'id="not-yet-sent"' in _text(client.get(location))
    assert _cases() == 1, "the back office saved it; the portal did not hear"
    monkeypatch.setattr("minasidor.applications.services.registers", registers)
    client.post(location + "skicka-igen/")  # the person tries again
    row = SignedApplication.objects.get()
    assert row.status == SubmissionStatus.SENT
    assert _cases() == 1
    assert row.case_id is not None


def test_another_persons_signed_application_is_not_found(client: Client) -> None:
    _fill(_karin(client))
    _sign(client)
    location = client.get(BASE + "underskriven/")["Location"]
    other = Client()
    log_in(other, make_identity("198501139995"))
    assert other.get(location).status_code == 404
    assert other.post(location + "skicka-igen/").status_code == 404


def test_a_refused_application_is_said_so_and_kept(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.CUSTOMER_SERVICE_PHONE = "0771-000 111"
    _fill(_karin(client))
    document = _sign(client)
    session = client.session
    stored = session[SIGNATURES_KEY][document.hash_hex]
    stored["evidence"]["signer_identifier"] = "198501139995"  # the back office refuses another signer
    session.save()
    location = client.get(BASE + "underskriven/")["Location"]
    page = _text(client.get(location))
    assert 'id="refused"' in page
    assert "you can also call us on 0771-000 111." in page, "the customer-service number of the settings"
    assert SignedApplication.objects.get().status == SubmissionStatus.REFUSED
    assert _cases() == 0


def test_without_a_signature_the_return_page_leads_back_to_the_summary(client: Client) -> None:
    _fill(_karin(client))
    client.post(BASE + "skriv-under/")
    response = client.get(BASE + "underskriven/")
    assert response["Location"].endswith("/sammanfattning/")
    assert SignedApplication.objects.count() == 0
    assert dataclasses.is_dataclass(Signature)


def test_the_received_page_stays_within_its_query_budget(client: Client) -> None:
    _fill(_karin(client))
    _sign(client)
    location = client.get(BASE + "underskriven/")["Location"]
    with (
        CaptureQueriesContext(connections["default"]) as portal,
        CaptureQueriesContext(connections["backoffice"]) as backoffice,
    ):
        assert client.get(location).status_code == 200
    assert len(portal) <= PORTAL_BUDGET, [q["sql"] for q in portal.captured_queries]
    assert len(backoffice) <= BACKOFFICE_BUDGET, [q["sql"] for q in backoffice.captured_queries]
