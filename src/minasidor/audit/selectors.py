"""Reads of the access log; each names its principal, and reading the log is itself recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

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


# Who a principal is, in words the data's owner can read, for the kinds whose reference is a pseudonym (a
# delegate): the room that knows them registers a namer, which is given the owner's pseudonym and the
# references and answers with the names it can give the owner. The access log knows no room that names.
PrincipalNamer = Callable[[str, frozenset[str]], Mapping[str, str]]
_namers: dict[PrincipalKind, PrincipalNamer] = {}


def principal_namer_register(kind: PrincipalKind, namer: PrincipalNamer) -> None:
    """Make ``namer`` the one that names principals of ``kind`` to a data owner (the last registered counts)."""
    _namers[kind] = namer


def principal_names(*, kind: PrincipalKind, subject_ref: str, refs: Iterable[str]) -> Mapping[str, str]:
    """The names the owner ``subject_ref`` may read of the principals ``refs`` of ``kind``; those it cannot
    name are left out (and none at all when no room names the kind)."""
    wanted = frozenset(refs)
    namer = _namers.get(kind)
    if namer is None or not wanted:
        return {}
    return namer(subject_ref, wanted)
