"""Writes: a signed application kept in the outbox, and its sending to the back office, exactly once.

:func:`signed_application_keep` writes the signed document and its evidence in the portal's database, with
its access record, before anything is sent: the same document signed by the same person is one row (its
idempotency key is unique), however often the browser comes back with it (double click, reload, two tabs).
:func:`signed_application_send` submits a kept row through ``registers.case_submit`` under that key — the
back office gives the case it already opened for a key it knows — and marks the row sent only when the back
office has answered with the case. When the back office does not answer the row stays pending, with the next
attempt later; :func:`signed_applications_send_due` (a periodic background task) sends what is due.
"""

from __future__ import annotations

import datetime as dt
import json

import structlog
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.applications.documents import idempotency_key
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.applications.selectors import signed_application_of_document
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, PrincipalKind, Purpose
from minasidor.identity.session import acting_power_document
from minasidor.identity.types import Identity, PowerDocument
from minasidor.registers import registers
from minasidor.registers.types import (
    CaseSubmission,
    CaseSummary,
    CaseType,
    InvalidChangeError,
    PersonNotFoundError,
    PowerOfAttorneyProof,
    RegistersUnavailableError,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
)
from minasidor.signing_step.flow import Signature

logger = structlog.get_logger(__name__)

APPLICATION_SIGNED = Action("application.signed", _("Signed an application, kept until it reaches case handling"))
APPLICATION_SENT = Action("application.sent", _("Sent your signed application to case handling"))

# Waits before the next attempt after a failed one (the last is repeated): soon at first, then less often.
RETRY_DELAYS = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)
SEND_BATCH = 100


def _evidence_data(evidence: SignatureEvidence) -> dict[str, str]:
    return {
        "method": str(evidence.method),
        "signer_identifier": evidence.signer_identifier,
        "signed_at": evidence.signed_at.isoformat(),
        "signature": evidence.signature,
        "ocsp_response": evidence.ocsp_response,
        "sign_response": evidence.sign_response,
        "signer_certificate": evidence.signer_certificate,
    }


def _evidence(data: dict[str, str]) -> SignatureEvidence:
    return SignatureEvidence(
        method=SignatureMethod(data["method"]),
        signer_identifier=data["signer_identifier"],
        signed_at=dt.datetime.fromisoformat(data["signed_at"]),
        signature=data["signature"],
        ocsp_response=data["ocsp_response"],
        sign_response=data["sign_response"],
        signer_certificate=data["signer_certificate"],
    )


def signed_application_keep(
    *, identity: Identity, signature: Signature, case_type: CaseType, language: str
) -> SignedApplication:
    """Keep ``signature``'s document in the outbox for ``identity`` (or give the row already kept for it)."""
    if identity.personal_number is None:
        raise ValueError("only a person with a Swedish number applies here")
    document = signature.document
    key = idempotency_key(document.hash_hex, identity.personal_number.value)
    existing = SignedApplication.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    power = _power_signed_under(identity, signature)
    now = clock.now()
    try:
        with transaction.atomic(using="default"):
            row = SignedApplication.objects.create(
                idempotency_key=key,
                subject_ref=identity.pseudonym,
                principal_ref=identity.principal.ref,
                case_type=str(case_type),
                kind=document.kind.value,
                version=document.version,
                canonical_bytes=document.canonical,
                sha256=document.hash_hex,
                summary=document.summary,
                evidence=_evidence_data(signature.evidence),
                language=language,
                signed_at=signature.signed_at,
                kept_at=now,
                next_attempt_at=now,
                power_canonical=None if power is None else power.canonical,
                power_evidence=None if power is None else power.evidence,
            )
            access_record_create(
                principal=identity.principal,
                subject_key=identity.subject_key,
                action=APPLICATION_SIGNED,
                purpose=Purpose.SELF_SERVICE,
            )
    except IntegrityError:  # the same document kept meanwhile by another request (two tabs, a double click)
        return SignedApplication.objects.get(idempotency_key=key)
    return row


class PowerEndedError(ValueError):
    """The power of attorney the delegate signed under is no longer in force, or does not cover applying, or the
    signed document does not name it: the signature is refused (decision 0216)."""


def _power_signed_under(identity: Identity, signature: Signature) -> PowerDocument | None:
    """The live power a delegate signed ``signature`` under, checked against the signed document's ``on_behalf``
    (None when the person signed themself); raises :class:`PowerEndedError`."""
    if identity.acting is None:
        return None
    power = acting_power_document(identity.acting)
    on_behalf = signature.document.content.get("on_behalf")
    if (
        power is None
        or not identity.acting.covers("apply")
        or not isinstance(on_behalf, dict)
        or on_behalf.get("power_sha256") != power.sha256
        or on_behalf.get("delegate") != signature.signer
    ):
        raise PowerEndedError("the power of attorney does not cover this signature now")
    return power


def _submission(row: SignedApplication) -> CaseSubmission:
    power = None
    if row.power_canonical is not None and row.power_evidence is not None:
        power = PowerOfAttorneyProof(bytes(row.power_canonical), _evidence(row.power_evidence))
    return CaseSubmission(
        power_of_attorney=power,
        case_type=CaseType(row.case_type),
        idempotency_key=row.idempotency_key,
        document=SignedDocument(
            kind=row.kind,
            version=row.version,
            canonical_bytes=bytes(row.canonical_bytes),
            sha256=row.sha256,
            summary=row.summary,
        ),
        evidence=_evidence(row.evidence),
    )


def applicant_of(row: SignedApplication) -> PersonalNumber:
    """The personal number the signed document names (its content's ``applicant``)."""
    envelope = json.loads(bytes(row.canonical_bytes))
    return PersonalNumber(envelope["content"]["applicant"])


def signed_application_send(*, row: SignedApplication) -> SignedApplication:
    """Submit a kept row (again) under its idempotency key; the row comes back sent, still pending (the back
    office did not answer: next attempt later), or refused (customer service takes over)."""
    if row.status != SubmissionStatus.PENDING:
        return row
    kind = PrincipalKind.DELEGATE if row.by_delegate else PrincipalKind.CITIZEN
    principal = Principal(kind=kind, ref=row.principal_ref)
    personal_number = applicant_of(row)
    now = clock.now()
    try:
        summary: CaseSummary = registers().case_submit(principal, personal_number, _submission(row))
    except RegistersUnavailableError:
        delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS) - 1)]
        SignedApplication.objects.filter(pk=row.pk, status=SubmissionStatus.PENDING).update(
            attempts=row.attempts + 1, next_attempt_at=now + delay, last_problem="back office unavailable"
        )
        logger.warning("application.send_postponed", attempts=row.attempts + 1, submission=str(row.pk))
        row.refresh_from_db()
        return row
    except (InvalidChangeError, PersonNotFoundError) as error:
        problem = "; ".join(f"{k}: {v}" for k, v in getattr(error, "errors", {}).items()) or type(error).__name__
        SignedApplication.objects.filter(pk=row.pk, status=SubmissionStatus.PENDING).update(
            status=SubmissionStatus.REFUSED, attempts=row.attempts + 1, last_problem=problem[:200]
        )
        logger.error("application.refused", submission=str(row.pk), problem=problem[:200])
        row.refresh_from_db()
        return row
    with transaction.atomic(using="default"):
        updated = SignedApplication.objects.filter(pk=row.pk, status=SubmissionStatus.PENDING).update(
            status=SubmissionStatus.SENT, case_id=summary.case_id, sent_at=now, attempts=row.attempts + 1
        )
        if updated:
            access_record_create(
                principal=principal,
                subject_key=f"se:{personal_number.value}",
                action=APPLICATION_SENT,
                purpose=Purpose.SELF_SERVICE,
            )
    row.refresh_from_db()
    return row


def signed_applications_send_due(*, limit: int = SEND_BATCH) -> dict[str, int]:
    """Send the pending rows whose next attempt is due (the background task's work); counts by outcome."""
    due = SignedApplication.objects.filter(status=SubmissionStatus.PENDING, next_attempt_at__lte=clock.now())
    counts = {"sent": 0, "pending": 0, "refused": 0}
    for row in due.order_by("next_attempt_at")[:limit]:
        counts[signed_application_send(row=row).status] += 1
    return counts


def signed_application_submit(
    *, identity: Identity, signature: Signature, case_type: CaseType, language: str
) -> SignedApplication:
    """Keep the signed document (:func:`signed_application_keep`), then try to send it at once
    (:func:`signed_application_send`): the row comes back sent, or pending for the background task."""
    row = signed_application_keep(identity=identity, signature=signature, case_type=case_type, language=language)
    return signed_application_send(row=row)


def signed_application_receive(
    *, identity: Identity, sha256: str, signature: Signature | None, case_type: CaseType, language: str
) -> SignedApplication | None:
    """The person's application of the document with hash ``sha256``, where the signing step returns: with the
    ``signature`` just made, kept and sent at once (:func:`signed_application_submit`); without one (a reload,
    the back button, a second tab) the one kept before, so one signed document stays one application; None when
    none was kept."""
    if signature is not None:
        return signed_application_submit(identity=identity, signature=signature, case_type=case_type, language=language)
    return signed_application_of_document(identity=identity, sha256=sha256)
