"""Requirement (issue 22.1): "Fullmakter" on Mina sidor — give a power of attorney one question a page and sign
it; see those given and held; end one; act for the grantor in a clearly marked view limited to the scope, every
read in the grantor's log with both identities; an ended power ends the acting at the next request; a
delegate cannot grant further."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from backoffice.casework.models import CaseEvent
from backoffice.notices.models import Notice, NoticeKind
from backoffice.register.models import ContactDetails
from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Principal, PrincipalKind, Purpose
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.services import ACTING_STARTED
from minasidor.delegation.tests.helpers import BENGT, CHILD, KARIN, SARA, grant, signature_of, terms
from minasidor.delegation.types import EndedBy, Scope
from minasidor.identity.session import ACTING_KEY
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import CaseSubmission, CaseType
from minasidor.signing_step.flow import REQUEST_KEY, SIGNATURES_KEY, PendingRequest

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

BASE = "/en/mina-sidor/fullmakter/"


def _karin(client: Client) -> Client:
    log_in(client, make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST"))
    return client


def _sara(client: Client) -> Client:
    log_in(client, make_identity(SARA, given_name="SARA", family_name="NILSSON"))
    return client


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _stand_in_for_signing(client: Client) -> None:
    """The signing step's last move, without BankID: the signature waits in the session for the caller."""
    session = client.session
    document = PendingRequest.from_session(session[REQUEST_KEY]).document
    signature = signature_of(document, signer=KARIN)
    session[SIGNATURES_KEY] = {document.hash_hex: signature.to_session()}
    session.save()


def test_a_grant_is_asked_one_question_a_page_and_signed(client: Client, frozen_clock: clock.FrozenClock) -> None:
    _karin(client)
    page = client.get(BASE)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert "You have not given anyone a power of attorney." in _text(page)
    who = client.get(BASE + "ny/vem/")
    assert '<h1 class="govuk-label-wrapper">' in who.content.decode(), "the question is the page's heading"
    assert client.post(BASE + "ny/vem/", {"delegate": "19910101-2384"})["Location"] == BASE + "ny/vad/"
    what = client.get(BASE + "ny/vad/").content.decode()
    assert 'value="pension"' in what
    assert 'value="forecast"' in what
    assert 'value="apply"' in what, "applying on the person's behalf is offered (decision 0216)"
    assert 'value="cases"' in what, "answering cases is offered"
    assert client.post(BASE + "ny/vad/", {"scopes": ["pension", "forecast"]})["Location"] == BASE + "ny/hur-lange/"
    assert client.post(BASE + "ny/hur-lange/", {"months": "12"})["Location"] == BASE + "ny/sammanfattning/"
    summary = _text(client.get(BASE + "ny/sammanfattning/"))
    assert "19910101-2384" in summary
    assert "From 28 November 2026 until 28 November 2027 (1 year)" in summary
    response = client.post(BASE + "ny/signera/")
    assert response["Location"] == "/en/sign/"
    pending = PendingRequest.from_session(client.session[REQUEST_KEY])
    assert pending.document.content["delegate"] == SARA
    assert "19910101-2384" in pending.document.summary, "the e-ID app shows whom it is given to"
    assert client.get(BASE + "ny/signerad/")["Location"] == BASE, "nothing signed: back to the list, nothing kept"
    assert not PowerOfAttorney.objects.exists()
    _stand_in_for_signing(client)
    assert client.get(BASE + "ny/signerad/")["Location"] == BASE
    power = PowerOfAttorney.objects.get()
    assert power.scope_list == ("pension", "forecast")
    listed = _text(client.get(BASE))
    assert "The power of attorney is given." in listed
    assert "To 19910101-2384" in listed
    assert "In force" in listed


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("", "Enter the personal identity number of the person"),
        ("19910101-2385", "Enter a valid personal identity number"),
        ("19620108-2697", "Enter the number of someone else"),
        (CHILD, "The person must be at least 18 years old"),
    ],
)
def test_a_wrong_number_is_a_polite_error_with_the_field(
    client: Client, frozen_clock: clock.FrozenClock, number: str, error: str
) -> None:
    response = _karin(client).post(BASE + "ny/vem/", {"delegate": number})
    assert response.status_code == 200
    text = _text(response)
    assert error in text
    assert "govuk-error-summary" in text
    assert f'value="{number}"' in text or not number, "what was typed is kept"


def test_the_questions_are_in_swedish_at_the_root(client: Client, frozen_clock: clock.FrozenClock) -> None:
    _karin(client)
    assert "Fullmakter" in _text(client.get("/mina-sidor/fullmakter/"))
    response = client.post("/mina-sidor/fullmakter/ny/vem/", {"delegate": "19910101-2385"})
    assert "Ange ett giltigt personnummer" in _text(response)
    client.post("/mina-sidor/fullmakter/ny/vem/", {"delegate": "19910101-2384"})
    assert "Välj minst en sak" in _text(client.post("/mina-sidor/fullmakter/ny/vad/", {}))


def test_the_delegate_acts_for_the_grantor_within_the_scope_and_the_grantor_sees_it(
    client: Client, demo_backoffice: None, frozen_clock: clock.FrozenClock
) -> None:
    karin = make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST")
    ContactDetails.objects.filter(person__personal_number=KARIN).update(
        email="karin@example.se", email_confirmed=True, phone="+46 70 123 45 67", notice_choice="email"
    )
    power = grant(karin)
    _sara(client)
    listed = _text(client.get(BASE))
    assert "From Karin Lindqvist" in listed or "From KARIN LINDQVIST" in listed
    response = client.post(BASE + "agera/", {"reference": str(power.reference)})
    assert response["Location"] == "/en/mina-sidor/"
    told = Notice.objects.filter(person__personal_number=KARIN, kind=NoticeKind.DELEGATE_SESSION)
    assert list(told.values_list("channel", flat=True)) == ["email"], "told by the channel she chose, once"
    frozen_clock.advance(dt.timedelta(minutes=1))
    client.post(BASE + "sluta-agera/")
    client.post(BASE + "agera/", {"reference": str(power.reference)})  # acting again in the same session
    assert told.count() == 1, "the same session tells her once"
    home = client.get("/en/mina-sidor/")
    assert home.status_code == 200
    text = _text(home)
    assert "You are acting for KARIN LINDQVIST" in text, "the banner on every page"
    assert 'id="earned-pension"' in text, "the grantor's overview"
    menu = re.search(r'<ul class="govuk-list" id="menu-navigation">(.*?)</ul>', text)
    assert menu is not None
    assert sorted(re.findall(r'href="([^"]+)"', menu[1])) == [
        "/en/mina-sidor/pension/prognos/",
        "/en/mina-sidor/tjanste-och-privat-pension/",
    ], "the menu lists only what the power opens"
    forecast = client.get("/en/mina-sidor/pension/prognos/")
    assert forecast.status_code == 200
    assert "You are acting for" in _text(forecast)

    for refused in ("/en/mina-sidor/ansok/", "/en/mina-sidor/arenden/", "/en/mina-sidor/vem-har-sett-mina-uppgifter/"):
        page = client.get(refused)
        assert page.status_code == 403, refused
        assert "This page is not covered by the power of attorney" in _text(page)
    assert client.get(BASE).status_code == 403, "no managing of powers while acting"
    assert client.post(BASE + "ny/vem/", {"delegate": "19580108-2743"}).status_code == 403, "no further delegation"

    records = AccessRecord.objects.filter(subject_ref=pseudonym_for(f"se:{KARIN}"), principal_kind="delegate")
    sara_ref = pseudonym_for(f"se:{SARA}")
    assert records.exists()
    assert set(records.values_list("principal_ref", flat=True)) == {sara_ref}, "both identities in every record"
    assert not AccessRecord.objects.filter(subject_ref=sara_ref, action__startswith="pension").exists()

    client.post(BASE + "sluta-agera/")
    assert ACTING_KEY not in client.session
    assert client.get(BASE).status_code == 200, "her own pages again"

    grantor = Client()
    _karin(grantor)
    log = _text(grantor.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "Sara Nilsson, whom you gave a power of attorney" in log, "the log names which delegate"
    assert "A person you gave a power of attorney" not in log
    assert "Someone used Mina sidor for you with your power of attorney" in log


def test_an_ended_power_ends_the_acting_at_the_next_request(
    client: Client, demo_backoffice: None, frozen_clock: clock.FrozenClock
) -> None:
    karin = make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST")
    power = grant(karin)
    _sara(client)
    client.post(BASE + "agera/", {"reference": str(power.reference)})
    assert client.get("/en/mina-sidor/").status_code == 200

    grantor = Client()
    _karin(grantor)
    assert grantor.post(BASE + "avsluta/", {"reference": str(power.reference)})["Location"] == BASE
    power.refresh_from_db()
    assert power.ended_by == EndedBy.GRANTOR

    page = client.get("/en/mina-sidor/")
    assert page.status_code == 403
    text = _text(page)
    assert "The power of attorney has ended" in text
    assert "earned-pension" not in text
    assert "acting for" not in text
    assert ACTING_KEY not in client.session
    assert client.post(BASE + "agera/", {"reference": str(power.reference)})["Location"] == BASE, "cannot start again"
    assert ACTING_KEY not in client.session


def test_the_delegate_gives_it_back_and_others_cannot_touch_it(client: Client, frozen_clock: clock.FrozenClock) -> None:
    power = grant(make_identity(KARIN))
    stranger = Client()
    log_in(stranger, make_identity("195801082743"))
    stranger.post(BASE + "avsluta/", {"reference": str(power.reference)})
    assert stranger.post(BASE + "agera/", {"reference": str(power.reference)})["Location"] == BASE
    assert ACTING_KEY not in stranger.session
    power.refresh_from_db()
    assert power.ended_at is None
    _sara(client).post(BASE + "avsluta/", {"reference": str(power.reference)})
    power.refresh_from_db()
    assert power.ended_by == EndedBy.DELEGATE


def test_a_delegate_with_the_cases_scope_answers_but_cannot_withdraw_or_open_new_cases(
    client: Client, demo_backoffice: None, frozen_clock: clock.FrozenClock
) -> None:
    karin = make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST")
    assert karin.personal_number is not None
    submission = CaseSubmission(
        case_type=CaseType.GENERAL_QUESTION,
        idempotency_key="test-delegation-question",
        subject="Min utbetalning",
        message="När kommer pengarna?",
    )
    case = registers().case_submit(karin.principal, karin.personal_number, submission)
    power = grant(karin, terms(scopes=(Scope.CASES,)))
    _sara(client)
    assert client.post(BASE + "agera/", {"reference": str(power.reference)})["Location"] == "/en/mina-sidor/arenden/"
    cases = _text(client.get("/en/mina-sidor/arenden/"))
    assert "You are acting for KARIN LINDQVIST" in cases
    assert "Min utbetalning" in cases
    detail = f"/en/mina-sidor/arenden/{case.case_id}/"
    assert client.get(detail).status_code == 200
    sent = client.post(detail, {"action": "message", "message-text": "Jag hjälper mamma med frågan."})
    assert sent.status_code == 302
    before = CaseEvent.objects.filter(case__public_id=case.case_id).count()
    withdrawn = client.post(detail, {"action": "withdraw", "withdraw-reason": "Inte längre aktuellt."})
    assert withdrawn.status_code == 403, "answering is in the scope, withdrawing is not"
    assert CaseEvent.objects.filter(case__public_id=case.case_id).count() == before
    assert client.get("/en/mina-sidor/arenden/ny-fraga/").status_code == 403
    assert client.get("/en/mina-sidor/").status_code == 403, "the pension is not in this power"

    events = CaseEvent.objects.filter(case__public_id=case.case_id).order_by("sequence")
    last = events.last()
    assert last is not None
    assert (last.actor_kind, last.actor_ref) == ("delegate", pseudonym_for(f"se:{SARA}")), "the delegate wrote it"
    history = _text(client.get(detail))
    assert "Jag hjälper mamma med frågan." in history


def test_the_grantor_log_names_each_delegate_and_no_one_elses(
    client: Client, demo_backoffice: None, frozen_clock: clock.FrozenClock
) -> None:
    """Decision 0215: the grantor reads which delegate it was (the name their own e-ID gave, else the number
    the grantor gave the power to); a person who gave no power to that delegate is not told their name."""
    karin = make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST")
    to_sara = grant(karin)
    to_bengt = grant(karin, terms(delegate=BENGT))
    _sara(client)
    client.post(BASE + "agera/", {"reference": str(to_sara.reference)})
    assert client.get("/en/mina-sidor/").status_code == 200
    # Bengt's power is used by a record written before names were kept: his number stands for him.
    access_record_create(
        principal=Principal(kind=PrincipalKind.DELEGATE, ref=to_bengt.delegate_ref),
        subject_key=f"se:{KARIN}",
        action=ACTING_STARTED,
        purpose=Purpose.POWER_OF_ATTORNEY,
    )

    log = _text(_karin(Client()).get("/en/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "Sara Nilsson, whom you gave a power of attorney" in log
    assert "19580108-2743, whom you gave a power of attorney" in log

    # Another person's log with a record by Sara (no power from them to her) names no one.
    bengt = make_identity(BENGT, given_name="Bengt", family_name="Ek")
    access_record_create(
        principal=Principal(kind=PrincipalKind.DELEGATE, ref=to_sara.delegate_ref),
        subject_key=bengt.subject_key,
        action=ACTING_STARTED,
        purpose=Purpose.POWER_OF_ATTORNEY,
    )
    other = Client()
    log_in(other, bengt)
    text = _text(other.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "Sara Nilsson" not in text
    assert "A person you gave a power of attorney" in text
