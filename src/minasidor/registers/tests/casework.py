"""Test helpers: an application for old-age pension submitted and decided through the registers doorway, for
the pages that show a decision (the case page, its letter, the overview). Test personal numbers only; the
signature evidence is test-only and verifies nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from kernel import clock
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.types import Identity
from minasidor.registers import codec, registers
from minasidor.registers.types import (
    CaseDecision,
    CaseSubmission,
    CaseSummary,
    CaseType,
    CivilStatusAnswer,
    DecisionOutcome,
    OldAgePensionApplication,
    PartChoice,
    PensionPart,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
    SwedishAccount,
    TaxWithholding,
    TaxWithholdingKind,
)
from minasidor.signing.documents import DocumentKind, signable_document

HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="staff:handler-7")


def application_submitted(identity: Identity, **changes: object) -> CaseSummary:
    """An application for old-age pension of ``identity`` (in the register), signed with test-only evidence:
    income pension whole from January 2027, premium pension half from March 2027, married, with survivor
    protection, tax by the table."""
    assert identity.personal_number is not None
    application = OldAgePensionApplication(
        applicant=identity.personal_number,
        parts=(
            PartChoice(PensionPart.INCOME_PENSION, dt.date(2027, 1, 1), 100),
            PartChoice(PensionPart.PREMIUM_PENSION, dt.date(2027, 3, 1), 50),
        ),
        survivor_protection=True,
        civil_status=CivilStatusAnswer.MARRIED,
        living_abroad=False,
        country="",
        tax_withholding=TaxWithholding(TaxWithholdingKind.TABLE, Decimal(0)),
        payment_account=SwedishAccount("Handelsbanken", "6789", "123456789"),
    )
    application = dataclasses.replace(application, **changes)  # type: ignore[arg-type]
    document = signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content=codec.application_content(application),
        summary="Du ansöker om allmän ålderspension.",
    )
    submission = CaseSubmission(
        case_type=CaseType.OLD_AGE_PENSION,
        idempotency_key=f"sign:{document.hash_hex}",
        document=SignedDocument(document.kind, 1, document.canonical, document.hash_hex, document.summary),
        evidence=SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=identity.personal_number.value,
            signed_at=clock.now(),
            signature="PFNpZ25hdHVyZT50ZXN0IG9ubHk8L1NpZ25hdHVyZT4=",  # test only: not a signature
            ocsp_response="dGVzdC1vbmx5IE9DU1A=",
        ),
    )
    return registers().case_submit(identity.principal, identity.personal_number, submission)


def application_decided(
    identity: Identity, *, outcome: str = "granted", text: str = "", **changes: object
) -> CaseSummary:
    """:func:`application_submitted`, taken up and decided by a case handler."""
    case = application_submitted(identity, **changes)
    registers().case_handling_start(HANDLER, case.case_id)
    registers().case_decide(HANDLER, case.case_id, CaseDecision(DecisionOutcome(outcome), text))
    return case
