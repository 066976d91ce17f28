"""Sending one notice: claim it, send it by its channel, mark it sent — or schedule the next try.

The row is claimed with a conditional update (pending and due, or a claim whose lease ran out) before
anything is sent, and marked sent after, both on the row's own claim; so two tasks for the same notice,
at once or one after the other, send it once. A send that fails waits ``kernel.backoff``'s delay and is
tried again by a task enqueued in the same transaction as the row's update; a permanent refusal (the
address does not exist) or the tenth failure gives it up. The one case left: the process dies after the
SMTP server or SMS provider took the message and before the mark is committed — then, after the lease, it
is sent again (at least once), with the same Message-ID / provider reference so the receiving side can
recognise the copy (decision 0112).
"""

from __future__ import annotations

import datetime as dt
import enum
import smtplib
import uuid
from email.utils import parseaddr

import structlog
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django_tasks.base import Task

from backoffice.notices.confirmation import link_for_key
from backoffice.notices.models import Channel, Notice, NoticeKind, NoticeStatus
from backoffice.notices.sms import SmsError, sms_backend
from backoffice.notices.texts import notice_text
from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.selectors import ALIAS
from kernel import clock
from kernel.backoff import retry_delay

logger = structlog.get_logger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
DISPATCHER = Caller(service="notices", channel="in_process", principal_kind="system", principal_ref="notice-dispatcher")


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    NOT_DUE = "not_due"  # sent already, being sent by another task, given up, or not yet due


def due(now: dt.datetime) -> Q:
    """Notices to send now: pending with their attempt come, or held under a claim whose lease ran out."""
    return Q(status=NoticeStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=NoticeStatus.SENDING, claimed_until__lt=now
    )


def _claim(notice_id: int) -> tuple[Notice, uuid.UUID] | None:
    claim = uuid.uuid4()
    now = clock.now()
    with transaction.atomic(using=ALIAS):
        claimed = Notice.objects.filter(due(now), id=notice_id).update(
            status=NoticeStatus.SENDING,
            claim=claim,
            claimed_until=now + dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
        if not claimed:
            return None
        notice = Notice.objects.select_related("person").get(id=notice_id)
        register_access_record_create(
            caller=DISPATCHER, personal_number=notice.person.personal_number, action="notice.send"
        )
    return notice, claim


def message_id(notice: Notice) -> str:
    """The e-mail's Message-ID: the notice's public id, the same on every attempt."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{notice.public_id}@{domain}>"


class ConfirmationGoneError(Exception):
    """The confirmation a link notice was for is no longer waiting (replaced by a newer link, or used)."""


def _send(notice: Notice) -> None:
    link = ""
    if notice.kind == NoticeKind.EMAIL_CONFIRMATION:
        link = link_for_key(notice.key)
        if not link:
            raise ConfirmationGoneError
    text = notice_text(notice.kind, notice.language, link=link)
    if notice.channel == Channel.EMAIL:
        headers = {
            "Message-ID": message_id(notice),
            "Auto-Submitted": "auto-generated",
            "Content-Language": notice.language,
        }
        EmailMessage(text.subject, text.body, settings.DEFAULT_FROM_EMAIL, [notice.address], headers=headers).send()
    else:
        sms_backend().send(notice.address, text.sms, reference=str(notice.public_id))


def _permanent(error: Exception) -> bool:
    """Whether trying again cannot help: the recipient or the message refused for good (5xx), or a
    confirmation link that no longer confirms anything."""
    if isinstance(error, ConfirmationGoneError):
        return True
    if isinstance(error, SmsError):
        return error.permanent
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _reason(error: Exception) -> str:
    """What went wrong, without the address or anything else the error's text may hold."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"SMTPRecipientsRefused {sorted({code for code, _ in error.recipients.values()})}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _give_up_or_retry(notice: Notice, claim: uuid.UUID, error: Exception, deliver: Task[[int], str]) -> Outcome:
    reason = _reason(error)
    mine = Notice.objects.filter(id=notice.id, claim=claim)
    with transaction.atomic(using=ALIAS):
        if _permanent(error) or notice.attempts >= MAX_ATTEMPTS:
            mine.update(status=NoticeStatus.FAILED, claim=None, claimed_until=None, last_error=reason)
            logger.error(
                "notice.failed",
                notice=str(notice.public_id),
                channel=notice.channel,
                attempts=notice.attempts,
                reason=reason,
            )
            return Outcome.FAILED
        next_attempt = clock.now() + retry_delay(notice.attempts, first=FIRST_RETRY, cap=LONGEST_RETRY)
        if mine.update(
            status=NoticeStatus.PENDING, next_attempt_at=next_attempt, claim=None, claimed_until=None, last_error=reason
        ):
            task_id = deliver.using(run_after=next_attempt).enqueue(notice.id).id
            Notice.objects.filter(id=notice.id).update(task_id=str(task_id))
    logger.warning(
        "notice.retry", notice=str(notice.public_id), channel=notice.channel, attempts=notice.attempts, reason=reason
    )
    return Outcome.RETRY


def notice_send(notice_id: int, *, deliver: Task[[int], str]) -> Outcome:
    """Send the notice ``notice_id`` if it is due and no one else holds it (see above); ``deliver`` is the
    task that tries again."""
    claimed = _claim(notice_id)
    if claimed is None:
        return Outcome.NOT_DUE
    notice, claim = claimed
    try:
        _send(notice)
    except Exception as error:  # any failure of the channel: classified, recorded, tried again or given up
        return _give_up_or_retry(notice, claim, error, deliver)
    marked = Notice.objects.filter(id=notice.id, claim=claim).update(
        status=NoticeStatus.SENT, sent_at=clock.now(), claim=None, claimed_until=None, last_error=""
    )
    if not marked:
        logger.warning("notice.sent_after_its_lease", notice=str(notice.public_id), channel=notice.channel)
    logger.info("notice.sent", notice=str(notice.public_id), channel=notice.channel, attempts=notice.attempts)
    return Outcome.SENT
