"""Reads of the access log; each names its principal, and reading the log is itself recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import ACCESS_LOG_VIEWED, Principal, PrincipalKind, Purpose


def access_records_for_subject(
    *, principal: Principal, subject_key: str, principal_key: str | None = None, limit: int = 200
) -> list[AccessRecord]:
    """The newest records about the person with ``subject_key``, as read by that person themself.

    ``principal_key``: the key the principal is named by when it is not the subject key (a foreign eID bound
    to the person's Swedish number, ``Identity.principal_key``)."""
    own = pseudonym_for(principal_key or subject_key)
    if principal.kind is not PrincipalKind.CITIZEN or principal.ref != own:
        raise PermissionDenied("Only the person themself reads their access log here")
    with transaction.atomic(using="default"):
        records = list(AccessRecord.objects.filter(subject_ref=pseudonym_for(subject_key))[:limit])
        access_record_create(
            principal=principal,
            subject_key=subject_key,
            action=ACCESS_LOG_VIEWED,
            purpose=Purpose.SELF_SERVICE,
        )
    return records
