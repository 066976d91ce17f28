"""Writes of powers of attorney: the grantor grants one (signed) and either side ends it; a delegate starts
acting for the grantor (decision 0180).

Each write records itself in the access log of the grantor in the same transaction, so the grantor reads in
"who has seen my data" when a power was given, used and ended. A delegate acting for someone can grant
nothing: delegation does not chain.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid
import zoneinfo

import structlog
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, PrincipalKind, Purpose
from minasidor.delegation.documents import Terms
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.sealing import seal, unseal
from minasidor.delegation.types import DELEGATE_MIN_AGE, MAX_MONTHS, OFFERED_SCOPES, EndedBy, Scope
from minasidor.identity.types import Identity
from minasidor.signing_step.flow import Signature

GRANTED = Action("delegation.granted", _("Gave a power of attorney on My pages"))
ENDED = Action("delegation.ended", _("A power of attorney on My pages was ended"))
ACTING_STARTED = Action("delegation.acting_started", _("Began to use My pages for you with your power of attorney"))

logger = structlog.get_logger(__name__)
_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")


class GrantRefusedError(ValueError):
    """The grant cannot be made as asked (the pages check the same first, so this is a programming error or a
    forged form)."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActingFor:
    """What a delegate needs to begin acting: the power's reference and the grantor's number and names."""

    reference: str
    personal_number: PersonalNumber
    given_name: str
    family_name: str
    scopes: tuple[Scope, ...]


def terms_check(*, grantor: Identity, terms: Terms) -> None:
    """Refuse terms that cannot be granted: by a delegate, to oneself, to a child, beyond the longest length,
    or with a scope not offered. The pages ask the same questions one by one; this is the last word."""
    if grantor.acting is not None:
        raise GrantRefusedError("a delegate cannot grant a further power of attorney")
    if grantor.personal_number is None:
        raise GrantRefusedError("a power of attorney is given by a person with a Swedish number")
    if terms.delegate == grantor.personal_number:
        raise GrantRefusedError("a person cannot give a power of attorney to themself")
    if age_on(terms.delegate, terms.valid_from) < DELEGATE_MIN_AGE:
        raise GrantRefusedError("a delegate must be of age")
    if not terms.scopes or any(scope not in OFFERED_SCOPES for scope in terms.scopes):
        raise GrantRefusedError("a power of attorney covers at least one of the offered scopes")
    if not terms.valid_from < terms.valid_until <= months_after(terms.valid_from, MAX_MONTHS):
        raise GrantRefusedError(f"a power of attorney lasts at most {MAX_MONTHS} months")


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def age_on(number: PersonalNumber, on: dt.date) -> int:
    born = number.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _live(now: dt.datetime) -> QuerySet[PowerOfAttorney]:
    return PowerOfAttorney.objects.filter(ended_at__isnull=True, valid_from__lte=now, valid_until__gt=now)


def _delegate_principal(delegate_ref: str) -> Principal:
    return Principal(kind=PrincipalKind.DELEGATE, ref=delegate_ref)


def power_of_attorney_grant(*, identity: Identity, signature: Signature) -> PowerOfAttorney:
    """Keep the power of attorney the grantor signed (``signature`` of the document the terms made).

    The terms are read back from the signed document itself, so what is kept is what was signed (its
    reference too: a document is kept once). A live power
    to the same delegate ends (one at a time per pair). Valid from the signing until the end of the last day.
    """
    if identity.acting is not None:
        raise GrantRefusedError("a delegate cannot grant a further power of attorney")
    if identity.personal_number is None:
        raise GrantRefusedError("a power of attorney is given by a person with a Swedish number")
    content = signature.document.content
    if content.get("grantor") != identity.personal_number.value or signature.signer != identity.personal_number.value:
        raise GrantRefusedError("the document was not signed by the grantor")
    terms = Terms(
        delegate=PersonalNumber(content["delegate"]),
        scopes=tuple(Scope(scope) for scope in content["scopes"]),
        valid_from=dt.date.fromisoformat(content["valid_from"]),
        valid_until=dt.date.fromisoformat(content["valid_until"]),
    )
    terms_check(grantor=identity, terms=terms)
    now = clock.now()
    until = dt.datetime.combine(terms.valid_until + dt.timedelta(days=1), dt.time(), tzinfo=_ZONE)
    delegate_ref = pseudonym_for(f"se:{terms.delegate.value}")
    evidence = signature.evidence
    with transaction.atomic(using="default"):
        _end(
            _live(now).filter(grantor_ref=identity.pseudonym, delegate_ref=delegate_ref).select_for_update(),
            ended_by=EndedBy.REPLACED,
            principal=identity.principal,
        )
        power = PowerOfAttorney.objects.create(
            reference=uuid.UUID(content["reference"]),
            grantor_ref=identity.pseudonym,
            grantor_sealed=seal(
                {
                    "personal_number": identity.personal_number.value,
                    "given_name": identity.given_name,
                    "family_name": identity.family_name,
                }
            ),
            delegate_ref=delegate_ref,
            delegate_sealed=seal({"personal_number": terms.delegate.value}),
            scopes=",".join(scope.value for scope in terms.scopes),
            valid_from=now,
            valid_until=until,
            document_sha256=signature.document.hash_hex,
            document_canonical=base64.b64encode(signature.document.canonical).decode("ascii"),
            document_summary=signature.document.summary,
            evidence={
                "method": str(evidence.method),
                "signer_identifier": evidence.signer_identifier,
                "signed_at": evidence.signed_at.isoformat(),
                "signature": evidence.signature,
                "ocsp_response": evidence.ocsp_response,
                "sign_response": evidence.sign_response,
                "signer_certificate": evidence.signer_certificate,
            },
            created_at=now,
        )
        access_record_create(
            principal=identity.principal, subject_key=identity.subject_key, action=GRANTED, purpose=Purpose.SELF_SERVICE
        )
    logger.info("delegation.granted", scopes=power.scope_list, reference=str(power.reference))
    return power


def _end(powers: QuerySet[PowerOfAttorney], *, ended_by: EndedBy, principal: Principal) -> int:
    now = clock.now()
    ended = 0
    for power in powers:
        if not PowerOfAttorney.objects.filter(pk=power.pk, ended_at__isnull=True).update(
            ended_at=now, ended_by=ended_by
        ):
            continue
        grantor = unseal(power.grantor_sealed)
        access_record_create(
            principal=principal,
            subject_key=f"se:{grantor['personal_number']}",
            action=ENDED,
            purpose=Purpose.SELF_SERVICE,
        )
        ended += 1
    return ended


def power_of_attorney_end(*, identity: Identity, reference: str) -> bool:
    """End the power ``reference`` now, by its grantor or its delegate (each acting as themself); false when
    it is neither's, not live, or the person is acting for someone."""
    if identity.acting is not None:
        return False
    try:
        uuid.UUID(reference)
    except ValueError:
        return False
    now = clock.now()
    with transaction.atomic(using="default"):
        as_grantor = _live(now).filter(reference=reference, grantor_ref=identity.pseudonym).select_for_update()
        if _end(as_grantor, ended_by=EndedBy.GRANTOR, principal=identity.principal):
            logger.info("delegation.ended", by="grantor", reference=reference)
            return True
        as_delegate = _live(now).filter(reference=reference, delegate_ref=identity.pseudonym).select_for_update()
        if _end(as_delegate, ended_by=EndedBy.DELEGATE, principal=_delegate_principal(identity.pseudonym)):
            logger.info("delegation.ended", by="delegate", reference=reference)
            return True
    return False


def acting_start(*, identity: Identity, reference: str) -> ActingFor | None:
    """The delegate ``identity`` begins to act for the grantor of the live power ``reference``: recorded in the
    grantor's access log, and the delegate's name (from their own e-ID) kept sealed with the power for that log.
    None when the power is not theirs, not live, or they already act for someone."""
    if identity.acting is not None:
        return None
    try:
        uuid.UUID(reference)
    except ValueError:
        return None
    with transaction.atomic(using="default"):
        power = _live(clock.now()).filter(reference=reference, delegate_ref=identity.pseudonym).first()
        if power is None:
            return None
        grantor = unseal(power.grantor_sealed)
        delegate = unseal(power.delegate_sealed)
        if delegate.get("name") != identity.display_name:
            # The delegate's name as their own e-ID gives it, so the grantor's log can say who it was.
            delegate["name"] = identity.display_name
            PowerOfAttorney.objects.filter(pk=power.pk).update(delegate_sealed=seal(delegate))
        access_record_create(
            principal=_delegate_principal(identity.pseudonym),
            subject_key=f"se:{grantor['personal_number']}",
            action=ACTING_STARTED,
            purpose=Purpose.POWER_OF_ATTORNEY,
        )
    logger.info("delegation.acting_started", reference=reference)
    return ActingFor(
        reference=str(power.reference),
        personal_number=PersonalNumber(grantor["personal_number"]),
        given_name=grantor["given_name"],
        family_name=grantor["family_name"],
        scopes=tuple(Scope(scope) for scope in power.scope_list),
    )
