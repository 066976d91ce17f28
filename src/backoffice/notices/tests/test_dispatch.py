"""Requirement: issue 18.4 — a notice is sent by a background task through a real SMTP server (or the SMS provider),
retried with back-off when sending fails, and sent once however often or concurrently its task runs; given up on a
permanent refusal or after the last attempt. A worker killed between send and mark: sent again (at least once),
under the same Message-ID."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from backoffice.notices import dispatch
from backoffice.notices.dispatch import MAX_ATTEMPTS, Outcome, message_id
from backoffice.notices.models import Notice, NoticeKind, NoticeStatus
from backoffice.notices.services import notice_enqueue
from backoffice.notices.sms import sms_file_messages
from backoffice.notices.tasks import notice_deliver, notices_sweep
from backoffice.notices.tests.conftest import CASEWORK, Make
from backoffice.register.models import RegisterAccessRecord
from kernel.clock import FrozenClock
from simulators.mail.server import MailSimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])
LEASE = dt.timedelta(seconds=600)


def _notice(person: Make, **details: Any) -> Notice:
    [notice] = notice_enqueue(person=person(**details), kind=NoticeKind.MESSAGE, caller=CASEWORK)
    return notice


def _deliver(notice: Notice) -> str:
    return notice_deliver.call(notice.id)


def test_a_notice_is_sent_over_smtp_and_marked_sent_once(person: Make, mail: MailSimulatorThread) -> None:
    notice = _notice(person)
    assert _deliver(notice) == Outcome.SENT
    [received] = mail.messages()
    assert received["recipients"] == ["sigrid@example.se"]
    assert received["message_id"] == message_id(notice)
    assert received["headers"]["Auto-Submitted"] == "auto-generated"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)
    assert notice.sent_at is not None
    assert _deliver(notice) == Outcome.NOT_DUE, "the task run again sends nothing"
    assert len(mail.messages()) == 1
    sends = RegisterAccessRecord.objects.filter(action="notice.send", principal_ref="notice-dispatcher")
    assert sends.count() == 1, "the dispatcher's use of the address is recorded"


def test_a_text_message_goes_through_the_provider_with_the_notice_as_reference(
    person: Make, mail: MailSimulatorThread
) -> None:
    notice = _notice(person, notice_choice="sms")
    assert _deliver(notice) == Outcome.SENT
    [sent] = sms_file_messages()
    assert sent["to"] == "+46 70 123 45 67"
    assert sent["reference"] == str(notice.public_id)
    assert "https://minasidor.example/" in sent["text"]


def test_a_refused_send_is_retried_with_back_off_and_sent_once(
    person: Make, mail: MailSimulatorThread, frozen_clock: FrozenClock
) -> None:
    notice = _notice(person)
    mail.refuse(2)  # 451: try again later
    assert _deliver(notice) == Outcome.RETRY
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.PENDING, 1, "SMTPDataError 451")
    first_wait = notice.next_attempt_at - frozen_clock()
    assert dt.timedelta(seconds=54) <= first_wait <= dt.timedelta(seconds=66)
    retry = DBTaskResult.objects.using("backoffice").get(id=notice.task_id)
    assert retry.status == TaskResultStatus.READY
    assert retry.run_after == notice.next_attempt_at, "the next try is queued for when it is due"
    assert _deliver(notice) == Outcome.NOT_DUE, "not before it is due"
    frozen_clock.advance(first_wait)
    assert _deliver(notice) == Outcome.RETRY
    notice.refresh_from_db()
    second_wait = notice.next_attempt_at - frozen_clock()
    assert dt.timedelta(seconds=108) <= second_wait <= dt.timedelta(seconds=132), "the wait doubles"
    frozen_clock.advance(second_wait)
    assert _deliver(notice) == Outcome.SENT
    assert _deliver(notice) == Outcome.NOT_DUE
    assert len(mail.messages()) == 1, "sent once"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.SENT, 3, "")


def test_the_smtp_server_away_is_a_failure_to_try_again(
    person: Make, mail: MailSimulatorThread, settings: Settings
) -> None:
    settings.EMAIL_PORT = 1  # nothing listens there
    notice = _notice(person)
    assert _deliver(notice) == Outcome.RETRY
    notice.refresh_from_db()
    assert notice.last_error == "ConnectionRefusedError"


def test_a_permanent_refusal_gives_up_at_once(person: Make, mail: MailSimulatorThread) -> None:
    notice = _notice(person)
    mail.refuse(1, code=554)
    assert _deliver(notice) == Outcome.FAILED
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.FAILED, 1, "SMTPDataError 554")
    assert notices_sweep.call() == 0, "a notice given up is not swept up again"


def test_the_last_attempt_gives_up(person: Make, mail: MailSimulatorThread, frozen_clock: FrozenClock) -> None:
    notice = _notice(person)
    mail.refuse(MAX_ATTEMPTS)
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(_deliver(notice))
        frozen_clock.advance(dt.timedelta(hours=2))
    assert outcomes == [Outcome.RETRY] * (MAX_ATTEMPTS - 1) + [Outcome.FAILED]
    assert mail.messages() == []


def test_a_task_that_finds_the_notice_held_by_another_sends_nothing(person: Make, mail: MailSimulatorThread) -> None:
    notice = _notice(person)
    claimed = dispatch._claim(notice.id)  # another worker has claimed it and is sending
    assert claimed is not None
    assert _deliver(notice) == Outcome.NOT_DUE
    assert mail.messages() == []


def test_a_worker_killed_before_sending_leaves_it_to_be_sent_once_after_the_lease(
    person: Make, mail: MailSimulatorThread, frozen_clock: FrozenClock
) -> None:
    notice = _notice(person)
    assert dispatch._claim(notice.id) is not None  # ... and the worker dies here
    assert notices_sweep.call() == 0, "its task is still queued"
    DBTaskResult.objects.using("backoffice").filter(id=notice.task_id).update(status=TaskResultStatus.FAILED)
    assert notices_sweep.call() == 0, "held under a claim still within its lease"
    frozen_clock.advance(LEASE + dt.timedelta(seconds=1))
    assert notices_sweep.call() == 1, "the lease ran out and no task is left: the sweep enqueues one"
    notice.refresh_from_db()
    assert notice_deliver.call(notice.id) == Outcome.SENT
    assert len(mail.messages()) == 1


def test_a_worker_killed_between_send_and_mark_sends_it_again_under_the_same_message_id(
    person: Make, mail: MailSimulatorThread, frozen_clock: FrozenClock
) -> None:
    notice = _notice(person)
    claimed = dispatch._claim(notice.id)
    assert claimed is not None
    dispatch._send(claimed[0])  # the SMTP server has it ... and the worker dies before marking it sent
    frozen_clock.advance(LEASE + dt.timedelta(seconds=1))
    assert _deliver(notice) == Outcome.SENT
    first, second = mail.messages()
    assert first["message_id"] == second["message_id"] == message_id(notice), "the copy is recognisable"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)


def test_the_sweep_enqueues_due_notices_whose_task_was_lost(person: Make, mail: MailSimulatorThread) -> None:
    notice = _notice(person)
    assert notices_sweep.call() == 0, "its task is queued"
    DBTaskResult.objects.using("backoffice").filter(id=notice.task_id).delete()
    assert notices_sweep.call() == 1
    assert notices_sweep.call() == 0, "once enqueued, not again"
    notice.refresh_from_db()
    assert notice_deliver.call(notice.id) == Outcome.SENT


@pytest.mark.django_db(databases=["default", "backoffice"], transaction=True)
@pytest.mark.usefixtures("flushable_access_log")
def test_the_worker_sends_retries_and_sends_once(
    person: Make, mail: MailSimulatorThread, frozen_clock: FrozenClock
) -> None:
    notice = _notice(person)
    mail.refuse(1)
    call_command("run_tasks", "--backend", "backoffice", "--batch", "--no-startup-delay", verbosity=0)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 1)
    # The queue runs a task by the real time, which is past the frozen clock's: the retry has already run
    # and, the notice not being due by the domain's clock, sent nothing.
    outcomes = DBTaskResult.objects.using("backoffice").values_list("return_value", flat=True)
    assert sorted(str(outcome) for outcome in outcomes) == [Outcome.NOT_DUE, Outcome.RETRY]
    frozen_clock.advance(dt.timedelta(minutes=5))
    assert notices_sweep.call() == 1
    call_command("run_tasks", "--backend", "backoffice", "--batch", "--no-startup-delay", verbosity=0)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert len(mail.messages()) == 1


@pytest.mark.django_db(databases=["default", "backoffice"], transaction=True)
@pytest.mark.usefixtures("flushable_access_log")
def test_two_tasks_at_once_send_it_once(person: Make, mail: MailSimulatorThread) -> None:
    if connections["backoffice"].vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is shared by threads with table locks, not row locks")
    notices = [_notice(person, personal_number=f"19500101{n:03d}0") for n in range(1, 11)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        try:
            for notice in notices:
                start.wait(timeout=10)
                outcomes.append(notice_deliver.call(notice.id))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(outcomes) == sorted([Outcome.SENT] * 10 + [Outcome.NOT_DUE] * 10)
    assert len(mail.messages()) == 10
