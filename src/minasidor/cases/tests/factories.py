"""Test helpers: cases of a test person opened and worked through the registers doorway (tests only)."""

from __future__ import annotations

import datetime as dt
import uuid

from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import CaseSubmission, CaseSummary, CaseType, Upload

HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="staff-7")


def question_open(
    identity: Identity,
    subject: str = "Min utbetalning",
    text: str = "När kommer pengarna?",
    attachments: tuple[Upload, ...] = (),
) -> CaseSummary:
    """A general question of ``identity`` (who must be in the register), with files."""
    assert identity.personal_number is not None
    submission = CaseSubmission(
        case_type=CaseType.GENERAL_QUESTION,
        idempotency_key=f"test-question:{uuid.uuid4().hex}",
        subject=subject,
        message=text,
        attachments=attachments,
    )
    return registers().case_submit(identity.principal, identity.personal_number, submission)


def completion_ask(case_id: uuid.UUID, text: str = "Skicka ett intyg.", due: dt.date | None = None) -> None:
    """A case handler takes the case up and asks for a completion by ``due`` (two weeks from the 28 November 2026)."""
    registers().case_handling_start(HANDLER, case_id)
    registers().case_completion_request(HANDLER, case_id, text, due or dt.date(2026, 12, 12))
