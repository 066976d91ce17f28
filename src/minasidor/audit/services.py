"""Writes to the access log. Call them inside the transaction of the read or change being recorded."""

from __future__ import annotations

from django.db import transaction

from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.types import Action, Principal, PrincipalKind, Purpose
from minasidor.core import request_id


def access_record_create(*, principal: Principal, subject_key: str, action: Action, purpose: Purpose) -> AccessRecord:
    """Record that ``principal`` did ``action`` on the data of the person with ``subject_key``, for ``purpose``.

    It joins the caller's transaction, so the record and the change stand or fall together. A page read by a
    delegate acting for the person names its purpose as self-service (the pages do not know who acts): the
    record says instead that it was done with the person's power of attorney (decision 0180).
    """
    if principal.kind == PrincipalKind.DELEGATE and purpose == Purpose.SELF_SERVICE:
        purpose = Purpose.POWER_OF_ATTORNEY
    with transaction.atomic(using="default"):
        return AccessRecord.objects.create(
            occurred_at=clock.now(),
            principal_kind=principal.kind,
            principal_ref=principal.ref,
            subject_ref=pseudonym_for(subject_key),
            action=action.name,
            purpose=purpose,
            request_id=request_id.current(),
        )
