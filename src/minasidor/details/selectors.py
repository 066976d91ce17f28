"""Reads of My details: the citizen's customer records, read now through the ``registers`` doorway (never the
session's copy, so a change shows at once), each read recorded in the access log."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CustomerRecords, PersonNotFoundError, RegistersUnavailableError

DETAILS_VIEWED = Action("details.viewed", _("Looked at your details: address, contact details, account and tax"))


@dataclasses.dataclass(frozen=True, slots=True)
class MyDetails:
    """What My details shows: the records, or why there are none — the back office did not answer
    (``unavailable``: never shown as empty details), the person has no Swedish number (``no_number``) or the
    register does not know them (``unknown``)."""

    records: CustomerRecords | None = None
    unavailable: bool = False
    no_number: bool = False
    unknown: bool = False


def details_get(*, identity: Identity) -> MyDetails:
    """The logged-in citizen's customer records, recorded as read."""
    if identity.personal_number is None:
        return MyDetails(no_number=True)
    try:
        records = registers().customer_records(identity.principal, identity.personal_number)
    except PersonNotFoundError:
        return MyDetails(unknown=True)
    except RegistersUnavailableError:
        return MyDetails(unavailable=True)
    with transaction.atomic(using="default"):
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=DETAILS_VIEWED,
            purpose=Purpose.SELF_SERVICE,
        )
    return MyDetails(records=records)
