"""Requirement (issue 18.4): a case's new status, a handler's message and a completion request each give the
person a notice, once, in the transaction of the event — not what the person did themselves; a periodic job
gives the proactive notice when the expected decision date passes, and a reminder when a completion is soon
due; the notice sent says nothing about the person or the case."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from backoffice.casework import services
from backoffice.casework.selectors import cases_of_person
from backoffice.notices.dispatch import notice_send
from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.tasks import notice_deliver
from backoffice.notices.tests.conftest import Make
from backoffice.register.access import Caller
from kernel import clock
from simulators.mail.server import MailSimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

CITIZEN = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym-1")
HANDLER = Caller(service="portal", channel="in_process", principal_kind="handler", principal_ref="staff:h1")


def _question(person: Any, subject: str = "Min skatt i mars") -> str:
    opened = services.case_open(
        caller=CITIZEN,
        personal_number=person.personal_number,
        submission={
            "case_type": "general_question",
            "idempotency_key": f"question:{uuid.uuid4().hex}",
            "subject": subject,
            "message": "Varför drogs 4 711 kr?",
        },
    )
    return str(opened["case_id"])


def _kinds(person: Any) -> list[str]:
    return list(Notice.objects.filter(person=person).order_by("id").values_list("kind", flat=True))


def test_the_handlers_steps_notify_the_person_once_each_and_the_persons_own_do_not(
    person: Make, frozen_clock: clock.FrozenClock
) -> None:
    sigrid = person()
    case_id = _question(sigrid)
    assert _kinds(sigrid) == [], "asking a question is the person's own doing"
    services.case_handling_start(caller=HANDLER, case_id=case_id)
    services.case_message_answer(caller=HANDLER, case_id=case_id, change={"text": "Vi tittar på det."})
    due = (clock.today() + dt.timedelta(days=10)).isoformat()
    services.case_completion_request(caller=HANDLER, case_id=case_id, change={"text": "Skicka beslut.", "due": due})
    services.case_completion_answer(
        caller=CITIZEN, personal_number=sigrid.personal_number, case_id=case_id, change={"text": "Här."}
    )
    services.case_message_send(
        caller=CITIZEN, personal_number=sigrid.personal_number, case_id=case_id, change={"text": "Tack."}
    )
    services.case_close(caller=HANDLER, case_id=case_id, change={"text": "Besvarad."})
    assert _kinds(sigrid) == [
        NoticeKind.CASE_STATUS,
        NoticeKind.MESSAGE,
        NoticeKind.COMPLETION_DUE,
        NoticeKind.CASE_STATUS,
    ]
    assert Notice.objects.filter(person=sigrid, task_id="").count() == 0, "each has its send task"


def test_a_late_decision_and_a_completion_soon_due_are_noticed_once(
    person: Make, frozen_clock: clock.FrozenClock
) -> None:
    sigrid, other = person(), person(given_name="Other")
    _question(sigrid)
    waiting = _question(other, subject="Intyg")
    services.case_handling_start(caller=HANDLER, case_id=waiting)
    due = (clock.today() + dt.timedelta(days=5)).isoformat()
    services.case_completion_request(caller=HANDLER, case_id=waiting, change={"text": "Skicka intyg.", "due": due})
    Notice.objects.all().delete()
    assert services.cases_reminders_send() == 0, "nothing is late or soon due yet"
    frozen_clock.advance(dt.timedelta(days=4))
    assert services.cases_reminders_send() == 1, "the completion is due within two days"
    frozen_clock.advance(dt.timedelta(days=7))  # the question's ten days have passed
    assert services.cases_reminders_send() == 2, "both questions' decisions are late"
    assert services.cases_reminders_send() == 0, "each reminder once"
    assert _kinds(sigrid) == [NoticeKind.DECISION_DELAYED]
    assert _kinds(other) == [NoticeKind.COMPLETION_DUE, NoticeKind.DECISION_DELAYED]
    assert [c["status"] for c in cases_of_person(caller=HANDLER, personal_number=sigrid.personal_number)] == [
        "received"
    ]


def test_the_notice_sent_names_neither_the_person_nor_the_case(
    person: Make, mail: MailSimulatorThread, frozen_clock: clock.FrozenClock
) -> None:
    sigrid = person(given_name="Sigrid", family_name="Bostadsson")
    case_id = _question(sigrid, subject="Min skatt i mars")
    services.case_message_answer(caller=HANDLER, case_id=case_id, change={"text": "Ditt belopp är 4 711 kr."})
    notice = Notice.objects.get(person=sigrid)
    notice_send(notice.id, deliver=notice_deliver)
    (message,) = mail.messages()
    text = str(message)
    for secret in ("Sigrid", "Bostadsson", sigrid.personal_number, case_id, "skatt", "4 711", "mars", "Ditt belopp"):
        assert secret not in text, f"the notice must not carry {secret!r}"
    assert "Mina sidor" in text or "My pages" in text
