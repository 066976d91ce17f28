"""Writes of My details, each through the ``registers`` doorway in one transaction with the citizen's access
record (a change the back office refuses leaves no record of a change)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import (
    ContactDetails,
    ContactDetailsChange,
    EmailConfirmationOutcome,
    PostalAddress,
    TaxSettings,
    TaxSettingsChange,
)

CONTACT_CHANGED = Action("details.contact_changed", _("Changed your contact details"))
EMAIL_LINK_SENT = Action("details.email_link_sent", _("Asked for a link to confirm your e-mail address"))
TAX_CHANGED = Action("details.tax_changed", _("Changed the tax withheld from your pension"))
EMAIL_CONFIRMED = Action("details.email_confirmation_used", _("Used the link that confirms your e-mail address"))

_KEEP: PostalAddress = PostalAddress("", "", "")  # "leave the special postal address as it is"


def _record(identity: Identity, action: Action) -> None:
    access_record_create(
        principal=identity.principal, subject_key=identity.subject_key, action=action, purpose=Purpose.SELF_SERVICE
    )


def contact_details_change(
    *,
    identity: Identity,
    current: ContactDetails,
    email: str | None = None,
    phone: str | None = None,
    notice_choice: str | None = None,
    language: str | None = None,
    special_postal_address: PostalAddress | None = _KEEP,
) -> ContactDetails:
    """Change what is given and keep the rest as ``current`` has it (the e-mail in use: a new address waiting
    for its confirmation stays waiting). Raises the doorway's ``InvalidChangeError`` with the refused fields."""
    if identity.personal_number is None:
        raise ValueError("My details need a Swedish personal or coordination number")
    change = ContactDetailsChange(
        email=current.email if email is None else email,
        phone=current.phone if phone is None else phone,
        special_postal_address=(
            current.special_postal_address if special_postal_address is _KEEP else special_postal_address
        ),
        notice_choice=notice_choice,
        language=language,
    )
    with transaction.atomic():
        _record(identity, CONTACT_CHANGED)
        return registers().contact_details_update(identity.principal, identity.personal_number, change)


def email_link_send(*, identity: Identity) -> None:
    """Send the confirmation link again to the address waiting for it."""
    if identity.personal_number is None:
        raise ValueError("My details need a Swedish personal or coordination number")
    with transaction.atomic():
        _record(identity, EMAIL_LINK_SENT)
        registers().email_confirmation_send(identity.principal, identity.personal_number)


def email_confirm(*, identity: Identity, token: str) -> EmailConfirmationOutcome:
    """Confirm the citizen's new e-mail address by the token of the link sent to it."""
    if identity.personal_number is None:
        raise ValueError("My details need a Swedish personal or coordination number")
    with transaction.atomic():
        _record(identity, EMAIL_CONFIRMED)
        return registers().email_confirm(identity.principal, identity.personal_number, token)


def tax_withholding_change(
    *, identity: Identity, current: TaxSettings, extra_per_month: int, adjustment_reference: str
) -> TaxSettings:
    """Withhold tax by the tax table plus ``extra_per_month`` kronor (0: the table as usual), with the reference
    of a decision on adjusted tax (jämkning) the citizen gives ("" none). The adjusted percentage in ``current``
    is kept as it is: the back office enters it from Skatteverket's decision."""
    if identity.personal_number is None:
        raise ValueError("My details need a Swedish personal or coordination number")
    change = TaxSettingsChange(
        extra_withholding=Decimal(extra_per_month),
        adjusted_percent=current.adjusted_percent,
        adjustment_reference=adjustment_reference,
    )
    with transaction.atomic():
        _record(identity, TAX_CHANGED)
        return registers().tax_settings_update(identity.principal, identity.personal_number, change)
