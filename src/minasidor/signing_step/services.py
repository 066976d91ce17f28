"""The signing step's writes."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.models import AcceptedSignature

SIGNED = Action("signing.signed", _("Signed a document on My pages"))


def signature_record_create(
    *, identity: Identity, order_ref: str, signature: str, document: SignableDocument
) -> AcceptedSignature:
    """Record that ``identity`` signed ``document`` (order ``order_ref``, ``signature`` as received), with its
    access record; ``IntegrityError`` when the order or the signature was accepted before (a replay)."""
    with transaction.atomic(using="default"):
        record = AcceptedSignature.objects.create(
            order_ref=order_ref,
            signature_sha256=hashlib.sha256(signature.encode("ascii")).hexdigest(),
            document_sha256=document.hash_hex,
            signer_ref=identity.pseudonym,
            accepted_at=clock.now(),
        )
        access_record_create(
            principal=identity.principal, subject_key=identity.subject_key, action=SIGNED, purpose=Purpose.SELF_SERVICE
        )
    return record
