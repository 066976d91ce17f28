"""Contract (decision 0216), both implementations: an application a delegate signed for the person under the
person's power of attorney opens a case that keeps the power (its document, the grantor's evidence, what it
covered and when); one whose power does not hold is refused, each reason by its field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest
from django.utils import translation

from backoffice.casework.models import DelegateSignature
from backoffice.casework.powers import APPLY_SCOPE
from backoffice.notices.models import Notice, NoticeKind
from backoffice.register.models import ContactDetails
from minasidor.registers import codec
from minasidor.registers.tests.test_contract import BENGT, KARIN, citizen, karins_application, signed
from minasidor.registers.types import (
    CaseSubmission,
    DelegateSignatureRecord,
    InvalidChangeError,
    PowerOfAttorneyProof,
    PowerScope,
    Registers,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
)
from minasidor.signing.documents import DocumentKind, signable_document

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

SARA = "199101012384"
SIGNED_AT = dt.datetime(2026, 11, 28, 11, 59, tzinfo=dt.UTC)


def _evidence(signer: str) -> SignatureEvidence:
    return SignatureEvidence(
        method=SignatureMethod.BANKID,
        signer_identifier=signer,
        signed_at=SIGNED_AT,
        signature="PFNpZ25hdHVyZT50ZXN0IG9ubHk8L1NpZ25hdHVyZT4=",  # test only: not a signature
        ocsp_response="dGVzdC1vbmx5IE9DU1A=",
    )


def on_behalf_submission(
    *,
    scopes: tuple[str, ...] = ("pension", "apply"),
    valid_from: str = "2026-06-01",
    valid_until: str = "2027-06-01",
    grantor: str = KARIN.value,
    grantor_signer: str = KARIN.value,
    signer: str = SARA,
    proof: bool = True,
    **on_behalf: Any,
) -> CaseSubmission:
    """Karin's application signed by Sara under Karin's power of attorney (test-only evidence), changed as asked."""
    power = signable_document(
        kind=DocumentKind.POWER_OF_ATTORNEY,
        version=1,
        content={
            "reference": str(uuid.UUID(int=7)),
            "grantor": grantor,
            "grantor_name": "Karin Lindqvist",
            "delegate": SARA,
            "scopes": list(scopes),
            "valid_from": valid_from,
            "valid_until": valid_until,
            "language": "sv",
        },
        summary="Fullmakt",
    )
    content = codec.application_content(karins_application())
    content["on_behalf"] = {
        "delegate": SARA,
        "delegate_name": "Sara Nilsson",
        "power_of_attorney": str(uuid.UUID(int=7)),
        "power_sha256": power.hash_hex,
    } | on_behalf
    document = signable_document(
        kind=DocumentKind.PENSION_APPLICATION, version=1, content=content, summary="För Karin Lindqvist"
    )
    return CaseSubmission(
        case_type=codec.case_type_of(karins_application()),
        idempotency_key=f"sign:{document.hash_hex}",
        document=SignedDocument(document.kind, 1, document.canonical, document.hash_hex, document.summary),
        evidence=_evidence(signer),
        power_of_attorney=PowerOfAttorneyProof(power.canonical, _evidence(grantor_signer)) if proof else None,
    )


def kept_sha256(submission: CaseSubmission) -> str:
    assert submission.power_of_attorney is not None
    return hashlib.sha256(submission.power_of_attorney.canonical_bytes).hexdigest()


def _karin_wants_notices_by_email() -> None:
    ContactDetails.objects.filter(person__personal_number=KARIN.value).update(
        email="karin@example.se", email_confirmed=True, notice_choice="email"
    )


def test_an_application_signed_by_a_delegate_keeps_the_power_it_was_signed_under(registers: Registers) -> None:
    _karin_wants_notices_by_email()
    submission = on_behalf_submission()
    summary = registers.case_submit(citizen(KARIN), KARIN, submission)
    detail = registers.case(citizen(KARIN), KARIN, summary.case_id)
    assert detail.application == karins_application(), "the application is the person's, as signed"
    (document,) = detail.documents
    assert document.evidence is not None
    assert document.evidence.signer_identifier == SARA, "signed by the delegate with their own e-ID"
    assert document.delegate_signature == DelegateSignatureRecord(
        delegate=SARA,
        delegate_name="Sara Nilsson",
        power_reference=uuid.UUID(int=7),
        power_sha256=kept_sha256(submission),
        scopes=("pension", "apply"),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1),
    ), "the case says who signed under which power"
    kept = DelegateSignature.objects.get(document__case__public_id=summary.case_id)
    assert submission.power_of_attorney is not None
    assert bytes(kept.power_canonical_bytes) == submission.power_of_attorney.canonical_bytes
    assert (kept.delegate, kept.delegate_name, kept.power_reference) == (SARA, "Sara Nilsson", uuid.UUID(int=7))
    assert (kept.scopes, kept.valid_from, kept.valid_until) == (
        "pension,apply",
        dt.date(2026, 6, 1),
        dt.date(2027, 6, 1),
    )
    assert kept.grantor_evidence["signer_identifier"] == KARIN.value
    assert registers.case_submit(citizen(KARIN), KARIN, submission) == summary, "the same again is the same case"
    told = Notice.objects.filter(person__personal_number=KARIN.value, kind=NoticeKind.CASE_STATUS)
    assert [(n.channel, n.address) for n in told] == [("email", "karin@example.se")], (
        "Karin is told once, as she chose, that someone else opened a case in her name"
    )


def test_the_back_office_checks_the_apply_scope_of_the_portals_vocabulary() -> None:
    assert PowerScope.APPLY.value == APPLY_SCOPE, "the back office refuses what the portal calls applying otherwise"


def test_a_kept_powers_scopes_read_in_the_active_language_and_an_unknown_code_as_itself() -> None:
    record = DelegateSignatureRecord(
        delegate=SARA,
        delegate_name="Sara Nilsson",
        power_reference=uuid.UUID(int=7),
        power_sha256="0" * 64,
        scopes=("pension", "apply", "something-new"),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1),
    )
    with translation.override("sv"):
        assert record.scope_labels == (
            "Se pensionen och pensionsbeskeden",
            "Ansöka om pension för personens räkning",
            "something-new",
        )
    with translation.override("en"):
        assert record.scope_labels[:2] == ("See the pension and the statements", "Apply for pension on their behalf")


def test_an_application_the_person_signed_tells_her_nothing(registers: Registers) -> None:
    _karin_wants_notices_by_email()
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    assert summary.case_id
    assert not Notice.objects.filter(person__personal_number=KARIN.value, kind=NoticeKind.CASE_STATUS).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scopes": ("pension", "forecast")}, "power_of_attorney.content.scopes"),
        ({"valid_until": "2026-11-27"}, "power_of_attorney.content.valid_until"),
        ({"valid_from": "2026-11-29"}, "power_of_attorney.content.valid_until"),
        ({"signer": BENGT.value}, "evidence.signer_identifier"),
        ({"grantor": BENGT.value, "grantor_signer": BENGT.value}, "power_of_attorney.content.grantor"),
        ({"grantor_signer": SARA}, "power_of_attorney.evidence.signer_identifier"),
        ({"proof": False}, "power_of_attorney"),
        ({"power_sha256": "0" * 64}, "power_of_attorney"),
        ({"delegate": BENGT.value}, "document.content.on_behalf.delegate"),
    ],
    ids=[
        "without-the-apply-scope",
        "run-out-before-the-signature",
        "not-yet-in-force",
        "signed-by-someone-else",
        "another-persons-power",
        "power-not-signed-by-the-grantor",
        "no-power-given",
        "another-power-named",
        "the-named-delegate-is-not-the-powers",
    ],
)
def test_an_application_whose_power_does_not_hold_is_refused(
    registers: Registers, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidChangeError) as refused:
        registers.case_submit(citizen(KARIN), KARIN, on_behalf_submission(**changes))
    assert field in refused.value.errors, refused.value.errors
    assert registers.cases(citizen(KARIN), KARIN) == ()


def test_a_power_given_with_an_application_signed_by_the_person_is_refused(registers: Registers) -> None:
    plain = signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content=codec.application_content(karins_application()),
        summary="Du ansöker om allmän ålderspension.",
    )
    submission = dataclasses.replace(
        on_behalf_submission(),
        idempotency_key=f"sign:{plain.hash_hex}",
        document=SignedDocument(plain.kind, 1, plain.canonical, plain.hash_hex, plain.summary),
        evidence=_evidence(KARIN.value),
    )
    with pytest.raises(InvalidChangeError) as refused:
        registers.case_submit(citizen(KARIN), KARIN, submission)
    assert "document.content.on_behalf" in refused.value.errors
