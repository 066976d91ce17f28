"""Reads of powers of attorney: those a person gave and those they hold, and the live one a delegate uses.

These lists show the person only their own grants (found by their pseudonym) and read no one's pension
data; the people's numbers and names are unsealed for the two people themselves only.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid

from django.db import models

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.sealing import unseal
from minasidor.delegation.types import EndedBy, Scope
from minasidor.identity.types import Acting, Identity, PowerDocument

# Ended and run-out powers stay listed for this long, so a person sees what ended and when.
ENDED_SHOWN_DAYS = 90


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Grant:
    """One power of attorney as its grantor or its delegate sees it."""

    reference: str
    other_number: PersonalNumber
    other_name: str  # the grantor's name, seen by the delegate; empty for the grantor (the number names them)
    scopes: tuple[Scope, ...]
    valid_from: dt.datetime
    valid_until: dt.datetime
    ended_at: dt.datetime | None
    ended_by: EndedBy | None

    @property
    def live(self) -> bool:
        return self.ended_at is None and self.valid_from <= clock.now() < self.valid_until


def _grant(power: PowerOfAttorney, *, as_grantor: bool) -> Grant:
    if as_grantor:
        other = unseal(power.delegate_sealed)
        name = ""
    else:
        other = unseal(power.grantor_sealed)
        name = " ".join(part for part in (other["given_name"], other["family_name"]) if part)
    return Grant(
        reference=str(power.reference),
        other_number=PersonalNumber(other["personal_number"]),
        other_name=name,
        scopes=tuple(Scope(scope) for scope in power.scope_list),
        valid_from=power.valid_from,
        valid_until=power.valid_until,
        ended_at=power.ended_at,
        ended_by=EndedBy(power.ended_by) if power.ended_by else None,
    )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class GrantDetail:
    """One power of attorney on its own page: as the grantor or the delegate sees it, with the text signed."""

    grant: Grant
    as_grantor: bool
    signed_text: str


def grant_detail(*, identity: Identity, reference: str) -> GrantDetail | None:
    """The power ``reference`` if the person gave it or holds it; None otherwise (another person's looks like
    none at all)."""
    try:
        uuid.UUID(str(reference))
    except ValueError:
        return None
    power = (
        PowerOfAttorney.objects.filter(reference=reference)
        .filter(models.Q(grantor_ref=identity.pseudonym) | models.Q(delegate_ref=identity.pseudonym))
        .first()
    )
    if power is None:
        return None
    as_grantor = power.grantor_ref == identity.pseudonym
    return GrantDetail(
        grant=_grant(power, as_grantor=as_grantor), as_grantor=as_grantor, signed_text=power.document_summary
    )


def _recent(identity: Identity) -> dt.datetime:
    return clock.now() - dt.timedelta(days=ENDED_SHOWN_DAYS)


def grants_given(*, identity: Identity) -> list[Grant]:
    """The powers the person gave, live ones and those that ended lately, newest first."""
    since = _recent(identity)
    powers = PowerOfAttorney.objects.filter(grantor_ref=identity.pseudonym, valid_until__gt=since).exclude(
        ended_at__lt=since
    )
    return [_grant(power, as_grantor=True) for power in powers]


def grants_received(*, identity: Identity) -> list[Grant]:
    """The powers the person holds for others, live ones and those that ended lately, newest first."""
    since = _recent(identity)
    powers = PowerOfAttorney.objects.filter(delegate_ref=identity.pseudonym, valid_until__gt=since).exclude(
        ended_at__lt=since
    )
    return [_grant(power, as_grantor=False) for power in powers]


def scopes_live(*, reference: str, delegate_ref: str) -> tuple[Scope, ...] | None:
    """What the power ``reference`` covers now for this delegate; None when it is not theirs or not live
    (ended by either side, or run out). One query: the acting guard asks it at every page."""
    now = clock.now()
    scopes = (
        PowerOfAttorney.objects.filter(
            reference=reference,
            delegate_ref=delegate_ref,
            ended_at__isnull=True,
            valid_from__lte=now,
            valid_until__gt=now,
        )
        .values_list("scopes", flat=True)
        .first()
    )
    if scopes is None:
        return None
    return tuple(Scope(scope) for scope in scopes.split(",") if scope)


def delegate_names(grantor_ref: str, delegate_refs: frozenset[str]) -> dict[str, str]:
    """How the grantor ``grantor_ref`` reads the delegates ``delegate_refs`` (pseudonyms) in their access log:
    the name the delegate's own e-ID gave when they last began to act, else the number the grantor gave the
    power to. Only delegates of the grantor's own powers are named (the access log's namer, decision 0215)."""
    names: dict[str, str] = {}
    powers = PowerOfAttorney.objects.filter(grantor_ref=grantor_ref, delegate_ref__in=delegate_refs).only(
        "delegate_ref", "delegate_sealed"
    )
    for power in powers:  # newest first: the latest name counts
        if power.delegate_ref in names:
            continue
        delegate = unseal(power.delegate_sealed)
        names[power.delegate_ref] = delegate.get("name") or PersonalNumber(delegate["personal_number"]).formatted()
    return names


def power_document_live(acting: Acting) -> PowerDocument | None:
    """The document the grantor signed for the power ``acting`` is under, with the grantor's evidence, while
    the power is live for this delegate; None once it has ended or run out (decision 0216: a signature under
    an ended power is refused, even mid-flow). One query."""
    now = clock.now()
    power = (
        PowerOfAttorney.objects.filter(
            reference=acting.reference,
            delegate_ref=acting.delegate_pseudonym,
            ended_at__isnull=True,
            valid_from__lte=now,
            valid_until__gt=now,
        )
        .only("document_canonical", "document_sha256", "evidence")
        .first()
    )
    if power is None:
        return None
    evidence = {key: "" if value is None else str(value) for key, value in power.evidence.items()}
    return PowerDocument(
        canonical=base64.b64decode(power.document_canonical), sha256=power.document_sha256, evidence=evidence
    )
