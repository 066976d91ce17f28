"""Writes on personal codes: issue them with the statement run, order a new one, check one.

Each call through the registers boundary names its :class:`~backoffice.register.access.Caller` and is
written in one transaction with the back office's access record. The statement run's issue is a batch of
the system and writes no per-person record (as the statements themselves do not).
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from backoffice.personal_codes.codes import (
    code_compare_with_nothing,
    code_derive,
    code_hash,
    code_matches,
    well_formed,
)
from backoffice.personal_codes.models import PersonalCode
from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.models import AccountStatement, Person
from backoffice.register.selectors import ALIAS, PersonNotFoundError, person_get
from kernel import clock

__all__ = [
    "CheckOutcome",
    "PersonNotFoundError",
    "codes_issue",
    "codes_issue_for_year",
    "personal_code_check",
    "personal_code_order",
    "statement_issue",
]

ISSUE_BATCH = 500


def statement_issue(year: int) -> str:
    """The ``issue`` of the codes the statement run of ``year`` gives."""
    return f"statement-{year}"


def codes_issue(*, persons: Sequence[tuple[int, str]], issue: str) -> int:
    """Give each ``(person id, personal number)`` a code of ``issue`` unless they have one; the old one is voided.

    Idempotent: a person who already has a code of this issue is skipped, so a restarted batch gives no one
    a second code. Runs in the caller's transaction; returns how many codes were issued.
    """
    ids = [person_id for person_id, _ in persons]
    have = set(PersonalCode.objects.filter(person_id__in=ids, issue=issue).values_list("person_id", flat=True))
    new = [(person_id, number) for person_id, number in persons if person_id not in have]
    if not new:
        return 0
    now = clock.now()
    PersonalCode.objects.filter(person_id__in=[person_id for person_id, _ in new], voided_at=None).update(voided_at=now)
    PersonalCode.objects.bulk_create(
        PersonalCode(person_id=person_id, issue=issue, code_hash=code_hash(code_derive(number, issue)), issued_at=now)
        for person_id, number in new
    )
    return len(new)


def after_codes_batch(issued: int) -> None:
    """A seam for tests: called after each committed batch of the statement run's codes."""


def codes_issue_for_year(year: int, *, batch: int | None = None) -> int:
    """Give everyone with a statement of ``year`` that run's code, in batches, each in its own transaction.

    Restartable: each batch takes persons who have a statement of the year and no code of its issue yet, so a
    killed run resumes where it stopped. Returns how many codes were issued now.
    """
    issue, issued, batch = statement_issue(year), 0, batch or ISSUE_BATCH
    stated = AccountStatement.objects.filter(year=year).values("person_id")
    while True:
        with transaction.atomic(using=ALIAS):
            persons = list(
                Person.objects.filter(id__in=stated)
                .exclude(personal_codes__issue=issue)
                .order_by("id")
                .values_list("id", "personal_number")[:batch]
            )
            if not persons:
                return issued
            issued += codes_issue(persons=persons, issue=issue)
        after_codes_batch(issued)


def personal_code_order(*, caller: Caller, personal_number: str) -> bool:
    """Order a new code by post: the code in force is voided, the new one goes into the next print file.

    While an ordered code has not yet been printed, ordering again gives no further code (the letter on its
    way carries it). Returns whether a new code was issued now.
    """
    with transaction.atomic(using=ALIAS):
        person = person_get(personal_number)
        register_access_record_create(caller=caller, personal_number=personal_number, action="personal_code.ordered")
        current = PersonalCode.objects.select_for_update().filter(person=person, voided_at=None).first()
        if current is not None and current.issue.startswith("order-") and current.printed_at is None:
            return False
        codes_issue(persons=[(person.id, person.personal_number)], issue=f"order-{secrets.token_hex(8)}")
        return True


class CheckOutcome(enum.StrEnum):
    """What a check of a personal code found."""

    ACCEPTED = "accepted"
    WRONG = "wrong"  # a wrong code, or no code in force (the caller cannot tell the two apart)
    LOCKED = "locked"  # too many wrong codes in a row: a new code must be ordered


def personal_code_check(*, caller: Caller, personal_number: str, code: str) -> CheckOutcome:
    """Check a code keyed in for the person; count wrong ones in a row and lock at the limit.

    Every attempt writes the back office's access record (``personal_code.checked``), and a person unknown
    to the register gets the same answer, after the same work, as a wrong code.
    """
    with transaction.atomic(using=ALIAS):
        try:
            person = person_get(personal_number)
        except PersonNotFoundError:
            code_compare_with_nothing(code)
            return CheckOutcome.WRONG
        register_access_record_create(caller=caller, personal_number=personal_number, action="personal_code.checked")
        current = PersonalCode.objects.select_for_update().filter(person=person, voided_at=None).first()
        if current is None:
            code_compare_with_nothing(code)
            return CheckOutcome.WRONG
        if current.locked_at is not None:
            return CheckOutcome.LOCKED
        now = clock.now()
        if well_formed(code) and code_matches(current.code_hash, code):
            current.failed_attempts, current.last_used_at = 0, now
            current.save(update_fields=["failed_attempts", "last_used_at"])
            return CheckOutcome.ACCEPTED
        if not well_formed(code):
            code_compare_with_nothing(code)
        current.failed_attempts += 1
        fields = ["failed_attempts"]
        if current.failed_attempts >= settings.PERSONAL_CODE_MAX_ATTEMPTS:
            current.locked_at = now
            fields.append("locked_at")
        current.save(update_fields=fields)
        return CheckOutcome.LOCKED if current.locked_at is not None else CheckOutcome.WRONG
