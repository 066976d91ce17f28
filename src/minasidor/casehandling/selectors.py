"""What a case handler reads, through ``registers`` in the handler's name; opening a case (and a file of it)
is recorded in the citizen's access log, so the citizen sees the handler's reads in "who has seen my data"."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, Purpose
from minasidor.registers import registers
from minasidor.registers.types import AttachmentContent, CaseType, HandlerCase, QueueItem

CASE_READ = Action("casehandling.case_read", _("A case handler read your case"))
ATTACHMENT_READ = Action("casehandling.attachment_read", _("A case handler opened a file in your case"))


def subject_key_of(handled: HandlerCase) -> str:
    """The access log's key of the person a case is about."""
    return f"se:{handled.person.personal_number.value}"


def record(principal: Principal, handled: HandlerCase, action: Action) -> None:
    """Record in the citizen's access log what the handler did with their case."""
    with transaction.atomic(using="default"):
        access_record_create(
            principal=principal, subject_key=subject_key_of(handled), action=action, purpose=Purpose.CASE_HANDLING
        )


def queue_get(*, principal: Principal, case_type: CaseType | None = None) -> tuple[QueueItem, ...]:
    """Open cases, oldest first (no one's data: the queue shows no person)."""
    return registers().case_queue(principal, case_type)


def case_read(*, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
    """One case with the person it is about; recorded as read in the person's access log."""
    handled = registers().case_for_handler(principal, case_id)
    record(principal, handled, CASE_READ)
    return handled


def attachment_read(*, principal: Principal, case_id: uuid.UUID, attachment_id: uuid.UUID) -> AttachmentContent:
    """A file of a case; recorded in the person's access log."""
    handled = registers().case_for_handler(principal, case_id)
    found = registers().case_attachment_for_handler(principal, case_id, attachment_id)
    record(principal, handled, ATTACHMENT_READ)
    return found
