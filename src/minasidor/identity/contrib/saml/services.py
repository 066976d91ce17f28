"""Writes of the SAML login app: a foreign-eID user's message to customer service."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.contrib.saml.models import ForeignEidMessage
from minasidor.identity.types import Identity

MESSAGE_SENT = Action("contact.message_sent", _("Sent a message to customer service"))


def foreign_eid_message_create(*, identity: Identity, text: str, contact: str, language: str) -> ForeignEidMessage:
    """Keep the message with the sender's eIDAS identity, and record it in the access log."""
    if identity.foreign is None:
        raise ValueError("Only a foreign-eID identity sends a message this way")
    foreign = identity.foreign
    with transaction.atomic(using="default"):
        message = ForeignEidMessage.objects.create(
            sent_at=clock.now(),
            subject_key=identity.subject_key,
            country=foreign.country,
            prid=foreign.prid,
            prid_persistence=foreign.prid_persistence,
            eidas_person_identifier=foreign.eidas_person_identifier,
            given_name=identity.given_name,
            family_name=identity.family_name,
            birth_date=identity.birth_date,
            transaction_id=identity.transaction_id,
            language=language,
            contact=contact,
            text=text,
        )
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=MESSAGE_SENT,
            purpose=Purpose.SELF_SERVICE,
        )
    return message
