"""Requirement (issue 16.7): a pensioner changes their withdrawal — one question per page, a summary whose
amounts are the engine's, signed through the signing step by the logged-in person only, sent exactly once as a
case of change of withdrawal with a receipt, and once a handler grants it the overview shows the new next
payment. Offered only to people with a pension in payment."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from kernel import clock
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.applications.tests.test_receipt import _pyhanko_accepts
from minasidor.applications.withdrawal_views import DRAFT_KEY
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.session import identity_login
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CaseDecision, CaseType, DecisionOutcome
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.tests.factories import signing_stood_in
from pension_engine.applied import IncomeHistory, PartChoice, withdrawal_amounts

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension", "seal"),
]

BENGT = "195801082743"  # draws income and premium pension since 2023
KARIN = "196201082697"  # does not draw her pension yet
OTHER = "191212121212"
BASE = "/mina-sidor/ansok/andra-uttag/"
HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="staff-16")


def _bengt(client: Client) -> Client:
    log_in(client, make_identity(BENGT, given_name="Bengt", family_name="Ek"))
    return client


def _answer_half_income_pension_from_december(client: Client) -> None:
    assert client.post(BASE + "andring/", {"change": "share"})["Location"] == BASE + "delar/"
    assert client.post(BASE + "delar/", {"parts": ["income_pension"]})["Location"] == BASE + "andel/"
    assert client.post(BASE + "andel/", {"share": "50"})["Location"] == BASE + "fran-manad/"
    assert client.post(BASE + "fran-manad/", {"from_month": "2026-12"})["Location"] == BASE + "sammanfattning/"


def _sign(client: Client, signer: str = BENGT) -> SignableDocument:
    """Press "Sign", and stand in for the signing step: the signature waits in the session for the caller."""
    response = client.post(BASE + "skriv-under/")
    assert response["Location"] == "/sign/"
    return signing_stood_in(client, signer=signer)


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_someone_without_a_pension_in_payment_is_told_so(client: Client) -> None:
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    page = client.get(BASE).content.decode()
    assert 'id="unavailable-none"' in page
    assert client.get(BASE + "andring/").status_code == 200
    assert 'name="change"' not in client.get(BASE + "andring/").content.decode()


def test_the_start_page_shows_the_withdrawal_now_and_the_menu_offers_it(client: Client) -> None:
    page = _bengt(client).get(BASE).content.decode()
    assert 'id="drawn-now"' in page
    overview = client.get("/mina-sidor/").content.decode()
    assert 'href="/mina-sidor/ansok/andra-uttag/"' in overview


def test_a_bad_answer_is_refused_politely_and_a_later_page_first_goes_back(client: Client) -> None:
    _bengt(client)
    assert client.get(BASE + "andel/")["Location"] == BASE + "andring/"
    client.post(BASE + "andring/", {"change": "share"})
    client.post(BASE + "delar/", {"parts": ["income_pension"]})
    page = client.post(BASE + "andel/", {"share": "33"}).content.decode()
    assert "govuk-error-summary" in page
    page = client.post(BASE + "fran-manad/", {"from_month": "2020-01"}).content.decode()
    assert client.get(BASE + "fran-manad/").status_code == 302 or "govuk-error-summary" in page


def test_the_summary_shows_the_engines_amounts(client: Client) -> None:
    _answer_half_income_pension_from_december(_bengt(client))
    page = client.get(BASE + "sammanfattning/").content.decode()
    identity = make_identity(BENGT)
    assert identity.personal_number is not None
    snapshot = registers().person_snapshot(identity.principal, identity.personal_number)
    history = IncomeHistory.of_years(
        snapshot.person.birth_date,
        [
            (r.year, float(r.income), float(r.income_pension_right), float(r.premium_pension_right))
            for r in snapshot.incomes
        ],
    )
    decided = sorted(snapshot.decisions, key=lambda d: d.payable_from)
    since = {d.benefit: d.payable_from for d in reversed(decided)}
    drawn = {
        "income_pension": PartChoice("income_pension", since["income_pension"], 50),
        "premium_pension": PartChoice("premium_pension", since["premium_pension"], 100),
    }
    rate = snapshot.customer_records.tax_settings
    assert rate is not None
    expected = withdrawal_amounts(
        history,
        drawn,
        guarantee=False,
        years=[2026],
        married=True,
        residence_years=float(snapshot.person.residence_years),
        municipal_tax_rate=float(rate.municipal_tax_rate) / 100,
    )
    after = re.search(r'data-after="income_pension">([^<]+)<', page)
    before = re.search(r'data-before="income_pension">([^<]+)<', page)
    assert after is not None
    assert before is not None
    assert _number(after.group(1)) == round(expected["income_pension"][2026]) > 0
    assert _number(after.group(1)) < _number(before.group(1))
    premium_before = re.search(r'data-before="premium_pension">([^<]+)<', page)
    premium_after = re.search(r'data-after="premium_pension">([^<]+)<', page)
    assert premium_before is not None
    assert premium_after is not None
    assert premium_before.group(1) == premium_after.group(1), "the part not changed stays as paid"
    assert page.count('href="/mina-sidor/ansok/andra-uttag/') >= 3, "a change link per answer"


def test_signing_twice_gives_one_case_with_a_sealed_receipt(client: Client) -> None:
    _answer_half_income_pension_from_december(_bengt(client))
    document = _sign(client)
    assert b'"kind":"withdrawal-change"' in document.canonical
    first = client.get(BASE + "underskriven/")
    again = client.get(BASE + "underskriven/")  # a reload
    assert first["Location"] == again["Location"]
    (row,) = SignedApplication.objects.all()
    assert (row.case_type, row.status) == (CaseType.WITHDRAWAL_CHANGE, SubmissionStatus.SENT)
    identity = make_identity(BENGT)
    assert identity.personal_number is not None
    cases = registers().cases(identity.principal, identity.personal_number)
    assert [case.case_type for case in cases] == [CaseType.WITHDRAWAL_CHANGE]
    receipt = client.get(f"/mina-sidor/ansok/ansokan/{row.pk}/kvitto.pdf")
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF-")
    assert _pyhanko_accepts(receipt.content)
    case_page = client.get(f"/mina-sidor/arenden/{row.case_id}/").content.decode()
    link = re.search(r'href="([^"]+)" id="receipt-link"', case_page)
    assert link is not None, "the case page links the change's receipt"
    assert client.get(link.group(1))["Location"] == f"/mina-sidor/ansok/ansokan/{row.pk}/kvitto.pdf"


def test_the_received_page_speaks_of_a_change_not_an_application_in_both_languages(client: Client) -> None:
    _answer_half_income_pension_from_december(_bengt(client))
    _sign(client)
    location = client.get(BASE + "underskriven/")["Location"]
    words = {
        SubmissionStatus.SENT: ("Ändringen har kommit in", "Din underskrivna ändring kom fram", "Change received"),
        SubmissionStatus.PENDING: (
            "Din ändring är signerad men inte skickad än",
            "Din underskrivna ändring är säkert sparad",
            "Your signed change is kept safely",
        ),
        SubmissionStatus.REFUSED: (
            "Din ändring kunde inte registreras",
            "Din underskrivna ändring är sparad, men handläggningen kunde inte registrera den",
            "Your change could not be registered",
        ),
    }
    for status, (heading, line, english) in words.items():
        SignedApplication.objects.update(status=status)
        swedish = re.sub(r"\s+", " ", client.get(location).content.decode())
        assert heading in swedish, status
        assert line in swedish, status
        assert "ansökan" not in swedish.split('id="main-content"')[1].lower(), status
        assert english in re.sub(r"\s+", " ", client.get("/en" + location).content.decode()), status


def test_a_signature_by_someone_else_is_refused(client: Client) -> None:
    _answer_half_income_pension_from_december(_bengt(client))
    _sign(client, signer=OTHER)
    response = client.get(BASE + "underskriven/")
    assert response["Location"] == BASE + "sammanfattning/"
    assert not SignedApplication.objects.exists()


def test_a_granted_change_shows_the_new_next_payment_on_the_overview(client: Client) -> None:
    _answer_half_income_pension_from_december(_bengt(client))
    summary = client.get(BASE + "sammanfattning/").content.decode()
    total = re.search(r'data-after="total"><strong>([^<]+)<', summary)
    assert total is not None
    _sign(client)
    client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert row.case_id is not None
    registers().case_handling_start(HANDLER, row.case_id)
    registers().case_decide(HANDLER, row.case_id, CaseDecision(DecisionOutcome.GRANTED))

    again = _bengt(Client())
    identity = make_identity(BENGT)
    assert identity.personal_number is not None
    snapshot = registers().person_snapshot(identity.principal, identity.personal_number)
    upcoming = [p for p in snapshot.payments if not p.paid]
    assert upcoming[0].gross == _number(total.group(1)), "the next payment is what the summary said"
    page = re.sub(r"\s+", " ", again.get("/mina-sidor/").content.decode())
    shown = re.search(r'id="next-payment">([^<]+)<', page)
    assert shown is not None
    assert str(_number(f"{upcoming[0].net:.0f}")) in re.sub(r"\D", "", shown.group(1))


def _log_in_again(client: Client, identity: Identity) -> None:
    """A new login in the browser's session that timed out (as a login method does: the session kept)."""
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    identity_login(request, identity)
    request.session.save()
    assert request.session.session_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key


def test_after_a_timeout_the_question_and_the_whole_draft_come_back_to_the_same_person(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    bengt = make_identity(BENGT, given_name="Bengt", family_name="Ek")
    log_in(client, bengt)
    assert client.post(BASE + "andring/", {"change": "share"})["Location"] == BASE + "delar/"
    assert client.post(BASE + "delar/", {"parts": ["income_pension"]})["Location"] == BASE + "andel/"
    assert client.post(BASE + "andel/", {"share": "50"})["Location"] == BASE + "fran-manad/"
    page = client.get(BASE + "fran-manad/").content.decode()
    token = re.search(r'name="utkast" value="([^"]+)"', page)
    assert token is not None
    frozen_clock.advance(dt.timedelta(minutes=16))
    timed_out = client.post(BASE + "fran-manad/", {"from_month": "2026-12", "utkast": token.group(1)})
    assert timed_out.status_code in (302, 401, 403), "the session has ended"
    assert DRAFT_KEY not in client.session

    _log_in_again(client, bengt)
    again = client.get(BASE + "fran-manad/")
    assert again.status_code == 200, "the page, not the first question"
    assert re.search(r'value="2026-12"[^>]*(checked|selected)', again.content.decode()), "the answer being sent"
    assert client.session[DRAFT_KEY] == {"change": "share", "parts": ["income_pension"], "share": 50}
    assert client.post(BASE + "fran-manad/", {"from_month": "2026-12"})["Location"] == BASE + "sammanfattning/"


def test_a_draft_signed_for_someone_else_is_not_taken_after_a_timeout(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    from minasidor.applications.withdrawal_views import _draft_token  # noqa: PLC0415

    bengt = make_identity(BENGT, given_name="Bengt", family_name="Ek")
    log_in(client, bengt)
    foreign = _draft_token(make_identity(OTHER), {"change": "stop", "parts": ["income_pension"]})
    client.get(BASE)
    frozen_clock.advance(dt.timedelta(minutes=16))
    client.post(BASE + "andring/", {"change": "stop", "utkast": foreign})
    _log_in_again(client, bengt)
    client.get(BASE + "andring/")
    assert not client.session.get(DRAFT_KEY), "another person's draft is not taken"
