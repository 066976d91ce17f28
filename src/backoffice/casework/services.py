"""Writes of casework: open a case (idempotently), add to its history, withdraw, ask for and answer a
completion, exchange messages, decide and close.

Each names its :class:`~backoffice.register.access.Caller`, validates its input here (the one place, so
both channels refuse the same input), and runs in one transaction with the back office's access record.
A case's history only grows: every change is a new :class:`~backoffice.casework.models.CaseEvent`, numbered
under a lock on the case. Granting an old-age pension application writes its decisions and payment plan
into the register through ``backoffice.register.services`` (``casework.grant``; docs/decisions/0039).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import re
from typing import Any

from django.db import IntegrityError, transaction

from backoffice.casework.applications import (
    DOCUMENT_KINDS,
    Application,
    DocumentError,
    HousingSupplementApplication,
    OldAgePensionApplication,
    PaymentAccountChange,
    SwedishAccount,
    WithdrawalChange,
    document_read,
)
from backoffice.casework.grant import (
    GrantError,
    housing_supplement_grant,
    old_age_pension_grant,
    withdrawal_change_grant,
)
from backoffice.casework.models import (
    ActorKind,
    Attachment,
    Case,
    CaseEvent,
    CaseStatus,
    CaseType,
    DelegateSignature,
    EventKind,
    Message,
    ScanVerdict,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
)
from backoffice.casework.powers import CheckedPower, on_behalf_of, power_check
from backoffice.casework.rules import OPEN_STATUSES, RULES, expected_decision_on, may_follow
from backoffice.casework.scanning import ScanError, configured_scanner
from backoffice.casework.selectors import (
    CaseNotFoundError,
    CaseworkPermissionError,
    case_detail_data,
    case_get,
    case_status,
    case_summary_data,
    handler_case_data,
    staff_check,
    with_status,
)
from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import notice_enqueue
from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.models import PensionPayment, Person
from backoffice.register.selectors import ALIAS, Data, person_get
from backoffice.register.services import InvalidChangeError, payment_account_update, pension_grant_record
from kernel import clock
from kernel.uploads import MAX_BYTES as MAX_ATTACHMENT_BYTES
from kernel.uploads import CheckedUpload, Refusal, UploadRefusedError, upload_check

__all__ = [
    "CaseNotFoundError",
    "CaseStateError",
    "CaseworkPermissionError",
    "InvalidChangeError",
    "application_decide",
    "case_call_note",
    "case_close",
    "case_completion_answer",
    "case_completion_request",
    "case_event_add",
    "case_handling_start",
    "case_message_answer",
    "case_message_send",
    "case_open",
    "case_withdraw",
]

MAX_TEXT = 10_000
MAX_SUBJECT = 200
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_EVIDENCE = 64 * 1024
MAX_ATTACHMENTS = 3
_KEY = re.compile(r"^[A-Za-z0-9._:\-]{16,128}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The applications a delegate may sign under a power of attorney that covers applying (decision 0216).
ON_BEHALF_CASE_TYPES = frozenset({CaseType.OLD_AGE_PENSION, CaseType.WITHDRAWAL_CHANGE, CaseType.HOUSING_SUPPLEMENT})


class CaseStateError(ValueError):
    """The case is not in a state that allows this (e.g. a decided case cannot be withdrawn)."""


# --- Checking input -----------------------------------------------------------------------------------


def _object(data: Any, allowed: set[str], path: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidChangeError({path or "body": "must be a JSON object"})
    unknown = set(data) - allowed
    if unknown:
        raise InvalidChangeError({f"{path}.{key}" if path else key: "is not a known field" for key in sorted(unknown)})
    return data


def _text(data: dict[str, Any], name: str, errors: dict[str, str], *, max_length: int, required: bool) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "must be text"
        return ""
    if required and not value.strip():
        errors[name] = "is required"
    elif len(value) > max_length:
        errors[name] = f"must be at most {max_length} characters"
    elif "\x00" in value:
        errors[name] = "contains a character that cannot be stored"
    return value


def _date(value: Any, name: str, errors: dict[str, str]) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors[name] = "must be a date (YYYY-MM-DD)"
    return dt.date.min


def _instant(value: Any, name: str, errors: dict[str, str]) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        errors[name] = "must be a date and time with its offset (ISO 8601)"
        return clock.now()
    return instant


def _base64(value: Any, name: str, errors: dict[str, str], *, limit: int) -> bytes:
    if not isinstance(value, str) or len(value) > limit * 4 // 3 + 4:
        errors[name] = "must be base64 text of a small document"
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        errors[name] = "is not base64"
        return b""


def _actor(caller: Caller) -> tuple[str, str]:
    return (ActorKind(caller.principal_kind).value, caller.principal_ref)


def _notify(caller: Caller, case: Case, kind: NoticeKind, event: CaseEvent) -> None:
    """Tell the person that something new waits on Mina sidor (decision 0112), in the event's transaction,
    once per event; not for what the person did themselves."""
    if caller.principal_kind == ActorKind.CITIZEN:
        return
    notice_enqueue(person=case.person, kind=kind, caller=caller, key=f"case:{case.public_id}:event:{event.sequence}")


@dataclasses.dataclass(frozen=True, slots=True)
class _Upload:
    """A file that passed the checks and the malware scan."""

    checked: CheckedUpload
    content: bytes


def _uploads(data: dict[str, Any], errors: dict[str, str]) -> tuple[_Upload, ...]:
    """The ``attachments`` of a message (each ``filename`` and base64 ``content``), checked by their content
    (PDF, JPEG or PNG; ``kernel.uploads``) and scanned for malware. A refused file's error is its refusal
    code (``too_large``, ``name``, ``type``, ``extension``, ``damaged``, ``infected``, ``unscanned``, ...)."""
    raw = data.get("attachments")
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_ATTACHMENTS:
        errors["attachments"] = f"must be a list of at most {MAX_ATTACHMENTS} files"
        return ()
    uploads = []
    for index, item in enumerate(raw):
        key = f"attachments.{index}"
        if not isinstance(item, dict) or set(item) != {"filename", "content"} or not isinstance(item["filename"], str):
            errors[key] = "must be an object with a filename and base64 content"
            continue
        if isinstance(item["content"], str) and len(item["content"]) > MAX_ATTACHMENT_BYTES * 4 // 3 + 4:
            errors[key] = Refusal.TOO_LARGE.value
            continue
        content = _base64(item["content"], key, errors, limit=MAX_ATTACHMENT_BYTES)
        if key in errors:
            continue
        try:
            checked = upload_check(item["filename"], content)
            verdict = configured_scanner().scan(content)
        except UploadRefusedError as error:
            errors[key] = error.refusal.value
            continue
        except ScanError:
            errors[key] = Refusal.UNSCANNED.value
            continue
        if verdict != ScanVerdict.CLEAN:
            errors[key] = Refusal.INFECTED.value
            continue
        uploads.append(_Upload(checked, content))
    return tuple(uploads)


def _attachments_add(message: Message, uploads: tuple[_Upload, ...]) -> None:
    """Keep the message's files (already checked and scanned clean)."""
    for upload in uploads:
        Attachment.objects.create(
            message=message,
            filename=upload.checked.filename,
            content_type=upload.checked.content_type,
            size=upload.checked.size,
            sha256=upload.checked.sha256,
            content=upload.content,
            scan_verdict=ScanVerdict.CLEAN,
            scanned_at=message.sent_at,
            received_at=message.sent_at,
        )


# --- The history --------------------------------------------------------------------------------------


def case_event_add(
    *,
    caller: Caller,
    case: Case,
    kind: EventKind,
    status: CaseStatus | None = None,
    text: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Add an entry to the case's history, numbered after the last (the caller holds the case's lock).

    A status-setting entry (``status`` or ``decision``) must name a status that may follow the current one.
    """
    if (status is not None) != (kind in (EventKind.STATUS, EventKind.DECISION)):
        raise ValueError("a status is set by status and decision entries, and only by them")
    if status is not None and CaseEvent.objects.filter(case=case).exists():
        current = case_status(case)
        if not may_follow(current, status):
            raise CaseStateError(f"a case that is {current} cannot become {status}")
    last = CaseEvent.objects.filter(case=case).order_by("-sequence").values_list("sequence", flat=True).first()
    actor_kind, actor_ref = _actor(caller)
    return CaseEvent.objects.create(
        case=case,
        sequence=(last or 0) + 1,
        occurred_at=clock.now(),
        kind=kind,
        status=status or "",
        actor_kind=actor_kind,
        actor_ref=actor_ref,
        text=text,
        payload=payload or {},
    )


def _message_add(
    caller: Caller, case: Case, kind: EventKind, text: str, payload: dict[str, Any] | None = None
) -> Message:
    event = case_event_add(caller=caller, case=case, kind=kind, payload=payload)
    direction = (
        Message.Direction.IN if kind in (EventKind.MESSAGE_IN, EventKind.COMPLETION_ANSWERED) else Message.Direction.OUT
    )
    return Message.objects.create(case=case, event=event, direction=direction, sent_at=event.occurred_at, text=text)


# --- Opening a case -----------------------------------------------------------------------------------


def _signed(
    submission: dict[str, Any], case_type: str, person: Person, errors: dict[str, str]
) -> tuple[Data, Application | None]:
    document = _object(
        submission.get("document"), {"kind", "version", "canonical_bytes", "sha256", "summary"}, "document"
    )
    evidence = _object(
        submission.get("evidence"),
        {
            "method",
            "signer_identifier",
            "signed_at",
            "signature",
            "ocsp_response",
            "sign_response",
            "signer_certificate",
        },
        "evidence",
    )
    canonical = _base64(document.get("canonical_bytes"), "document.canonical_bytes", errors, limit=MAX_DOCUMENT_BYTES)
    sha256 = document.get("sha256")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        errors["document.sha256"] = "must be 64 lower-case hex digits"
    elif canonical and hashlib.sha256(canonical).hexdigest() != sha256:
        errors["document.sha256"] = "is not the SHA-256 of the canonical bytes"
    if document.get("kind") != DOCUMENT_KINDS[CaseType(case_type)]:
        errors["document.kind"] = f"must be {DOCUMENT_KINDS[CaseType(case_type)]}"
    if document.get("version") != 1 or isinstance(document.get("version"), bool):
        errors["document.version"] = "must be 1"
    doc_errors: dict[str, str] = {}
    summary = _text(document, "summary", doc_errors, max_length=MAX_TEXT, required=True)
    ev_errors: dict[str, str] = {}
    method = evidence.get("method")
    if method not in SignatureMethod.values:
        ev_errors["method"] = f"must be one of {', '.join(SignatureMethod.values)}"
    signer = _text(evidence, "signer_identifier", ev_errors, max_length=256, required=True)
    signed_at = _instant(evidence.get("signed_at"), "signed_at", ev_errors)
    power: CheckedPower | None = None
    on_behalf = on_behalf_of(canonical) if canonical else None
    if on_behalf is not None or submission.get("power_of_attorney") is not None:
        # Signed by a delegate under the person's power of attorney (decision 0216): applications only.
        if case_type not in ON_BEHALF_CASE_TYPES:
            errors["power_of_attorney"] = "is not taken for this case type"
        power = power_check(
            on_behalf=on_behalf,
            proof=submission.get("power_of_attorney"),
            applicant=person.personal_number,
            signer=signer,
            signed_at=signed_at,
            errors=errors,
        )
    elif method == SignatureMethod.BANKID and signer and signer != person.personal_number:
        ev_errors["signer_identifier"] = "is not the person the case is about"
    fields = {
        name: _text(evidence, name, ev_errors, max_length=MAX_EVIDENCE, required=name == "signature")
        for name in ("signature", "ocsp_response", "sign_response", "signer_certificate")
    }
    errors.update({f"document.{k}": v for k, v in doc_errors.items()})
    errors.update({f"evidence.{k}": v for k, v in ev_errors.items()})
    application: Application | None = None
    if canonical and "document.sha256" not in errors:
        try:
            application = document_read(case_type, canonical)
        except DocumentError as error:
            errors.update({f"document.content.{k}": v for k, v in error.errors.items()})
        else:
            if application.applicant != person.personal_number:
                errors["document.content.applicant"] = "is not the person the case is about"
    signed = {
        "canonical_bytes": canonical,
        "sha256": sha256,
        "summary": summary,
        "evidence": {"method": method, "signer_identifier": signer, "signed_at": signed_at, **fields},
        "power": power,
    }
    return signed, application


@dataclasses.dataclass(frozen=True, slots=True)
class _Opening:
    """A checked submission: what the case will hold."""

    case_type: CaseType
    key: str
    subject: str
    message: str
    signed: Data | None
    application: Application | None
    uploads: tuple[_Upload, ...] = ()


def _opening(data: dict[str, Any], person: Person) -> _Opening:
    errors: dict[str, str] = {}
    case_type = data.get("case_type")
    if case_type not in CaseType.values:
        raise InvalidChangeError({"case_type": f"must be one of {', '.join(CaseType.values)}"})
    key = data.get("idempotency_key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        errors["idempotency_key"] = "must be 16 to 128 letters, digits or . _ : -"
    signed: Data | None = None
    application: Application | None = None
    subject = message = ""
    uploads: tuple[_Upload, ...] = ()
    if RULES[CaseType(case_type)].signed:
        errors.update(
            {
                name: "is not given with a signed application"
                for name in ("subject", "message", "attachments")
                if data.get(name)
            }
        )
        signed, application = _signed(data, case_type, person, errors)
    else:
        errors.update(
            {
                name: "is only given with a signed application"
                for name in ("document", "evidence", "power_of_attorney")
                if data.get(name) is not None
            }
        )
        subject = _text(data, "subject", errors, max_length=MAX_SUBJECT, required=True)
        message = _text(data, "message", errors, max_length=MAX_TEXT, required=True)
        if not errors:
            uploads = _uploads(data, errors)
    if errors:
        raise InvalidChangeError(errors)
    return _Opening(CaseType(case_type), str(key), subject, message, signed, application, uploads)


# The fields of a submission: every kind of case is opened from these (``case_open`` and what builds on it).
_SUBMISSION_FIELDS = {
    "case_type",
    "idempotency_key",
    "subject",
    "message",
    "attachments",
    "document",
    "evidence",
    "power_of_attorney",
}


def _same_submission(case: Case, person: Person, opening: _Opening) -> bool:
    """Whether ``case`` was opened by this very submission (same person, type and signed document)."""
    stored = case.documents.values_list("sha256", flat=True).first()
    sha256 = None if opening.signed is None else opening.signed["sha256"]
    return case.person_id == person.pk and case.case_type == opening.case_type and stored == sha256


@transaction.atomic(using=ALIAS)
def case_open(*, caller: Caller, personal_number: str, submission: Any) -> Data:
    """Open a case from a submission, or give the case a submission with the same key already opened.

    ``submission``: ``case_type``, ``idempotency_key`` (16–128 of A–Z a–z 0–9 . _ : -); for a signed type
    the ``document`` (``kind``, ``version``, ``canonical_bytes`` base64, ``sha256``, ``summary``) and the
    signature ``evidence``; for a question its ``subject`` and ``message``. The same key with another
    person or another document is refused (it would otherwise hand out someone else's case).
    """
    data = _object(submission, _SUBMISSION_FIELDS)
    person = person_get(personal_number)
    opening = _opening(data, person)
    case = Case.objects.filter(idempotency_key=opening.key).first()
    if case is None:
        try:
            with transaction.atomic(using=ALIAS):
                case = _case_create(caller=caller, person=person, opening=opening)
        except IntegrityError:  # the same key committed meanwhile by a concurrent submission
            case = Case.objects.filter(idempotency_key=opening.key).first()
            if case is None:
                raise
    if not _same_submission(case, person, opening):
        raise InvalidChangeError({"idempotency_key": "was used for another submission"})
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="case.submit")
    return case_summary_data(case)


def _case_create(*, caller: Caller, person: Person, opening: _Opening) -> Case:
    opened = clock.now()
    first_month = None if opening.application is None else opening.application.first_month
    case = Case.objects.create(
        person=person,
        case_type=opening.case_type,
        opened_at=opened,
        expected_decision_on=expected_decision_on(opening.case_type, clock.today(), first_month),
        idempotency_key=opening.key,
        subject=opening.subject,
    )
    received = case_event_add(caller=caller, case=case, kind=EventKind.STATUS, status=CaseStatus.RECEIVED)
    signed = opening.signed
    if signed is not None:
        event = case_event_add(caller=caller, case=case, kind=EventKind.DOCUMENT)
        document = SignedDocument.objects.create(
            case=case,
            event=event,
            kind=DOCUMENT_KINDS[opening.case_type],
            version=1,
            canonical_bytes=signed["canonical_bytes"],
            sha256=signed["sha256"],
            summary=signed["summary"],
            received_at=opened,
        )
        SignatureEvidence.objects.create(document=document, **signed["evidence"])
        power: CheckedPower | None = signed["power"]
        if power is not None:
            DelegateSignature.objects.create(
                document=document,
                delegate=power.delegate,
                delegate_name=power.delegate_name,
                power_reference=power.reference,
                power_canonical_bytes=power.canonical_bytes,
                power_sha256=power.sha256,
                scopes=power.scopes,
                valid_from=power.valid_from,
                valid_until=power.valid_until,
                grantor_evidence=power.grantor_evidence,
            )
            # The person did not send this themselves: tell them, by the channel they chose, that a case waits
            # (decision 0216; the text names nothing of it). Once per case: the key is the case's first event.
            notice_enqueue(
                person=person,
                kind=NoticeKind.CASE_STATUS,
                caller=caller,
                key=f"case:{case.public_id}:event:{received.sequence}",
            )
    if opening.message:
        _attachments_add(_message_add(caller, case, EventKind.MESSAGE_IN, opening.message), opening.uploads)
    return case


# --- The citizen's actions ----------------------------------------------------------------------------


def _status_set(caller: Caller, case: Case, status: CaseStatus, text: str = "") -> CaseEvent:
    return case_event_add(caller=caller, case=case, kind=EventKind.STATUS, status=status, text=text)


def _one_text(change: Any, name: str, *, required: bool, extra: set[str] | None = None) -> tuple[str, dict[str, Any]]:
    data = _object(change, {name} | (extra or set()))
    errors: dict[str, str] = {}
    text = _text(data, name, errors, max_length=MAX_TEXT, required=required)
    if errors:
        raise InvalidChangeError(errors)
    return text, data


def _checked_uploads(data: dict[str, Any]) -> tuple[_Upload, ...]:
    errors: dict[str, str] = {}
    uploads = _uploads(data, errors)
    if errors:
        raise InvalidChangeError(errors)
    return uploads


@transaction.atomic(using=ALIAS)
def case_withdraw(*, caller: Caller, personal_number: str, case_id: str, change: Any) -> Data:
    """Withdraw an open case (``change``: an optional ``text`` saying why); a decided case cannot be."""
    text, _ = _one_text(change, "text", required=False)
    case = case_get(case_id, personal_number=personal_number, for_update=True)
    status = case_status(case)
    if status not in OPEN_STATUSES:
        raise CaseStateError(f"a case that is {status} cannot be withdrawn")
    _notify(caller, case, NoticeKind.CASE_STATUS, _status_set(caller, case, CaseStatus.WITHDRAWN, text))
    register_access_record_create(caller=caller, personal_number=personal_number, action="case.withdraw")
    return case_detail_data(case, for_staff=False)


@transaction.atomic(using=ALIAS)
def case_message_send(*, caller: Caller, personal_number: str, case_id: str, change: Any) -> Data:
    """A message from the person in their case (``change``: ``text``, optional ``attachments``)."""
    text, data = _one_text(change, "text", required=True, extra={"attachments"})
    uploads = _checked_uploads(data)
    case = case_get(case_id, personal_number=personal_number, for_update=True)
    message = _message_add(caller, case, EventKind.MESSAGE_IN, text)
    _attachments_add(message, uploads)
    register_access_record_create(caller=caller, personal_number=personal_number, action="case.message_send")
    return case_detail_data(message.case, for_staff=False)


@transaction.atomic(using=ALIAS)
def case_completion_answer(*, caller: Caller, personal_number: str, case_id: str, change: Any) -> Data:
    """The person's answer to a completion request (``change``: ``text``, optional ``attachments``: the
    documents asked for); the case is handled again."""
    text, data = _one_text(change, "text", required=True, extra={"attachments"})
    uploads = _checked_uploads(data)
    case = case_get(case_id, personal_number=personal_number, for_update=True)
    if case_status(case) != CaseStatus.AWAITING_COMPLETION:
        raise CaseStateError("the case is not waiting for a completion")
    _attachments_add(_message_add(caller, case, EventKind.COMPLETION_ANSWERED, text), uploads)
    _status_set(caller, case, CaseStatus.IN_PROGRESS)
    register_access_record_create(caller=caller, personal_number=personal_number, action="case.completion_answer")
    return case_detail_data(case, for_staff=False)


# --- Customer service's actions ------------------------------------------------------------------------

MAX_CALL_NOTE = 2_000


@transaction.atomic(using=ALIAS)
def case_call_note(*, caller: Caller, personal_number: str, case_id: str, change: Any) -> Data:
    """Customer service notes a call with the person in one of their cases (``change``: ``text``, at most
    MAX_CALL_NOTE characters). Only an agent may; the person sees the note in the case's history."""
    if caller.principal_kind != ActorKind.AGENT:
        raise CaseworkPermissionError("only customer service notes a call")
    data = _object(change, {"text"})
    errors: dict[str, str] = {}
    text = _text(data, "text", errors, max_length=MAX_CALL_NOTE, required=True)
    if errors:
        raise InvalidChangeError(errors)
    case = case_get(case_id, personal_number=personal_number, for_update=True)
    case_event_add(caller=caller, case=case, kind=EventKind.CALL_NOTE, text=text)
    register_access_record_create(caller=caller, personal_number=personal_number, action="case.call_note")
    return case_detail_data(case, for_staff=False)


# --- The handler's actions ----------------------------------------------------------------------------


def _handled(caller: Caller, case_id: str) -> Case:
    staff_check(caller)
    return case_get(case_id, for_update=True)


def _recorded(caller: Caller, case: Case, action: str) -> Data:
    register_access_record_create(caller=caller, personal_number=case.person.personal_number, action=action)
    return handler_case_data(case)


@transaction.atomic(using=ALIAS)
def case_handling_start(*, caller: Caller, case_id: str) -> Data:
    """A handler takes a received case: it is being handled."""
    case = _handled(caller, case_id)
    if case_status(case) != CaseStatus.RECEIVED:
        raise CaseStateError("only a received case can be taken up")
    _notify(caller, case, NoticeKind.CASE_STATUS, _status_set(caller, case, CaseStatus.IN_PROGRESS))
    return _recorded(caller, case, "case.handling_start")


@transaction.atomic(using=ALIAS)
def case_completion_request(*, caller: Caller, case_id: str, change: Any) -> Data:
    """Ask the person for a completion (``change``: ``text``, ``due`` date) — the case waits for it."""
    text, data = _one_text(change, "text", required=True, extra={"due"})
    errors: dict[str, str] = {}
    due = _date(data.get("due"), "due", errors)
    if not errors and due <= clock.today():
        errors["due"] = "must be a later day"
    if errors:
        raise InvalidChangeError(errors)
    case = _handled(caller, case_id)
    if case_status(case) not in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS):
        raise CaseStateError("only a case being handled can wait for a completion")
    _message_add(caller, case, EventKind.COMPLETION_REQUESTED, text, {"due": due.isoformat()})
    _notify(caller, case, NoticeKind.COMPLETION_DUE, _status_set(caller, case, CaseStatus.AWAITING_COMPLETION))
    return _recorded(caller, case, "case.completion_request")


@transaction.atomic(using=ALIAS)
def case_message_answer(*, caller: Caller, case_id: str, change: Any) -> Data:
    """A message from the authority in the case (``change``: ``text``)."""
    text, _ = _one_text(change, "text", required=True)
    case = _handled(caller, case_id)
    message = _message_add(caller, case, EventKind.MESSAGE_OUT, text)
    _notify(caller, case, NoticeKind.MESSAGE, message.event)
    return _recorded(caller, case, "case.message_answer")


@transaction.atomic(using=ALIAS)
def case_close(*, caller: Caller, case_id: str, change: Any) -> Data:
    """Close an open case without a decision (a question answered, an application dropped): ``text`` why."""
    text, _ = _one_text(change, "text", required=True)
    case = _handled(caller, case_id)
    if case_status(case) not in OPEN_STATUSES:
        raise CaseStateError("only an open case can be closed")
    _notify(caller, case, NoticeKind.CASE_STATUS, _status_set(caller, case, CaseStatus.CLOSED, text))
    return _recorded(caller, case, "case.close")


def _amounts(grant_parts: Any, payments: Any) -> dict[str, Any]:
    return {
        "parts": [
            {
                "benefit": p.benefit,
                "payable_from": p.payable_from.isoformat(),
                "share": p.share,
                "monthly_amount": str(p.monthly_amount),
            }
            for p in grant_parts
        ],
        "payments": [
            {"payment_date": p.payment_date.isoformat(), "gross": str(p.gross), "tax": str(p.tax), "net": str(p.net)}
            for p in payments
        ],
    }


def _account_register(caller: Caller, case: Case, account: Any) -> None:
    if isinstance(account, SwedishAccount):
        payment_account_update(
            caller=caller,
            personal_number=case.person.personal_number,
            change={
                "bank_name": account.bank_name,
                "clearing_number": account.clearing_number,
                "account_number": account.account_number,
            },
        )


def handler_reference(caller: Caller) -> str:
    """The reference a decision letter gives for the handler who decided (docs/decisions/0155): six
    characters derived from the staff id, so a citizen can quote it without learning a staff login name."""
    return "H-" + hashlib.sha256(caller.principal_ref.encode()).hexdigest()[:6].upper()


@transaction.atomic(using=ALIAS)
def application_decide(*, caller: Caller, case_id: str, change: Any) -> Data:
    """Decide an application (``change``: ``outcome`` granted or rejected, ``text``: the reasons, required
    for a rejection). A granted old-age pension writes its decisions and payments into the register, and
    a Swedish payment account; a granted change of account registers the account; a granted change of
    withdrawal writes the new decisions of the parts it changes and the next payment (decision 0150). A
    withdrawn or decided case cannot be decided."""
    text, data = _one_text(change, "text", required=False, extra={"outcome"})
    outcome = data.get("outcome")
    if outcome not in ("granted", "rejected"):
        raise InvalidChangeError({"outcome": "must be granted or rejected"})
    if outcome == "rejected" and not text.strip():
        raise InvalidChangeError({"text": "is required: a rejection gives its reasons"})
    case = _handled(caller, case_id)
    if not RULES[CaseType(case.case_type)].decided:
        raise CaseStateError("a question is closed, not decided")
    status = case_status(case)
    if status not in OPEN_STATUSES:
        raise CaseStateError(f"a case that is {status} cannot be decided")
    payload: dict[str, Any] = {"outcome": outcome, "handler_reference": handler_reference(caller)}
    if outcome == "granted":
        document = case.documents.order_by("id").first()
        application = None if document is None else document_read(case.case_type, bytes(document.canonical_bytes))
        if isinstance(application, OldAgePensionApplication):
            try:
                grant = old_age_pension_grant(
                    case.person,
                    application,
                    arrived=case.opened_at.astimezone(clock.SWEDISH_TIME).date(),
                    decided=clock.today(),
                )
            except GrantError as error:
                raise InvalidChangeError({"outcome": str(error)}) from None
            pension_grant_record(
                caller=caller,
                personal_number=case.person.personal_number,
                decisions=grant.decisions,
                payments=grant.payments,
            )
            _account_register(caller, case, application.payment_account)
            payload |= _amounts(grant.parts, grant.payments)
            payload["survivor_protection"] = application.survivor_protection
        elif isinstance(application, PaymentAccountChange):
            _account_register(caller, case, application.payment_account)
        elif isinstance(application, WithdrawalChange):
            try:
                changed = withdrawal_change_grant(case.person, application, decided=clock.today())
            except GrantError as error:
                raise InvalidChangeError({"outcome": str(error)}) from None
            pension_grant_record(
                caller=caller,
                personal_number=case.person.personal_number,
                decisions=changed.decisions,
                payments=changed.payments,
            )
            payload |= _amounts(changed.parts, changed.payments)
            payload["change"] = application.change
        elif isinstance(application, HousingSupplementApplication):
            try:
                housing = housing_supplement_grant(
                    case.person, application, arrived=case.opened_at.astimezone(clock.SWEDISH_TIME).date()
                )
            except GrantError as error:
                raise InvalidChangeError({"outcome": str(error)}) from None
            payload |= {
                "payable_from": housing.payable_from.isoformat(),
                "housing_supplement_per_month": str(housing.housing_supplement_per_month),
                "maintenance_support_per_month": str(housing.maintenance_support_per_month),
            }
    decision = case_event_add(
        caller=caller, case=case, kind=EventKind.DECISION, status=CaseStatus.DECIDED, text=text, payload=payload
    )
    _notify(caller, case, NoticeKind.CASE_STATUS, decision)
    return _recorded(caller, case, "case.decide")


# --- Reminders: the proactive delay notice and a completion soon due ----------------------------------

REMINDER = Caller(service="casework", channel="in_process", principal_kind="system", principal_ref="casework-reminders")
COMPLETION_REMINDER = dt.timedelta(days=2)
REMINDER_BATCH = 1000


def cases_reminders_send(*, caller: Caller = REMINDER) -> int:
    """Notices for open cases whose expected decision date has passed without a decision (once per case and
    date: the proactive delay notice) and for completions due within two days (once per request); how many
    were enqueued. Each case in its own transaction; run by a periodic job."""
    today = clock.today()
    sent = 0
    late = with_status(Case.objects.filter(expected_decision_on__lt=today)).filter(
        **{"current_status__in": [str(s) for s in OPEN_STATUSES]}
    )
    for case in late.select_related("person").order_by("expected_decision_on", "id")[:REMINDER_BATCH]:
        sent += _reminder(caller, case, NoticeKind.DECISION_DELAYED, f"delayed:{case.expected_decision_on}")
    waiting = with_status(Case.objects.all()).filter(**{"current_status": str(CaseStatus.AWAITING_COMPLETION)})
    for case in waiting.select_related("person").order_by("id")[:REMINDER_BATCH]:
        request = CaseEvent.objects.filter(case=case, kind=EventKind.COMPLETION_REQUESTED).order_by("-sequence").first()
        due = None if request is None else request.payload.get("due")
        if isinstance(due, str) and dt.date.fromisoformat(due) - today <= COMPLETION_REMINDER:
            sent += _reminder(caller, case, NoticeKind.COMPLETION_DUE, f"completion-due:{request.sequence}")  # type: ignore[union-attr]
    return sent


def _reminder(caller: Caller, case: Case, kind: NoticeKind, what: str) -> int:
    key = f"case:{case.public_id}:{what}"
    if Notice.objects.filter(key=key).exists():
        return 0
    with transaction.atomic(using=ALIAS):
        return 1 if notice_enqueue(person=case.person, kind=kind, caller=caller, key=key) else 0


# --- A signed change of payment account, applied at once (issue 18.3) -------------------------------------

SIGNED_CHANGES = Caller(
    service="casework", channel="in_process", principal_kind="system", principal_ref="signed-account-change"
)
# The payment file goes to the bank this long before the payment day; a change after that reaches the next
# payment only (the project's choice: the authority publishes no cut-off).
PAYMENT_FILE_LEAD = dt.timedelta(days=6)


def _next_payment_not_sent(person: Person) -> dt.date | None:
    """The day of the first payment whose file has not gone to the bank: a planned one in the register, else (for a
    person drawing pension, monthly) the same day a month after the last one planned; None before any payment."""
    cut_off = clock.today() + PAYMENT_FILE_LEAD
    payments = PensionPayment.objects.filter(person=person)
    planned = payments.filter(payment_date__gt=cut_off).order_by("payment_date").first()
    if planned is not None:
        return planned.payment_date
    last = payments.order_by("-payment_date").first()
    if last is None or not person.drawing_pension:
        return None
    month = last.payment_date.month % 12 + 1
    year = last.payment_date.year + (last.payment_date.month == 12)
    return last.payment_date.replace(year=year, month=month, day=min(last.payment_date.day, 28))


@transaction.atomic(using=ALIAS)
def payment_account_change_apply(*, caller: Caller, personal_number: str, submission: Any) -> Data:
    """A signed change of payment account, applied at once: opened as a case of its own with the signed document and
    its evidence (``case_open``: safe to repeat with the same key), every known contact point told before the
    change — the e-mail address replaced in the last 30 days too — the new account registered, and the case
    decided by the system. The answer is the case's summary with ``effective_payment``: the day of the first
    payment the new account gets (the next whose file has not gone to the bank; null before any payment)."""
    data = _object(submission, _SUBMISSION_FIELDS)
    if data.get("case_type") != CaseType.PAYMENT_ACCOUNT_CHANGE:
        raise InvalidChangeError({"case_type": "must be payment_account_change"})
    opened = case_open(caller=caller, personal_number=personal_number, submission=submission)
    case = Case.objects.select_related("person").get(public_id=opened["case_id"])
    if case_status(case) in OPEN_STATUSES:
        document = case.documents.order_by("id").first()
        application = None if document is None else document_read(case.case_type, bytes(document.canonical_bytes))
        if not isinstance(application, PaymentAccountChange):
            raise InvalidChangeError({"document": "is not a change of payment account"})
        if not isinstance(application.payment_account, SwedishAccount):
            raise InvalidChangeError({"document": "an account abroad cannot be registered here yet"})
        effective = _next_payment_not_sent(case.person)
        notice_enqueue(
            person=case.person,
            kind=NoticeKind.DETAILS_CHANGED,
            caller=caller,
            key=f"case:{case.public_id}:account-changed",
        )
        _account_register(caller, case, application.payment_account)
        payload = {"outcome": "granted", "effective_payment": None if effective is None else effective.isoformat()}
        case_event_add(
            caller=SIGNED_CHANGES,
            case=case,
            kind=EventKind.DECISION,
            status=CaseStatus.DECIDED,
            text="",
            payload=payload,
        )
    decision = CaseEvent.objects.filter(case=case, kind=EventKind.DECISION).order_by("-sequence").first()
    effective_text = None if decision is None else decision.payload.get("effective_payment")
    register_access_record_create(
        caller=caller, personal_number=case.person.personal_number, action="payment_account.change_signed"
    )
    return {**case_summary_data(case), "effective_payment": effective_text}
