"""Reads: the person's signed application and, once sent, its case in the back office (each with its access
record)."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from minasidor.applications.models import SignedApplication
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CaseDetail, CaseNotFoundError, RegistersUnavailableError

APPLICATION_VIEWED = Action("application.viewed", _("Looked at your signed application and its case"))


def signed_application_get(*, identity: Identity, submission_id: uuid.UUID) -> SignedApplication | None:
    """The signed application ``submission_id`` if it is this person's (another's is not found, like a
    missing one), with the access record of the read."""
    row = SignedApplication.objects.filter(pk=submission_id, subject_ref=identity.pseudonym).first()
    if row is not None:
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=APPLICATION_VIEWED,
            purpose=Purpose.SELF_SERVICE,
        )
    return row


def signed_application_of_document(*, identity: Identity, sha256: str) -> SignedApplication | None:
    """The person's signed application of the document with this hash, if one was kept (no data is shown)."""
    return SignedApplication.objects.filter(subject_ref=identity.pseudonym, sha256=sha256).first()


def case_of(*, identity: Identity, row: SignedApplication) -> CaseDetail | None:
    """The case a sent application opened, as the back office has it now; None before it is sent, or when the
    back office does not answer (the page says so)."""
    if row.case_id is None or identity.personal_number is None:
        return None
    try:
        return registers().case(identity.principal, identity.personal_number, row.case_id)
    except (CaseNotFoundError, RegistersUnavailableError):
        return None


def signed_application_of_case(*, identity: Identity, case_id: uuid.UUID) -> SignedApplication | None:
    """The person's sent application that opened the case ``case_id`` (another person's case: None)."""
    return SignedApplication.objects.filter(subject_ref=identity.pseudonym, case_id=case_id).first()
