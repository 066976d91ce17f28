"""Writes of the citizen in their cases, through the ``registers`` doorway: a new question, a message, the
answer to a completion request, withdrawing a case. Each is recorded in the access log once the back office
has taken it (the back office keeps its own record of the same call)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel.personal_number import PersonalNumber
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import (
    CaseDetail,
    CaseNotFoundError,
    CaseSubmission,
    CaseSummary,
    CaseType,
    PersonNotFoundError,
    Upload,
)

QUESTION_ASKED = Action("cases.question_asked", _("Sent a question to the authority"))
MESSAGE_SENT = Action("cases.message_sent", _("Sent a message in your case"))
COMPLETION_ANSWERED = Action("cases.completion_answered", _("Answered a request for completion in your case"))
CASE_WITHDRAWN = Action("cases.withdrawn", _("Withdrew your case"))


def _record(identity: Identity, action: Action) -> None:
    with transaction.atomic(using="default"):
        access_record_create(
            principal=identity.principal, subject_key=identity.subject_key, action=action, purpose=Purpose.SELF_SERVICE
        )


def _number(identity: Identity) -> PersonalNumber:
    if identity.personal_number is None:
        raise CaseNotFoundError("a person without a Swedish personal number has no cases here")
    return identity.personal_number


def question_ask(
    *, identity: Identity, subject: str, text: str, submission_id: str, attachments: tuple[Upload, ...] = ()
) -> CaseSummary:
    """Open a question case, with files. ``submission_id`` is made when the form is shown, so the same form
    sent twice (a double click, a reload) opens one case."""
    submission = CaseSubmission(
        case_type=CaseType.GENERAL_QUESTION,
        idempotency_key=f"question:{submission_id}",
        subject=subject,
        message=text,
        attachments=attachments,
    )
    try:
        summary = registers().case_submit(identity.principal, _number(identity), submission)
    except PersonNotFoundError:
        raise CaseNotFoundError("the register does not know the person") from None
    _record(identity, QUESTION_ASKED)
    return summary


def case_message_send(
    *, identity: Identity, case_id: uuid.UUID, text: str, attachments: tuple[Upload, ...] = ()
) -> CaseDetail:
    """A message from the citizen in their case, with files."""
    detail = registers().case_message_send(identity.principal, _number(identity), case_id, text, attachments)
    _record(identity, MESSAGE_SENT)
    return detail


def case_completion_answer(
    *, identity: Identity, case_id: uuid.UUID, text: str, attachments: tuple[Upload, ...] = ()
) -> CaseDetail:
    """The citizen's answer to the completion their case waits for, with the documents asked for."""
    detail = registers().case_completion_answer(identity.principal, _number(identity), case_id, text, attachments)
    _record(identity, COMPLETION_ANSWERED)
    return detail


def case_withdraw(*, identity: Identity, case_id: uuid.UUID, reason: str) -> CaseDetail:
    """Withdraw an open case (until it is decided)."""
    detail = registers().case_withdraw(identity.principal, _number(identity), case_id, reason)
    _record(identity, CASE_WITHDRAWN)
    return detail


def submission_id_new() -> str:
    """A fresh id for a question form."""
    return uuid.uuid4().hex
