"""Reads of the citizen's cases, through the ``registers`` doorway, each recorded in the access log.

A case of another person is not found, exactly like a missing one (the back office never tells them apart).
"""

from __future__ import annotations

import dataclasses
import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.cases.letter import DecisionLetter, decision_letter_of
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import (
    LANGUAGES,
    AttachmentContent,
    CaseDetail,
    CaseNotFoundError,
    CaseSummary,
    CustomerRecords,
    PersonNotFoundError,
    RegistersUnavailableError,
)

CASES_VIEWED = Action("cases.list_viewed", _("Looked at your cases"))
CASE_VIEWED = Action("cases.case_viewed", _("Looked at one of your cases"))
ATTACHMENT_VIEWED = Action("cases.attachment_viewed", _("Opened a file in one of your cases"))
DECISION_LETTER_VIEWED = Action(
    "cases.decision_letter_viewed", _("Downloaded the decision letter of one of your cases")
)

__all__ = [
    "ATTACHMENT_VIEWED",
    "CASES_VIEWED",
    "CASE_VIEWED",
    "DECISION_LETTER_VIEWED",
    "CaseList",
    "CaseNotFoundError",
    "attachment_get",
    "case_get",
    "cases_get",
    "decision_letter_get",
    "letter_language_of",
]


@dataclasses.dataclass(frozen=True, slots=True)
class CaseList:
    """The citizen's cases, newest first; ``unavailable`` when the back office did not answer (never shown
    as "no cases"), ``no_number`` for a person without a Swedish personal number (no cases can be kept)."""

    cases: tuple[CaseSummary, ...] = ()
    unavailable: bool = False
    no_number: bool = False

    @property
    def open(self) -> tuple[CaseSummary, ...]:
        return tuple(case for case in self.cases if case.is_open)

    @property
    def closed(self) -> tuple[CaseSummary, ...]:
        return tuple(case for case in self.cases if not case.is_open)


def _record(identity: Identity, action: Action) -> None:
    with transaction.atomic(using="default"):
        access_record_create(
            principal=identity.principal, subject_key=identity.subject_key, action=action, purpose=Purpose.SELF_SERVICE
        )


def cases_get(*, identity: Identity) -> CaseList:
    """Every case of the logged-in citizen, open and closed."""
    if identity.personal_number is None:
        return CaseList(no_number=True)
    try:
        cases = registers().cases(identity.principal, identity.personal_number)
    except PersonNotFoundError:
        cases = ()
    except RegistersUnavailableError:
        return CaseList(unavailable=True)
    _record(identity, CASES_VIEWED)
    return CaseList(cases=cases)


def case_get(*, identity: Identity, case_id: uuid.UUID) -> CaseDetail:
    """One case of the logged-in citizen with its history and messages; raises ``CaseNotFoundError`` for a
    case that is missing or another person's, ``RegistersUnavailableError`` when the back office is down."""
    if identity.personal_number is None:
        raise CaseNotFoundError("a person without a Swedish personal number has no cases here")
    try:
        detail = registers().case(identity.principal, identity.personal_number, case_id)
    except PersonNotFoundError:
        raise CaseNotFoundError("no such case") from None
    _record(identity, CASE_VIEWED)
    return detail


def attachment_get(*, identity: Identity, case_id: uuid.UUID, attachment_id: uuid.UUID) -> AttachmentContent:
    """A file of one of the citizen's cases, with its bytes; ``CaseNotFoundError`` for another person's."""
    if identity.personal_number is None:
        raise CaseNotFoundError("a person without a Swedish personal number has no cases here")
    try:
        attachment = registers().case_attachment(identity.principal, identity.personal_number, case_id, attachment_id)
    except PersonNotFoundError:
        raise CaseNotFoundError("no such case") from None
    _record(identity, ATTACHMENT_VIEWED)
    return attachment


def decision_letter_get(*, identity: Identity, case_id: uuid.UUID) -> tuple[DecisionLetter, str]:
    """The decision letter of one of the citizen's cases and the language it is written in (the person's
    language for letters, read now); ``CaseNotFoundError`` for another person's case, ``NoDecisionLetterError``
    for a case without one, ``RegistersUnavailableError`` when the back office is down."""
    if identity.personal_number is None:
        raise CaseNotFoundError("a person without a Swedish personal number has no cases here")
    try:
        detail = registers().case(identity.principal, identity.personal_number, case_id)
        letter = decision_letter_of(detail)
        language = letter_language_of(registers().customer_records(identity.principal, identity.personal_number))
    except PersonNotFoundError:
        raise CaseNotFoundError("no such case") from None
    _record(identity, DECISION_LETTER_VIEWED)
    return letter, language


def letter_language_of(records: CustomerRecords | None) -> str:
    """The language the person chose for letters (their customer record), Swedish when it is not known."""
    if records is None:
        return "sv"
    language = records.contact_details.language
    return language if language in LANGUAGES else "sv"
