"""The citizen orders a new personal code: through the registers, with its access record."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers

PERSONAL_CODE_ORDERED = Action("personal_code.ordered", _("Ordered a new personal code by post"))


def personal_code_order(*, identity: Identity) -> bool:
    """Order a new code for the logged-in person: the old one stops working, the new one comes by post.

    Returns False when an ordered code is already on its way (no second code is issued). Needs a Swedish
    personal or coordination number (the caller checks).
    """
    if identity.personal_number is None:
        raise ValueError("a personal code needs a Swedish personal or coordination number")
    with transaction.atomic():
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=PERSONAL_CODE_ORDERED,
            purpose=Purpose.SELF_SERVICE,
        )
        return registers().personal_code_order(identity.principal, identity.personal_number)
