"""Requirement (issue 19): within a permission covering cases, the agent sees one of the citizen's cases with
its messages (each read in the citizen's access log) and notes the call on it; the note is a case event of
its own kind, shown in the citizen's case history in both languages and on the handler's page; the agent
can note only on the citizen's own cases and only within the scope."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.console.tests.support import agent_log_in
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CaseEventKind, CaseSubmission, CaseSummary, CaseType
from minasidor.temporary_access.services import permission_give

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = make_identity("198501139995", given_name="Johan", family_name="Sund")
KARIN = make_identity("196201082697", given_name="Karin", family_name="Lindqvist")
HANDLER = Principal(PrincipalKind.HANDLER, "staff-7")


def question_open(identity: Identity, subject: str = "Min utbetalning", text: str = "Hej") -> CaseSummary:
    assert identity.personal_number is not None
    submission = CaseSubmission(CaseType.GENERAL_QUESTION, f"console-{uuid.uuid4().hex}", subject=subject, message=text)
    return registers().case_submit(identity.principal, identity.personal_number, submission)


NOTE = "Ringde om utbetalningen. Sa att beslut kommer inom två veckor."


def _take(client: Client, scopes: list[str]) -> str:
    given = permission_give(identity=JOHAN, scopes=scopes, minutes=15)
    assert client.post("/kundservice/", {"code": given.code}).status_code == 302
    return str(given.permission.reference)


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_the_agent_sees_the_case_with_its_messages_and_the_read_is_recorded(client: Client) -> None:
    case = question_open(JOHAN, subject="Min utbetalning", text="När kommer pengarna?")
    registers().case_message_answer(HANDLER, case.case_id, "Vi tittar på det.")
    agent_log_in(client)
    reference = _take(client, ["cases"])
    listing = client.get(f"/kundservice/behorighet/{reference}/arenden/").content.decode()
    url = f"/kundservice/behorighet/{reference}/arenden/{case.case_id}/"
    assert url in listing
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = _text(page)
    assert "När kommer pengarna?" in html
    assert "Vi tittar på det." in html
    assert "Från personen" in html
    assert "Från myndigheten" in html
    actions = AccessRecord.objects.filter(subject_ref=pseudonym_for(JOHAN.subject_key), principal_kind="agent")
    assert "console.case_viewed" in set(actions.values_list("action", flat=True))


def test_the_agent_notes_the_call_and_the_citizen_and_the_handler_see_it(client: Client) -> None:
    case = question_open(JOHAN)
    agent_log_in(client)
    reference = _take(client, ["cases"])
    url = f"/kundservice/behorighet/{reference}/arenden/{case.case_id}/"
    response = client.post(url, {"text": NOTE})
    assert response.status_code == 302
    assert response["Location"] == url + "?antecknat=1"
    after = _text(client.get(response["Location"]))
    assert "Samtalet är antecknat i ärendet." in after
    assert NOTE in after
    detail = registers().case(JOHAN.principal, JOHAN.personal_number, case.case_id)  # type: ignore[arg-type]
    assert [e.kind for e in detail.history].count(CaseEventKind.CALL_NOTE) == 1
    handled = registers().case_for_handler(HANDLER, case.case_id)
    assert handled.detail.history[-1].actor_ref == "K1001"
    actions = AccessRecord.objects.filter(subject_ref=pseudonym_for(JOHAN.subject_key), principal_kind="agent")
    assert "console.call_noted" in set(actions.values_list("action", flat=True))

    citizen = Client()
    log_in(citizen, JOHAN)
    swedish = _text(citizen.get(f"/mina-sidor/arenden/{case.case_id}/"))
    assert "Telefonsamtal med kundservice" in swedish
    assert NOTE in swedish
    timeline = swedish.split('id="timeline"', 1)[1].split("</ol>", 1)[0]
    assert NOTE in timeline
    assert "K1001" not in timeline  # the history names customer service, not the agent
    assert "Kim Kundberg (K1001)" in swedish  # the banner: the agent's permission is live
    english = _text(citizen.get(f"/en/mina-sidor/arenden/{case.case_id}/"))
    assert "Telephone call with customer service" in english
    log = _text(citizen.get("/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "antecknade ditt samtal" in log


def test_an_empty_or_too_long_note_is_refused_politely_and_kept(client: Client) -> None:
    case = question_open(JOHAN)
    agent_log_in(client)
    reference = _take(client, ["cases"])
    url = f"/kundservice/behorighet/{reference}/arenden/{case.case_id}/"
    empty = _text(client.post(url, {"text": "  "}))
    assert "Skriv vad samtalet handlade om" in empty
    long_text = "Lång anteckning. " * 130
    too_long = client.post(url, {"text": long_text})
    assert too_long.status_code == 200
    assert "högst 2000 tecken" in _text(too_long)
    assert long_text.strip()[:200] in too_long.content.decode()
    detail = registers().case(JOHAN.principal, JOHAN.personal_number, case.case_id)  # type: ignore[arg-type]
    assert CaseEventKind.CALL_NOTE not in [e.kind for e in detail.history]


def test_another_citizens_case_is_not_found_and_gets_no_note(client: Client) -> None:
    karins = question_open(KARIN)
    agent_log_in(client)
    reference = _take(client, ["cases"])
    url = f"/kundservice/behorighet/{reference}/arenden/{karins.case_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": NOTE}).status_code == 404
    detail = registers().case(KARIN.principal, KARIN.personal_number, karins.case_id)  # type: ignore[arg-type]
    assert CaseEventKind.CALL_NOTE not in [e.kind for e in detail.history]


def test_outside_the_cases_scope_no_note_can_be_made(client: Client) -> None:
    case = question_open(JOHAN)
    agent_log_in(client)
    reference = _take(client, ["overview"])
    url = f"/kundservice/behorighet/{reference}/arenden/{case.case_id}/"
    assert client.post(url, {"text": NOTE}).status_code == 404
    detail = registers().case(JOHAN.principal, JOHAN.personal_number, case.case_id)  # type: ignore[arg-type]
    assert CaseEventKind.CALL_NOTE not in [e.kind for e in detail.history]
