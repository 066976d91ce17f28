"""Reads of casework: a person's cases, one case with its history, the handler's queue and view.

Data comes back as plain values (str, int, bool, Decimal, date, datetime, lists, dicts; ids as text, bytes
as base64) in the shape the internal API sends as JSON, so both implementations of the portal's
``registers`` read one shape. Every read names its :class:`~backoffice.register.access.Caller` and writes
the back office's access record. A case of another person is not found, exactly like a missing one.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from backoffice.casework.applications import DocumentError, application_data, document_read
from backoffice.casework.models import (
    ActorKind,
    Attachment,
    Case,
    CaseEvent,
    CaseStatus,
    CaseType,
    EventKind,
    Message,
    ScanVerdict,
    SignedDocument,
)
from backoffice.casework.rules import OPEN_STATUSES, RULES
from backoffice.register.access import STAFF_KINDS, Caller, register_access_record_create
from backoffice.register.selectors import ALIAS, Data, person_get

QUEUE_LIMIT = 500


class CaseNotFoundError(LookupError):
    """No such case for this person (or no such case at all: the two are never told apart)."""


class CaseworkPermissionError(PermissionError):
    """The caller's principal may not do this (a handler's action asked for by someone else)."""


def staff_check(caller: Caller) -> None:
    """Refuse a caller that is not a case handler."""
    if caller.principal_kind not in STAFF_KINDS:
        raise CaseworkPermissionError("only a case handler may do this")


def _public_id(case_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(case_id))
    except ValueError:
        raise CaseNotFoundError("no such case") from None


def case_get(case_id: str, *, personal_number: str | None = None, for_update: bool = False) -> Case:
    """The case with ``case_id`` — of the person with ``personal_number`` when given; raises CaseNotFoundError."""
    cases = Case.objects.select_related("person")
    if for_update:
        cases = cases.select_for_update()
    filters: dict[str, Any] = {"public_id": _public_id(case_id)}
    if personal_number is not None:
        filters["person__personal_number"] = personal_number
    try:
        case: Case = cases.get(**filters)
    except Case.DoesNotExist:
        raise CaseNotFoundError("no such case") from None
    return case


def _newest_status() -> Subquery:
    newest = CaseEvent.objects.filter(case=OuterRef("pk")).exclude(status="").order_by("-sequence")
    return Subquery(newest.values("status")[:1])


def with_status(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases annotated with ``current_status``, the status of their newest status-setting event."""
    return cases.annotate(current_status=_newest_status())


def case_status(case: Case) -> CaseStatus:
    """A case's status: the status its newest status-setting event gave it."""
    annotated = getattr(case, "current_status", None)
    if annotated:
        return CaseStatus(annotated)
    status = CaseEvent.objects.filter(case=case).exclude(status="").order_by("-sequence").values_list("status")[:1]
    return CaseStatus(status[0][0]) if status else CaseStatus.RECEIVED


def _decision(case: Case) -> CaseEvent | None:
    return CaseEvent.objects.filter(case=case, kind=EventKind.DECISION).order_by("-sequence").first()


def _completion_due(case: Case, status: CaseStatus) -> str | None:
    if status != CaseStatus.AWAITING_COMPLETION:
        return None
    request = CaseEvent.objects.filter(case=case, kind=EventKind.COMPLETION_REQUESTED).order_by("-sequence").first()
    return None if request is None else request.payload.get("due")


def case_summary_data(case: Case, status: CaseStatus | None = None) -> Data:
    """What a list of cases shows about one case."""
    status = status or case_status(case)
    decision = _decision(case) if status in (CaseStatus.DECIDED, CaseStatus.CLOSED) else None
    final = None
    if status not in OPEN_STATUSES:
        final = CaseEvent.objects.filter(case=case).exclude(status="").order_by("-sequence").first()
    return {
        "case_id": str(case.public_id),
        "case_type": case.case_type,
        "status": str(status),
        "steps": [str(step) for step in RULES[CaseType(case.case_type)].steps],
        "opened_at": case.opened_at,
        "expected_decision_on": case.expected_decision_on,
        "subject": case.subject,
        "ended_at": None if final is None else final.occurred_at,
        "outcome": None if decision is None else decision.payload.get("outcome"),
        "completion_due": _completion_due(case, status),
    }


def _event_data(event: CaseEvent, *, for_staff: bool) -> Data:
    shows_actor = for_staff or event.actor_kind == ActorKind.CITIZEN
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "kind": event.kind,
        "status": event.status or None,
        "actor_kind": event.actor_kind,
        "actor_ref": event.actor_ref if shows_actor else "",
        "text": event.text,
        "payload": event.payload,
    }


def _evidence_data(document: SignedDocument) -> Data | None:
    try:
        evidence = document.evidence
    except SignedDocument.evidence.RelatedObjectDoesNotExist:
        return None
    return {
        "method": evidence.method,
        "signer_identifier": evidence.signer_identifier,
        "signed_at": evidence.signed_at,
        "signature": evidence.signature,
        "ocsp_response": evidence.ocsp_response,
        "sign_response": evidence.sign_response,
        "signer_certificate": evidence.signer_certificate,
    }


def _document_data(document: SignedDocument) -> Data:
    return {
        "document_id": str(document.public_id),
        "kind": document.kind,
        "version": document.version,
        "canonical_bytes": base64.b64encode(bytes(document.canonical_bytes)).decode("ascii"),
        "sha256": document.sha256,
        "summary": document.summary,
        "received_at": document.received_at,
        "evidence": _evidence_data(document),
        "delegate_signature": _delegate_signature_data(document),
    }


def _delegate_signature_data(document: SignedDocument) -> Data | None:
    """The power of attorney a delegate signed the document under (decision 0216), or None."""
    try:
        kept = document.delegate_signature
    except SignedDocument.delegate_signature.RelatedObjectDoesNotExist:
        return None
    return {
        "delegate": kept.delegate,
        "delegate_name": kept.delegate_name,
        "power_reference": str(kept.power_reference),
        "power_sha256": kept.power_sha256,
        "scopes": [scope for scope in kept.scopes.split(",") if scope],
        "valid_from": kept.valid_from.isoformat(),
        "valid_until": kept.valid_until.isoformat(),
    }


def _message_data(message: Message) -> Data:
    return {
        "message_id": str(message.public_id),
        "direction": message.direction,
        "sent_at": message.sent_at,
        "text": message.text,
        "attachments": [
            {
                "attachment_id": str(a.public_id),
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "scan_verdict": a.scan_verdict,
            }
            for a in message.attachments.order_by("id")
        ],
    }


def application_of(case: Case) -> Data | None:
    """The typed view of the case's signed application as data (None for a case without one)."""
    document = case.documents.order_by("id").first()
    if document is None:
        return None
    try:
        return application_data(document_read(case.case_type, bytes(document.canonical_bytes)))
    except DocumentError:  # stored documents were read when they arrived; an older version would land here
        return None


def case_detail_data(case: Case, *, for_staff: bool) -> Data:
    """One case with its history, documents with their evidence, messages and application."""
    status = case_status(case)
    history = CaseEvent.objects.filter(case=case).order_by("sequence")
    if not for_staff:
        history = history.exclude(kind=EventKind.NOTE)  # a handler's notes are the authority's own
    return {
        **case_summary_data(case, status),
        "history": [_event_data(event, for_staff=for_staff) for event in history],
        "documents": [
            _document_data(d)
            for d in SignedDocument.objects.filter(case=case)
            .select_related("evidence", "delegate_signature")
            .order_by("id")
        ],
        "messages": [_message_data(m) for m in Message.objects.filter(case=case).prefetch_related("attachments")],
        "application": application_of(case),
    }


def handler_case_data(case: Case) -> Data:
    """The case as a case handler sees it: the detail and who the person is."""
    person = case.person
    return {
        **case_detail_data(case, for_staff=True),
        "person": {
            "personal_number": person.personal_number,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date,
        },
    }


@transaction.atomic(using=ALIAS)
def cases_of_person(*, caller: Caller, personal_number: str) -> list[Data]:
    """Every case of the person, newest first, and recorded as read."""
    person = person_get(personal_number)
    cases = with_status(Case.objects.filter(person=person)).order_by("-opened_at", "-id")
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="cases.read")
    return [case_summary_data(case, CaseStatus(case.current_status)) for case in cases]  # type: ignore[attr-defined]


@transaction.atomic(using=ALIAS)
def case_of_person(*, caller: Caller, personal_number: str, case_id: str) -> Data:
    """One case of the person with everything in it; another person's case is not found."""
    person = person_get(personal_number)
    case = case_get(case_id, personal_number=person.personal_number)
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="case.read")
    return case_detail_data(case, for_staff=False)


@transaction.atomic(using=ALIAS)
def case_queue(*, caller: Caller, case_type: str | None = None) -> list[Data]:
    """Open cases, oldest first (at most 500), optionally of one type; shows no person, so reads no one's data."""
    staff_check(caller)
    cases = with_status(Case.objects.all())
    if case_type:
        if case_type not in CaseType.values:
            return []
        cases = cases.filter(case_type=case_type)
    # The annotation's name, which the type checker's plugin does not see on the query set.
    cases = cases.filter(**{"current_status__in": [str(s) for s in OPEN_STATUSES]}).order_by("opened_at", "id")
    register_access_record_create(caller=caller, personal_number="", action="case_queue.read")
    return [
        {
            "case_id": str(case.public_id),
            "case_type": case.case_type,
            "status": case.current_status,  # type: ignore[attr-defined]
            "opened_at": case.opened_at,
            "expected_decision_on": case.expected_decision_on,
        }
        for case in cases[:QUEUE_LIMIT]
    ]


@transaction.atomic(using=ALIAS)
def case_for_handler(*, caller: Caller, case_id: str) -> Data:
    """One case as its handler sees it, recorded as read in the person's records."""
    staff_check(caller)
    case = case_get(case_id)
    register_access_record_create(caller=caller, personal_number=case.person.personal_number, action="case.read")
    return handler_case_data(case)


class AttachmentNotFoundError(CaseNotFoundError):
    """No such attachment in this case (or it is not clean: nothing unscanned or infected is handed out)."""


def _attachment(case: Case, attachment_id: str) -> Data:
    try:
        wanted = uuid.UUID(str(attachment_id))
    except ValueError:
        raise AttachmentNotFoundError("no such attachment") from None
    attachment = Attachment.objects.filter(public_id=wanted, message__case=case, scan_verdict=ScanVerdict.CLEAN).first()
    if attachment is None:
        raise AttachmentNotFoundError("no such attachment")
    return {
        "attachment_id": str(attachment.public_id),
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "content": base64.b64encode(bytes(attachment.content)).decode("ascii"),
    }


@transaction.atomic(using=ALIAS)
def attachment_of_person(*, caller: Caller, personal_number: str, case_id: str, attachment_id: str) -> Data:
    """A file of one of the person's cases, with its bytes; another person's is not found."""
    person = person_get(personal_number)
    case = case_get(case_id, personal_number=person.personal_number)
    data = _attachment(case, attachment_id)
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="attachment.read")
    return data


@transaction.atomic(using=ALIAS)
def attachment_for_handler(*, caller: Caller, case_id: str, attachment_id: str) -> Data:
    """A file of a case, for its handler, recorded as read in the person's records."""
    staff_check(caller)
    case = case_get(case_id)
    data = _attachment(case, attachment_id)
    register_access_record_create(caller=caller, personal_number=case.person.personal_number, action="attachment.read")
    return data
