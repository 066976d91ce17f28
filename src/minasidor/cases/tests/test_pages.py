"""Requirement (issue 18.1, 18.2): My cases shows every case of the citizen, open and closed, with its type,
status in words, expected decision date, a timeline of its history and what happens next; the citizen writes
in a case, answers a completion request, asks a new question and withdraws an application — and another
citizen can neither see nor write in it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kernel import clock
from kernel.personal_number import PersonalNumber
from kernel.tests.sample_files import EICAR, WINDOWS_PROGRAM, image_bytes, pdf_bytes
from minasidor.audit.models import AccessRecord
from minasidor.cases.selectors import ATTACHMENT_VIEWED, CASE_VIEWED, CASES_VIEWED
from minasidor.cases.services import MESSAGE_SENT, QUESTION_ASKED
from minasidor.cases.tests.factories import HANDLER, completion_ask, question_open
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CaseStatus, RegistersUnavailableError

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

KARIN = "196201082697"
KARIN_NUMBER = PersonalNumber(KARIN)
JOHAN = "198501139995"
LIST = "/mina-sidor/arenden/"
QUESTION = "/mina-sidor/arenden/ny-fraga/"


def _identity(number: str = KARIN) -> Identity:
    return make_identity(number, given_name="Karin", family_name="Test")


def _client(identity: Identity) -> Client:
    client = Client()
    log_in(client, identity)
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _detail(case_id: uuid.UUID, lang: str = "") -> str:
    return f"{lang}/mina-sidor/arenden/{case_id}/"


def _post(client: Client, case_id: uuid.UUID, action: str, **fields: str) -> Any:
    data = {f"{action}-{name}": value for name, value in fields.items()} | {"action": action}
    return client.post(_detail(case_id), data)


def test_the_list_shows_open_and_ended_cases_with_status_in_words_in_both_languages() -> None:
    karin = _identity()
    open_case = question_open(karin, subject="Min utbetalning i mars")
    ended = question_open(karin, subject="Gammal fråga")
    registers().case_close(HANDLER, ended.case_id, "Besvarad i telefon.")
    client = _client(karin)
    page = _text(client.get(LIST))
    assert "Mina ärenden" in page
    assert "Min utbetalning i mars" in page
    open_part, ended_part = page.split('id="ended-cases"')
    assert str(open_case.case_id) in open_part
    assert "Inkommet" in open_part
    assert "Vi räknar med att svara senast" in open_part
    assert str(ended.case_id) in ended_part
    assert "Avslutat" in ended_part
    english = _text(client.get("/en" + LIST))
    assert "My cases" in english
    assert "Received" in english
    assert "Closed" in english
    assert AccessRecord.objects.filter(action=CASES_VIEWED.name).count() == 2


def test_no_cases_is_said_and_the_question_offered() -> None:
    page = _text(_client(_identity(JOHAN)).get(LIST))
    assert 'id="no-open-cases"' in page
    assert 'href="/mina-sidor/arenden/ny-fraga/"' in page


def test_a_back_office_that_does_not_answer_is_said_never_shown_as_no_cases() -> None:
    client = _client(_identity())
    with mock.patch.object(type(registers()), "cases", side_effect=RegistersUnavailableError("down")):
        page = _text(client.get("/en" + LIST))
    assert "could not be fetched right now" in page
    assert 'id="no-open-cases"' not in page


def test_a_person_without_a_swedish_number_is_told_how_instead() -> None:
    client = _client(make_foreign_identity())
    assert 'id="no-number"' in _text(client.get(LIST))
    assert client.get(QUESTION)["Location"] == LIST


def test_a_question_is_sent_once_however_often_the_form_is_sent() -> None:
    karin = _identity()
    client = _client(karin)
    form = client.get(QUESTION)
    submission_id = form.context["form"]["submission_id"].value()
    data = {"subject": "Skatt", "message": "Varför drogs mer skatt i år?", "submission_id": submission_id}
    first = client.post(QUESTION, data)
    second = client.post(QUESTION, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len(registers().cases(karin.principal, KARIN_NUMBER)) == 1
    page = _text(client.get(first["Location"]))
    assert "Varför drogs mer skatt i år?" in page
    assert "Frågan har skickats" in page
    assert AccessRecord.objects.filter(action=QUESTION_ASKED.name).count() == 2


def test_a_question_without_text_is_refused_with_the_reason_at_the_field() -> None:
    client = _client(_identity())
    form = client.get("/en" + QUESTION)
    response = client.post(
        "/en" + QUESTION, {"subject": "", "message": "", "submission_id": form.context["form"]["submission_id"].value()}
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Write what your question is about" in page
    assert "Write your question" in page
    assert 'class="govuk-error-summary"' in page


def test_one_case_shows_its_timeline_what_happens_next_and_messages_escaped() -> None:
    karin = _identity()
    case = question_open(karin, subject="<b>Ämne</b>", text="<script>alert(1)</script>\nrad två")
    registers().case_handling_start(HANDLER, case.case_id)
    registers().case_message_answer(HANDLER, case.case_id, "Svar från oss <i>kursiv</i>")
    client = _client(karin)
    page = _text(client.get(_detail(case.case_id)))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>rad två" in page
    assert "&lt;b&gt;Ämne&lt;/b&gt;" in page
    assert "Svar från oss &lt;i&gt;kursiv&lt;/i&gt;" in page
    assert 'data-status="in_progress"' in page
    assert "En handläggare arbetar med ditt ärende" in page
    timeline = page.split('id="timeline"')[1]
    assert timeline.index('data-sequence="4"') < timeline.index('data-sequence="1"'), "newest first"
    assert "Under handläggning" in timeline
    assert "Meddelande från myndigheten" in timeline
    assert "Handläggare på myndigheten" in timeline
    assert "staff-7" not in page, "the handler's staff id is the authority's own"
    assert AccessRecord.objects.filter(action=CASE_VIEWED.name).count() == 1


def test_the_citizen_writes_in_the_case_and_sees_the_message() -> None:
    karin = _identity()
    case = question_open(karin)
    client = _client(karin)
    response = _post(client, case.case_id, "message", text="Jag vill också fråga om skatten.")
    assert response.status_code == 302
    assert response["Location"] == _detail(case.case_id)
    page = _text(client.get(_detail(case.case_id)))
    assert "Jag vill också fråga om skatten." in page
    assert "Ditt meddelande har skickats." in page
    assert AccessRecord.objects.filter(action=MESSAGE_SENT.name).count() == 1


def test_an_empty_message_is_refused_at_its_field() -> None:
    karin = _identity()
    case = question_open(karin)
    response = _post(_client(karin), case.case_id, "message", text="  ")
    assert response.status_code == 200
    assert "Skriv ditt meddelande" in _text(response)
    assert len(registers().case(karin.principal, KARIN_NUMBER, case.case_id).messages) == 1


def test_a_completion_request_is_shown_until_answered(frozen_clock: clock.FrozenClock) -> None:
    karin = _identity()
    case = question_open(karin)
    completion_ask(case.case_id, text="Skicka ditt kontonummer.")
    client = _client(karin)
    page = _text(client.get(_detail(case.case_id)))
    assert 'id="completion-request"' in page
    assert "Skicka ditt kontonummer." in page
    assert "senast 12 december 2026" in page
    assert 'id="message-form"' not in page
    assert _post(client, case.case_id, "completion", text="Det är 8327-9 12345678.").status_code == 302
    page = _text(client.get(_detail(case.case_id)))
    assert 'id="completion-request"' not in page
    assert 'data-status="in_progress"' in page
    assert "Komplettering inskickad" in page


def test_a_late_case_says_so_and_that_nothing_is_needed(frozen_clock: clock.FrozenClock) -> None:
    karin = _identity()
    case = question_open(karin)
    frozen_clock.advance(dt.timedelta(days=11))
    page = _text(_client(karin).get("/en" + _detail(case.case_id)))
    assert 'id="late"' in page
    assert "We are sorry for the wait" in page


def test_an_application_may_be_withdrawn_until_decided_a_question_not() -> None:
    karin = _identity()
    case = question_open(karin)
    page = _text(_client(karin).get(_detail(case.case_id)))
    assert 'id="withdraw"' not in page, "a question is closed by the authority, not withdrawn"


def test_a_decided_case_shows_the_decision_and_its_reasons() -> None:
    karin = _identity()
    case = question_open(karin)
    registers().case_close(HANDLER, case.case_id, "Vi har svarat dig i telefon.")
    page = _text(_client(karin).get("/en" + _detail(case.case_id)))
    assert 'data-status="closed"' in page
    assert "The case is closed" in page
    assert "Vi har svarat dig i telefon." in page
    assert 'id="message-form"' not in page


def test_another_citizen_can_neither_see_nor_write_nor_answer_in_the_case() -> None:
    karin = _identity()
    case = question_open(karin)
    completion_ask(case.case_id)
    intruder = _client(_identity(JOHAN))
    assert intruder.get(_detail(case.case_id)).status_code == 404
    assert _post(intruder, case.case_id, "message", text="Hej").status_code == 404
    assert _post(intruder, case.case_id, "completion", text="Här").status_code == 404
    assert _post(intruder, case.case_id, "withdraw", reason="").status_code == 404
    detail = registers().case(karin.principal, KARIN_NUMBER, case.case_id)
    assert len(detail.messages) == 2
    assert detail.summary.status == CaseStatus.AWAITING_COMPLETION
    assert _client(karin).get(_detail(uuid.uuid4())).status_code == 404


def _file(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_question_with_a_file_keeps_the_file_and_only_its_owner_downloads_it() -> None:
    karin = _identity()
    client = _client(karin)
    submission_id = client.get(QUESTION).context["form"]["submission_id"].value()
    pdf = pdf_bytes()
    response = client.post(
        QUESTION,
        {
            "subject": "Intyg",
            "message": "Här är intyget.",
            "submission_id": submission_id,
            "attachment": _file("läkarintyg.pdf", pdf),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    link = re.search(r'href="(/mina-sidor/arenden/[^"]+/filer/[^"]+/)"', page.content.decode())
    assert link is not None
    assert "läkarintyg.pdf" in _text(page)
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download.content == pdf
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AccessRecord.objects.filter(action=ATTACHMENT_VIEWED.name).count() == 1
    assert _client(_identity(JOHAN)).get(link.group(1)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("intyg.pdf", WINDOWS_PROGRAM, "is not a PDF, JPEG or PNG file, whatever its name says"),
        ("stor.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
        ("<script>alert(1)</script>.pdf", pdf_bytes(), "may only hold letters, digits"),
        ("eicar.pdf", pdf_bytes() + EICAR, "our virus check found harmful content"),
    ],
    ids=["renamed-exe", "oversized", "script-in-name", "eicar"],
)
def test_a_refused_file_is_said_at_the_field_and_nothing_is_sent(name: str, content: bytes, says: str) -> None:
    karin = _identity()
    case = question_open(karin)
    client = _client(karin)
    response = client.post(
        "/en" + _detail(case.case_id),
        {"action": "message", "message-text": "Se bifogat.", "message-attachment": _file(name, content)},
    )
    page = _text(response)
    assert response.status_code == 200
    assert says in page
    assert 'class="govuk-error-summary"' in page
    assert "&lt;script&gt;" not in page or "<script>alert(1)" not in page
    assert len(registers().case(karin.principal, KARIN_NUMBER, case.case_id).messages) == 1


def test_a_completion_is_answered_with_a_document() -> None:
    karin = _identity()
    case = question_open(karin)
    completion_ask(case.case_id, text="Skicka ett intyg.")
    client = _client(karin)
    png = image_bytes("PNG")
    response = client.post(
        _detail(case.case_id),
        {
            "action": "completion",
            "completion-text": "Bifogat.",
            "completion-attachment": _file("foto.png", png, "image/png"),
        },
    )
    assert response.status_code == 302
    detail = registers().case(karin.principal, KARIN_NUMBER, case.case_id)
    assert detail.summary.status == CaseStatus.IN_PROGRESS
    assert [(a.filename, a.content_type) for a in detail.messages[-1].attachments] == [("foto.png", "image/png")]
