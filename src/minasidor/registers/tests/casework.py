"""Test helpers: an application for old-age pension, a change of withdrawal and an application for housing
supplement submitted and decided through the registers doorway, for the pages that show a decision (the case
page, its letter, the overview). Test personal numbers only; the signature evidence is test-only and verifies
nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from kernel import clock
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.identity.types import Identity
from minasidor.registers import codec, registers
from minasidor.registers.types import (
    Application,
    CaseDecision,
    CaseSubmission,
    CaseSummary,
    CaseType,
    CivilStatusAnswer,
    DecisionOutcome,
    HousingKind,
    HousingSupplementApplication,
    OldAgePensionApplication,
    PartChoice,
    PensionPart,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
    SwedishAccount,
    TaxWithholding,
    TaxWithholdingKind,
    WithdrawalChange,
    WithdrawalChangeKind,
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
    summary = "Du ansöker om allmän ålderspension."
    return _submitted(identity, CaseType.OLD_AGE_PENSION, DocumentKind.PENSION_APPLICATION, application, summary)


def _submitted(
    identity: Identity, case_type: CaseType, kind: DocumentKind, application: Application, summary: str
) -> CaseSummary:
    assert identity.personal_number is not None
    content = codec.application_content(application)
    document = signable_document(kind=kind, version=1, content=content, summary=summary)
    submission = CaseSubmission(
        case_type=case_type,
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


def _decided(case: CaseSummary, outcome: str, text: str) -> CaseSummary:
    registers().case_handling_start(HANDLER, case.case_id)
    registers().case_decide(HANDLER, case.case_id, CaseDecision(DecisionOutcome(outcome), text))
    return case


def application_decided(
    identity: Identity, *, outcome: str = "granted", text: str = "", **changes: object
) -> CaseSummary:
    """:func:`application_submitted`, taken up and decided by a case handler."""
    return _decided(application_submitted(identity, **changes), outcome, text)


def withdrawal_change_decided(
    identity: Identity,
    *,
    change: WithdrawalChangeKind = WithdrawalChangeKind.SHARE,
    share: int | None = 50,
    outcome: str = "granted",
    text: str = "",
) -> CaseSummary:
    """A signed change of ``identity``'s income-pension withdrawal from January 2027 (half, by default), decided."""
    assert identity.personal_number is not None
    application = WithdrawalChange(
        applicant=identity.personal_number,
        parts=(PensionPart.INCOME_PENSION,),
        change=change,
        share=share if change == WithdrawalChangeKind.SHARE else None,
        from_month=dt.date(2027, 1, 1),
    )
    summary = "Du ansöker om att ändra uttaget av din inkomstpension."
    case = _submitted(identity, CaseType.WITHDRAWAL_CHANGE, DocumentKind.WITHDRAWAL_CHANGE, application, summary)
    return _decided(case, outcome, text)


def housing_supplement_decided(identity: Identity, *, outcome: str = "granted", text: str = "") -> CaseSummary:
    """A signed application for housing supplement of ``identity``, single in a rented home at 6 500 kr a month
    with no other income, from this month, decided."""
    assert identity.personal_number is not None
    application = HousingSupplementApplication(
        applicant=identity.personal_number,
        from_month=clock.today().replace(day=1),
        civil_status=CivilStatusAnswer.SINGLE,
        housing_kind=HousingKind.RENTED,
        housing_cost_per_month=6500,
        occupational_pension_per_month=0,
        earned_income_per_month=0,
        capital_income_per_year=0,
        assets=0,
    )
    kind, summary = DocumentKind.HOUSING_SUPPLEMENT_APPLICATION, "Du ansöker om bostadstillägg."
    case = _submitted(identity, CaseType.HOUSING_SUPPLEMENT, kind, application, summary)
    return _decided(case, outcome, text)
