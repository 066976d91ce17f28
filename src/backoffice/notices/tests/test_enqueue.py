"""Requirement: issue 18.4 — a notice is written to the outbox in the transaction of the event, by the channels the
person chose (e-mail only to a confirmed address), and its send task is queued with it; the same key is the same
notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from backoffice.notices.models import Channel, Notice, NoticeKind, NoticeStatus
from backoffice.notices.services import notice_enqueue
from backoffice.notices.tests.conftest import CASEWORK, Make
from backoffice.register.models import RegisterAccessRecord

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])


def _channels(person: Make, kind: str = NoticeKind.MESSAGE, **details: Any) -> list[tuple[str, str]]:
    someone = person(**details)
    return [(n.channel, n.address) for n in notice_enqueue(person=someone, kind=kind, caller=CASEWORK)]


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"notice_choice": "email"}, [("email", "sigrid@example.se")]),
        ({"notice_choice": "sms"}, [("sms", "+46 70 123 45 67")]),
        ({"notice_choice": "email_and_sms"}, [("email", "sigrid@example.se"), ("sms", "+46 70 123 45 67")]),
        ({"notice_choice": "none"}, []),
        ({"notice_choice": "email", "email_confirmed": False}, []),
        ({"notice_choice": "email_and_sms", "email_confirmed": False}, [("sms", "+46 70 123 45 67")]),
        ({"notice_choice": "sms", "phone": ""}, []),
        ({"notice_choice": "email", "date_of_death": dt.date(2026, 1, 1)}, []),
    ],
)
def test_notices_go_by_the_channels_chosen(
    person: Make, details: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert _channels(person, **details) == expected


def test_a_notice_that_details_changed_goes_to_every_known_contact_point(person: Make) -> None:
    assert _channels(person, NoticeKind.DETAILS_CHANGED, notice_choice="none") == [
        ("email", "sigrid@example.se"),
        ("sms", "+46 70 123 45 67"),
    ]
    unconfirmed = _channels(person, NoticeKind.DETAILS_CHANGED, notice_choice="none", email_confirmed=False)
    assert unconfirmed == [("sms", "+46 70 123 45 67")], "never to an address nobody confirmed"


def test_the_notice_and_its_task_are_written_with_the_event_or_not_at_all(person: Make) -> None:
    someone = person(notice_choice="email_and_sms")

    @transaction.atomic(using="backoffice")
    def event_that_fails() -> None:
        notice_enqueue(person=someone, kind=NoticeKind.CASE_STATUS, caller=CASEWORK)
        raise RuntimeError("the case's write fails after the notice")

    with pytest.raises(RuntimeError):
        event_that_fails()
    assert Notice.objects.count() == 0
    assert DBTaskResult.objects.using("backoffice").count() == 0

    notices = notice_enqueue(person=someone, kind=NoticeKind.CASE_STATUS, caller=CASEWORK)
    assert [n.status for n in notices] == [NoticeStatus.PENDING, NoticeStatus.PENDING]
    tasks = DBTaskResult.objects.using("backoffice")
    assert sorted(str(t.id) for t in tasks) == sorted(n.task_id for n in notices)
    assert {t.task_path for t in tasks} == {"backoffice.notices.tasks.notice_deliver"}
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(n.id for n in notices)
    assert DBTaskResult.objects.using("default").count() == 0, "the back office's queue, not the portal's"
    records = RegisterAccessRecord.objects.filter(action="notice.enqueue", principal_ref="casework-test")
    assert records.count() == 1, "one access record, for the event that stood"


def test_the_same_key_is_the_same_notice(person: Make) -> None:
    someone = person(notice_choice="email_and_sms")
    first = notice_enqueue(person=someone, kind=NoticeKind.DECISION_DELAYED, caller=CASEWORK, key="case:1:delay")
    again = notice_enqueue(person=someone, kind=NoticeKind.DECISION_DELAYED, caller=CASEWORK, key="case:1:delay")
    assert [n.id for n in again] == [n.id for n in first]
    assert Notice.objects.count() == 2
    assert DBTaskResult.objects.using("backoffice").count() == 2


def test_the_address_and_language_are_those_known_at_the_event(person: Make) -> None:
    someone = person(language="en", phone="")
    [notice] = notice_enqueue(person=someone, kind=NoticeKind.DETAILS_CHANGED, caller=CASEWORK)
    someone.contact_details.email = "new@example.se"
    someone.contact_details.save()
    notice.refresh_from_db()
    assert (notice.channel, notice.address, notice.language) == (Channel.EMAIL, "sigrid@example.se", "en")


def test_an_unknown_kind_is_refused(person: Make) -> None:
    with pytest.raises(ValueError, match="unknown notice kind"):
        notice_enqueue(person=person(), kind="benefit_granted", caller=CASEWORK)
