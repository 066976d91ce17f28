"""Requirement: one contract, two implementations — in-process and HTTP registers read and write the same.

Every test here runs once against each implementation (the ``registers`` fixture). It checks the person
snapshot the portal needs at login, the three writes later issues need, the refusals, and that the back
office records each call with the principal it was made for; and casework through the doorway: submitting
a signed application exactly once, reading one's cases (another person's is not found), withdrawing,
messages and completions both ways, the case handler's queue, view and decisions (issues 16 and 18).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from backoffice.notices.confirmation import token_for
from backoffice.notices.models import EmailConfirmation, Notice
from backoffice.notices.services import email_confirm, email_confirmation_issue
from backoffice.register.access import Caller
from backoffice.register.models import ContactDetails, Person, RegisterAccessRecord
from kernel import clock
from kernel.personal_number import PersonalNumber
from kernel.tests.sample_files import EICAR, WINDOWS_PROGRAM, image_bytes, pdf_bytes
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers import codec
from minasidor.registers.types import (
    Application,
    CaseDecision,
    CaseEventKind,
    CaseNotFoundError,
    CaseStateError,
    CaseStatus,
    CaseSubmission,
    CaseType,
    CivilStatusAnswer,
    ContactDetailsChange,
    DecisionOutcome,
    EmailConfirmationOutcome,
    ForeignAccount,
    InvalidChangeError,
    NotPermittedError,
    OldAgePensionApplication,
    PartChoice,
    PaymentAccountChange,
    PaymentAccountChangeApplication,
    PensionPart,
    PersonNotFoundError,
    PostalAddress,
    Registers,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
    SwedishAccount,
    TaxSettingsChange,
    TaxWithholding,
    TaxWithholdingKind,
    Upload,
)
from minasidor.signing.documents import DocumentKind, signable_document

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")  # 64, about to retire
BENGT = PersonalNumber("195801082743")  # a pensioner who still works
AMIR = PersonalNumber("195901022995")  # guarantee pension
LENA = PersonalNumber("198001139297")  # Min Pension user
UNKNOWN = PersonalNumber("189001019802")


def citizen(number: PersonalNumber) -> Principal:
    return citizen_principal(f"se:{number.value}")


def test_snapshot_of_a_saver_has_person_latest_statement_history_and_funds(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(KARIN), KARIN)
    assert snapshot.person.personal_number == KARIN
    assert (snapshot.person.given_name, snapshot.person.family_name) == ("Karin", "Lindqvist")
    assert snapshot.person.birth_date == KARIN.birth_date
    assert not snapshot.person.drawing_pension
    statement = snapshot.latest_statement
    assert statement is not None
    assert statement.year == 2025
    assert statement.income_pension is not None
    assert statement.premium_pension is not None
    ip = statement.income_pension
    assert ip.opening_value + ip.new_rights + ip.inheritance_gains + ip.value_change + ip.fees == pytest.approx(
        ip.closing_value, abs=Decimal("0.05")
    )
    assert ip.fees < 0 < ip.new_rights
    assert {a.year for a in snapshot.accounts} == set(range(2016, 2026))
    assert sum(h.value for h in snapshot.fund_holdings) == pytest.approx(
        statement.premium_pension.closing_value, abs=Decimal("0.02")
    )
    assert snapshot.payments == ()
    assert snapshot.decisions == ()
    assert snapshot.customer_records.contact_details.city == "Sundsvall"


def test_snapshot_has_the_decided_income_history_in_year_order(registers: Registers) -> None:
    incomes = registers.person_snapshot(citizen(KARIN), KARIN).incomes
    years = [row.year for row in incomes]
    assert years == sorted(years)
    assert years[-1] == 2025
    assert all(row.income >= 0 and row.pensionable_income <= row.income for row in incomes)
    assert any(row.income_pension_right > 0 for row in incomes)


def test_snapshot_of_a_pensioner_has_decisions_and_twelve_payments_and_the_next(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(AMIR), AMIR)
    assert snapshot.person.drawing_pension
    assert "guarantee_pension" in {d.benefit for d in snapshot.decisions}
    paid = [p for p in snapshot.payments if p.paid]
    upcoming = [p for p in snapshot.payments if not p.paid]
    assert len(paid) == 12
    assert len(upcoming) == 1
    assert all(p.gross - p.tax == p.net for p in snapshot.payments)
    assert snapshot.customer_records.tax_settings is not None
    assert snapshot.customer_records.payment_account is not None


@pytest.mark.parametrize("number", [AMIR, BENGT])
def test_every_payment_is_the_sum_of_the_parts_in_force_on_its_day(
    registers: Registers, number: PersonalNumber
) -> None:
    snapshot = registers.person_snapshot(citizen(number), number)
    assert len({d.payable_from for d in snapshot.decisions}) > 1, "granted, then recalculated each January"
    for payment in snapshot.payments:
        parts = snapshot.decisions_in_force(payment.payment_date)
        assert sum(part.monthly_amount for part in parts) == payment.gross, payment.payment_date


def test_a_pensioner_who_still_works_has_a_statement_with_the_pension_paid_out(registers: Registers) -> None:
    snapshot = registers.person_snapshot(citizen(BENGT), BENGT)
    assert snapshot.person.drawing_pension
    assert snapshot.person.still_working
    statement = snapshot.latest_statement
    assert statement is not None
    assert statement.year == 2025
    for account in (statement.income_pension, statement.premium_pension):
        assert account is not None
        assert account.paid_out < 0 < account.new_rights
        items = (
            account.opening_value + account.new_rights + account.inheritance_gains + account.value_change + account.fees
        )
        assert items + account.paid_out == pytest.approx(account.closing_value, abs=Decimal("0.05"))
    before_withdrawal = [a for a in snapshot.accounts if a.year < 2023]
    assert before_withdrawal
    assert all(a.paid_out == 0 for a in before_withdrawal)


def test_special_postal_address_is_part_of_the_customer_records(registers: Registers) -> None:
    details = registers.person_snapshot(citizen(BENGT), BENGT).customer_records.contact_details
    assert details.special_postal_address == PostalAddress("Calle del Sol 12", "29600", "Marbella", "Spanien")


def test_customer_records_are_read_alone_as_the_snapshot_has_them(registers: Registers) -> None:
    before = RegisterAccessRecord.objects.filter(action="customer_records.read").count()
    records = registers.customer_records(citizen(AMIR), AMIR)
    assert records == registers.person_snapshot(citizen(AMIR), AMIR).customer_records
    assert records.payment_account is not None
    assert records.tax_settings is not None
    assert RegisterAccessRecord.objects.filter(action="customer_records.read").count() == before + 1
    with pytest.raises(PersonNotFoundError):
        registers.customer_records(citizen(UNKNOWN), UNKNOWN)


def test_min_pension_registration_is_known(registers: Registers) -> None:
    assert registers.person_snapshot(citizen(LENA), LENA).person.min_pension_user
    assert not registers.person_snapshot(citizen(KARIN), KARIN).person.min_pension_user


def test_protected_identity_hides_the_address(registers: Registers) -> None:
    Person.objects.filter(personal_number=KARIN.value).update(protected_identity=True)
    details = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert details.address_protected
    assert (details.street_address, details.postal_code, details.city) == ("", "", "")


def test_unknown_person_is_not_found(registers: Registers) -> None:
    with pytest.raises(PersonNotFoundError):
        registers.person_snapshot(citizen(UNKNOWN), UNKNOWN)
    with pytest.raises(PersonNotFoundError):
        registers.tax_settings_update(citizen(UNKNOWN), UNKNOWN, TaxSettingsChange(Decimal(0), None))


def test_contact_details_change_is_stored_and_read_back(registers: Registers) -> None:
    change = ContactDetailsChange(
        email="karin@example.se",
        phone="+46 70 123 45 67",
        special_postal_address=PostalAddress("Box 1", "11122", "Stockholm"),
    )
    result = registers.contact_details_update(citizen(KARIN), KARIN, change)
    assert result.email == "karin@example.se"
    assert result.special_postal_address == PostalAddress("Box 1", "11122", "Stockholm", "")
    again = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert again == result
    cleared = registers.contact_details_update(citizen(KARIN), KARIN, ContactDetailsChange("", "", None))
    assert cleared.special_postal_address is None
    assert cleared.email == ""


def test_notices_choice_language_and_confirmation_are_part_of_the_contact_details(registers: Registers) -> None:
    details = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert (details.notice_choice, details.language) == ("email", "sv")
    change = ContactDetailsChange(
        "karin@example.se", "+46 70 123 45 67", None, notice_choice="email_and_sms", language="en"
    )
    result = registers.contact_details_update(citizen(KARIN), KARIN, change)
    assert (result.notice_choice, result.language, result.email_confirmed) == ("email_and_sms", "en", False)
    back_office = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="test")
    token = email_confirmation_issue(caller=back_office, personal_number=KARIN.value)
    email_confirm(caller=back_office, personal_number=KARIN.value, token=token)
    confirmed = registers.person_snapshot(citizen(KARIN), KARIN).customer_records.contact_details
    assert confirmed.email_confirmed
    same = registers.contact_details_update(
        citizen(KARIN), KARIN, ContactDetailsChange(change.email, change.phone, None)
    )
    assert (same.notice_choice, same.language, same.email_confirmed) == ("email_and_sms", "en", True), "None: unchanged"
    moved = registers.contact_details_update(citizen(KARIN), KARIN, ContactDetailsChange("ny@example.se", "", None))
    assert (moved.email, moved.email_confirmed, moved.pending_email) == ("karin@example.se", True, "ny@example.se")


def test_a_new_address_is_confirmed_by_its_link_once(registers: Registers) -> None:
    change = ContactDetailsChange("karin@example.se", "", None)
    registers.contact_details_update(citizen(KARIN), KARIN, change)
    link = EmailConfirmation.objects.get(person__personal_number=KARIN.value, used_at=None)
    assert Notice.objects.filter(kind="email_confirmation", address="karin@example.se").exists()
    assert registers.email_confirm(citizen(KARIN), KARIN, "not-the-token") == EmailConfirmationOutcome.INVALID
    assert registers.email_confirm(citizen(BENGT), BENGT, token_for(link)) == EmailConfirmationOutcome.INVALID
    assert registers.email_confirm(citizen(KARIN), KARIN, token_for(link)) == EmailConfirmationOutcome.CONFIRMED
    assert registers.email_confirm(citizen(KARIN), KARIN, token_for(link)) == EmailConfirmationOutcome.INVALID
    assert registers.customer_records(citizen(KARIN), KARIN).contact_details.email_confirmed
    registers.contact_details_update(citizen(KARIN), KARIN, ContactDetailsChange("ny@example.se", "", None))
    registers.email_confirmation_send(citizen(KARIN), KARIN)
    assert Notice.objects.filter(kind="email_confirmation", address="ny@example.se").count() == 2
    registers.contact_details_update(citizen(KARIN), KARIN, ContactDetailsChange("", "", None))
    with pytest.raises(InvalidChangeError):
        registers.email_confirmation_send(citizen(KARIN), KARIN)


def test_payment_account_change_is_stored(registers: Registers) -> None:
    result = registers.payment_account_update(
        citizen(KARIN), KARIN, PaymentAccountChange("Swedbank", "8327-9", "123 456 789-0")
    )
    assert (result.bank_name, result.clearing_number, result.account_number) == ("Swedbank", "83279", "1234567890")
    assert registers.person_snapshot(citizen(KARIN), KARIN).customer_records.payment_account == result


def test_tax_settings_change_is_stored(registers: Registers) -> None:
    result = registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal("500.50"), Decimal("25")))
    assert (result.extra_withholding, result.adjusted_percent) == (Decimal("500.50"), Decimal("25.00"))
    assert registers.person_snapshot(citizen(AMIR), AMIR).customer_records.tax_settings == result


def test_a_decision_on_adjusted_tax_is_referred_to_until_removed(registers: Registers) -> None:
    given = registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal(0), None, "J-2026/1234"))
    assert given.adjustment_reference == "J-2026/1234"
    kept = registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal(300), None))
    assert kept.adjustment_reference == "J-2026/1234", "a change that does not name the reference keeps it"
    assert registers.customer_records(citizen(AMIR), AMIR).tax_settings == kept
    removed = registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal(300), None, ""))
    assert removed.adjustment_reference == ""


def test_a_tax_change_is_told_to_every_contact_point_and_no_change_to_none(registers: Registers) -> None:
    ContactDetails.objects.filter(person__personal_number=AMIR.value).update(
        email="amir@example.se", email_confirmed=True, phone="070-123 45 67", notice_choice="none"
    )
    registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal(400), None))
    told = sorted(
        (n.channel, n.address)
        for n in Notice.objects.filter(person__personal_number=AMIR.value, kind="details_changed")
    )
    assert told == [("email", "amir@example.se"), ("sms", "070-123 45 67")], "a warning, whatever the choice"
    registers.tax_settings_update(citizen(AMIR), AMIR, TaxSettingsChange(Decimal("400.00"), None))
    assert Notice.objects.filter(person__personal_number=AMIR.value, kind="details_changed").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (ContactDetailsChange("not-an-address", "", None), "email"),
        (ContactDetailsChange("", "call me", None), "phone"),
        (ContactDetailsChange("", "", None, notice_choice="sms"), "notice_choice"),
        (ContactDetailsChange("", "+46 70 123 45 67", None, notice_choice="email"), "notice_choice"),
        (ContactDetailsChange("", "", None, notice_choice="carrier pigeon"), "notice_choice"),
        (ContactDetailsChange("", "", None, language="fi"), "language"),
        (
            ContactDetailsChange("", "", PostalAddress("", "11122", "Stockholm")),
            "special_postal_address.street_address",
        ),
        (PaymentAccountChange("Bank", "12", "1234567"), "clearing_number"),
        (PaymentAccountChange("Bank", "1234", "12ab567"), "account_number"),
        (TaxSettingsChange(Decimal("-1"), None), "extra_withholding"),
        (TaxSettingsChange(Decimal("1.234"), None), "extra_withholding"),
        (TaxSettingsChange(Decimal("0"), Decimal("101")), "adjusted_percent"),
        (TaxSettingsChange(Decimal("0"), None, "<script>"), "adjustment_reference"),
        (TaxSettingsChange(Decimal("0"), None, "1" * 31), "adjustment_reference"),
    ],
)
def test_invalid_changes_are_refused_field_by_field(registers: Registers, change: object, field: str) -> None:
    write = {
        ContactDetailsChange: registers.contact_details_update,
        PaymentAccountChange: registers.payment_account_update,
        TaxSettingsChange: registers.tax_settings_update,
    }[type(change)]
    with pytest.raises(InvalidChangeError) as refused:
        write(citizen(KARIN), KARIN, change)  # type: ignore[operator]
    assert field in refused.value.errors


def test_the_back_office_records_every_call_with_its_principal(registers: Registers) -> None:
    agent = Principal(kind=PrincipalKind.AGENT, ref="staff-4711")
    before = RegisterAccessRecord.objects.count()
    registers.person_snapshot(agent, KARIN)
    registers.tax_settings_update(citizen(KARIN), KARIN, TaxSettingsChange(Decimal(100), None))
    records = list(RegisterAccessRecord.objects.order_by("id"))[before:]
    assert [(r.action, r.principal_kind, r.principal_ref, r.personal_number) for r in records] == [
        ("snapshot.read", "agent", "staff-4711", KARIN.value),
        ("tax_settings.update", "citizen", citizen(KARIN).ref, KARIN.value),
        # A change of tax withholding tells every contact point (the notice's own record).
        ("notice.enqueue", "citizen", citizen(KARIN).ref, KARIN.value),
    ]
    assert {r.channel for r in records} == {"http" if type(registers).__name__ == "HttpRegisters" else "in_process"}
    assert all(r.service == "portal" for r in records)


# --- Cases: submit, read, withdraw, messages; the handler's queue, view and decisions ----------------------

HANDLER = Principal(kind=PrincipalKind.HANDLER, ref="handler-17")


def karins_application(**changes: object) -> OldAgePensionApplication:
    application = OldAgePensionApplication(
        applicant=KARIN,
        parts=(
            PartChoice(PensionPart.INCOME_PENSION, dt.date(2027, 1, 1), 100),
            PartChoice(PensionPart.PREMIUM_PENSION, dt.date(2027, 3, 1), 50),
        ),
        survivor_protection=True,
        civil_status=CivilStatusAnswer.MARRIED,
        living_abroad=False,
        country="",
        tax_withholding=TaxWithholding(TaxWithholdingKind.EXTRA, Decimal("500.00")),
        payment_account=SwedishAccount("Handelsbanken", "6789", "123456789"),
    )
    return dataclasses.replace(application, **changes)  # type: ignore[arg-type]


def signed(application: Application, *, signer: str | None = None, key: str | None = None) -> CaseSubmission:
    """A submission as the signing step makes it (the evidence is test-only)."""
    document = signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content=codec.application_content(application),
        summary="Du ansöker om allmän ålderspension.",
    )
    assert codec.DOCUMENT_KINDS[codec.case_type_of(application)] == document.kind
    return CaseSubmission(
        case_type=codec.case_type_of(application),
        idempotency_key=key or f"sign:{document.hash_hex}",
        document=SignedDocument(document.kind, 1, document.canonical, document.hash_hex, document.summary),
        evidence=SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=signer or application.applicant.value,
            signed_at=dt.datetime(2026, 11, 28, 11, 59, tzinfo=dt.UTC),
            signature="PFNpZ25hdHVyZT50ZXN0IG9ubHk8L1NpZ25hdHVyZT4=",
            ocsp_response="dGVzdC1vbmx5IE9DU1A=",
        ),
    )


def test_submitting_the_same_signed_application_twice_gives_one_case(registers: Registers) -> None:
    submission = signed(karins_application())
    first = registers.case_submit(citizen(KARIN), KARIN, submission)
    again = registers.case_submit(citizen(KARIN), KARIN, submission)
    assert again == first
    assert (first.case_type, first.status, first.steps) == (
        CaseType.OLD_AGE_PENSION,
        CaseStatus.RECEIVED,
        (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.DECIDED),
    )
    assert first.expected_decision_on == dt.date(2026, 12, 18)  # the 20th of the month before is a Sunday
    assert [c.case_id for c in registers.cases(citizen(KARIN), KARIN)] == [first.case_id]


def test_a_case_keeps_what_was_signed_its_evidence_and_its_typed_application(registers: Registers) -> None:
    application = karins_application()
    submission = signed(application)
    summary = registers.case_submit(citizen(KARIN), KARIN, submission)
    detail = registers.case(citizen(KARIN), KARIN, summary.case_id)
    assert detail.summary == summary
    assert detail.application == application
    (document,) = detail.documents
    assert submission.document is not None
    assert (document.canonical_bytes, document.sha256) == (
        submission.document.canonical_bytes,
        submission.document.sha256,
    )
    assert document.evidence == submission.evidence
    assert [(e.kind, e.status) for e in detail.history] == [
        (CaseEventKind.STATUS, CaseStatus.RECEIVED),
        (CaseEventKind.DOCUMENT, None),
    ]


def test_another_persons_case_is_not_found_exactly_like_a_missing_one(registers: Registers) -> None:
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    for number, case_id in ((LENA, summary.case_id), (KARIN, uuid.uuid4())):
        with pytest.raises(CaseNotFoundError) as refused:
            registers.case(citizen(number), number, case_id)
        assert str(refused.value) == "no such case"
    with pytest.raises(CaseNotFoundError):
        registers.case_withdraw(citizen(LENA), LENA, summary.case_id)
    assert registers.cases(citizen(LENA), LENA) == ()


@pytest.mark.parametrize(
    ("submission", "field"),
    [
        (lambda: dataclasses.replace(signed(karins_application()), idempotency_key="short"), "idempotency_key"),
        (lambda: signed(karins_application(), signer=LENA.value), "evidence.signer_identifier"),
        (lambda: signed(karins_application(applicant=LENA)), "document.content.applicant"),
        (
            lambda: dataclasses.replace(
                signed(karins_application()),
                document=dataclasses.replace(signed(karins_application()).document, sha256="0" * 64),  # type: ignore[type-var]
            ),
            "document.sha256",
        ),
        (
            lambda: signed(karins_application(civil_status=CivilStatusAnswer.SINGLE)),
            "document.content.survivor_protection",
        ),
        (
            lambda: signed(karins_application(payment_account=ForeignAccount("DE89370400440532013001", "COBADEFFXXX"))),
            "document.content.payment_account.iban",
        ),
    ],
)
def test_a_bad_submission_is_refused_field_by_field(registers: Registers, submission: Any, field: str) -> None:
    with pytest.raises(InvalidChangeError) as refused:
        registers.case_submit(citizen(KARIN), KARIN, submission())
    assert field in refused.value.errors
    assert registers.cases(citizen(KARIN), KARIN) == ()


def test_the_same_key_with_another_document_is_refused(registers: Registers) -> None:
    registers.case_submit(citizen(KARIN), KARIN, signed(karins_application(), key="k" * 20))
    other = signed(karins_application(survivor_protection=False), key="k" * 20)
    with pytest.raises(InvalidChangeError) as refused:
        registers.case_submit(citizen(KARIN), KARIN, other)
    assert "idempotency_key" in refused.value.errors


def test_a_withdrawn_case_cannot_be_decided_and_a_decided_one_cannot_be_withdrawn(registers: Registers) -> None:
    withdrawn = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    after = registers.case_withdraw(citizen(KARIN), KARIN, withdrawn.case_id, "Jag väntar ett år.")
    assert after.summary.status == CaseStatus.WITHDRAWN
    assert after.history[-1].text == "Jag väntar ett år."
    with pytest.raises(CaseStateError):
        registers.case_decide(HANDLER, withdrawn.case_id, CaseDecision(DecisionOutcome.GRANTED))
    decided = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application(survivor_protection=False)))
    registers.case_decide(HANDLER, decided.case_id, CaseDecision(DecisionOutcome.REJECTED, "Test."))
    with pytest.raises(CaseStateError):
        registers.case_withdraw(citizen(KARIN), KARIN, decided.case_id)
    with pytest.raises(CaseStateError):
        registers.case_decide(HANDLER, decided.case_id, CaseDecision(DecisionOutcome.GRANTED))


def test_a_grant_writes_the_decisions_and_the_next_payment_into_the_register(registers: Registers) -> None:
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    handled = registers.case_decide(HANDLER, summary.case_id, CaseDecision(DecisionOutcome.GRANTED))
    assert handled.detail.summary.status == CaseStatus.DECIDED
    assert handled.detail.summary.outcome == DecisionOutcome.GRANTED
    decision = handled.detail.history[-1]
    snapshot = registers.person_snapshot(citizen(KARIN), KARIN)
    assert snapshot.person.drawing_pension
    granted = {(p["benefit"], p["payable_from"], Decimal(p["monthly_amount"])) for p in decision.payload["parts"]}
    assert {(d.benefit, d.payable_from.isoformat(), d.monthly_amount) for d in snapshot.decisions} == granted
    assert {d.withdrawal_share for d in snapshot.decisions} == {100, 50}
    (payment,) = snapshot.payments
    assert payment.payment_date == dt.date(2027, 1, 19)
    assert payment.gross == sum(d.monthly_amount for d in snapshot.decisions_in_force(payment.payment_date))
    assert payment.tax >= Decimal(500)  # the table's tax and the extra amount chosen
    assert snapshot.customer_records.payment_account is not None
    assert snapshot.customer_records.payment_account.account_number == "123456789"


def test_a_rejection_writes_only_its_decision(registers: Registers) -> None:
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    with pytest.raises(InvalidChangeError):
        registers.case_decide(HANDLER, summary.case_id, CaseDecision(DecisionOutcome.REJECTED))  # reasons required
    handled = registers.case_decide(HANDLER, summary.case_id, CaseDecision(DecisionOutcome.REJECTED, "Skäl."))
    assert handled.detail.summary.outcome == DecisionOutcome.REJECTED
    snapshot = registers.person_snapshot(citizen(KARIN), KARIN)
    assert (snapshot.decisions, snapshot.payments, snapshot.person.drawing_pension) == ((), (), False)


def test_the_handler_queue_and_view_are_for_case_handlers_only(registers: Registers) -> None:
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    question = registers.case_submit(
        citizen(LENA),
        LENA,
        CaseSubmission(CaseType.GENERAL_QUESTION, "question-lena-0001", subject="Fråga", message="Hej!"),
    )
    queue = registers.case_queue(HANDLER)
    assert [item.case_id for item in queue] == [summary.case_id, question.case_id]
    assert [i.case_id for i in registers.case_queue(HANDLER, CaseType.GENERAL_QUESTION)] == [question.case_id]
    for principal in (citizen(KARIN), Principal(kind=PrincipalKind.AGENT, ref="staff-1")):
        with pytest.raises(NotPermittedError):
            registers.case_queue(principal)
        with pytest.raises(NotPermittedError):
            registers.case_for_handler(principal, summary.case_id)
        with pytest.raises(NotPermittedError):
            registers.case_decide(principal, summary.case_id, CaseDecision(DecisionOutcome.GRANTED))
    handled = registers.case_for_handler(HANDLER, summary.case_id)
    assert (handled.person.personal_number, handled.person.given_name) == (KARIN, "Karin")
    with pytest.raises(CaseNotFoundError):
        registers.case_for_handler(HANDLER, uuid.uuid4())


def test_messages_and_a_completion_go_both_ways(registers: Registers) -> None:
    question = registers.case_submit(
        citizen(LENA),
        LENA,
        CaseSubmission(CaseType.GENERAL_QUESTION, "question-lena-0002", subject="Intyg", message="<b>Hej</b>"),
    )
    assert registers.case_handling_start(HANDLER, question.case_id).detail.summary.status == CaseStatus.IN_PROGRESS
    due = dt.date(2026, 12, 15)
    asked = registers.case_completion_request(HANDLER, question.case_id, "Skicka ditt intyg.", due)
    assert (asked.detail.summary.status, asked.detail.summary.completion_due) == (CaseStatus.AWAITING_COMPLETION, due)
    answered = registers.case_completion_answer(citizen(LENA), LENA, question.case_id, "Här är det.")
    assert answered.summary.status == CaseStatus.IN_PROGRESS
    registers.case_message_answer(HANDLER, question.case_id, "Tack!")
    registers.case_message_send(citizen(LENA), LENA, question.case_id, "Tack själv.")
    with pytest.raises(CaseStateError):
        registers.case_completion_answer(citizen(LENA), LENA, question.case_id, "Igen.")
    with pytest.raises(CaseStateError):
        registers.case_decide(HANDLER, question.case_id, CaseDecision(DecisionOutcome.GRANTED))
    closed = registers.case_close(HANDLER, question.case_id, "Besvarad.")
    assert closed.detail.summary.status == CaseStatus.CLOSED
    detail = registers.case(citizen(LENA), LENA, question.case_id)
    assert [(m.direction, m.text) for m in detail.messages] == [
        ("in", "<b>Hej</b>"),  # stored as text, as written
        ("out", "Skicka ditt intyg."),
        ("in", "Här är det."),
        ("out", "Tack!"),
        ("in", "Tack själv."),
    ]
    assert [e.kind for e in detail.history] == [
        CaseEventKind.STATUS,
        CaseEventKind.MESSAGE_IN,
        CaseEventKind.STATUS,
        CaseEventKind.COMPLETION_REQUESTED,
        CaseEventKind.STATUS,
        CaseEventKind.COMPLETION_ANSWERED,
        CaseEventKind.STATUS,
        CaseEventKind.MESSAGE_OUT,
        CaseEventKind.MESSAGE_IN,
        CaseEventKind.STATUS,
    ]
    assert {e.actor_ref for e in detail.history if e.actor_kind == "handler"} == {""}  # staff ids stay inside
    assert {e.actor_ref for e in registers.case_for_handler(HANDLER, question.case_id).detail.history} >= {"handler-17"}


def test_every_case_call_is_recorded_with_its_principal(registers: Registers) -> None:
    before = RegisterAccessRecord.objects.count()
    summary = registers.case_submit(citizen(KARIN), KARIN, signed(karins_application()))
    registers.case(citizen(KARIN), KARIN, summary.case_id)
    registers.case_queue(HANDLER)
    registers.case_for_handler(HANDLER, summary.case_id)
    records = list(RegisterAccessRecord.objects.order_by("id"))[before:]
    assert [(r.action, r.principal_kind, r.personal_number) for r in records] == [
        ("case.submit", "citizen", KARIN.value),
        ("case.read", "citizen", KARIN.value),
        ("case_queue.read", "handler", ""),
        ("case.read", "handler", KARIN.value),
    ]


def test_files_go_with_messages_are_checked_by_content_scanned_and_only_their_owner_gets_them(
    registers: Registers,
) -> None:
    pdf, png = pdf_bytes(), image_bytes("PNG")
    question = registers.case_submit(
        citizen(LENA),
        LENA,
        CaseSubmission(
            CaseType.GENERAL_QUESTION,
            "question-lena-0003",
            subject="Intyg",
            message="Här är mitt intyg.",
            attachments=(Upload("intyg.pdf", pdf),),
        ),
    )
    registers.case_handling_start(HANDLER, question.case_id)
    registers.case_completion_request(HANDLER, question.case_id, "Skicka en bild.", dt.date(2026, 12, 15))
    registers.case_completion_answer(
        citizen(LENA), LENA, question.case_id, "Här.", attachments=(Upload("bild.png", png),)
    )
    detail = registers.case(citizen(LENA), LENA, question.case_id)
    files = [a for m in detail.messages for a in m.attachments]
    assert [(a.filename, a.content_type, a.size, a.scan_verdict) for a in files] == [
        ("intyg.pdf", "application/pdf", len(pdf), "clean"),
        ("bild.png", "image/png", len(png), "clean"),
    ]
    got = registers.case_attachment(citizen(LENA), LENA, question.case_id, files[0].attachment_id)
    assert (got.content, got.content_type) == (pdf, "application/pdf")
    assert registers.case_attachment_for_handler(HANDLER, question.case_id, files[1].attachment_id).content == png
    with pytest.raises(CaseNotFoundError):
        registers.case_attachment(citizen(KARIN), KARIN, question.case_id, files[0].attachment_id)
    with pytest.raises(CaseNotFoundError):
        registers.case_attachment(citizen(LENA), LENA, question.case_id, uuid.uuid4())
    with pytest.raises(NotPermittedError):
        registers.case_attachment_for_handler(citizen(LENA), question.case_id, files[0].attachment_id)


@pytest.mark.parametrize(
    ("upload", "refusal"),
    [
        (Upload("intyg.pdf", WINDOWS_PROGRAM), "type"),
        (Upload("eicar.pdf", pdf_bytes() + EICAR), "infected"),
        (Upload("<script>alert(1)</script>.pdf", pdf_bytes()), "name"),
        (Upload("stor.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "too_large"),
    ],
    ids=["renamed-exe", "eicar", "script-in-name", "oversized"],
)
def test_a_refused_file_refuses_the_message_and_keeps_nothing(
    registers: Registers, upload: Upload, refusal: str
) -> None:
    question = registers.case_submit(
        citizen(LENA), LENA, CaseSubmission(CaseType.GENERAL_QUESTION, "question-lena-0004", subject="A", message="B")
    )
    with pytest.raises(InvalidChangeError) as refused:
        registers.case_message_send(citizen(LENA), LENA, question.case_id, "Bifogat.", attachments=(upload,))
    assert refused.value.errors == {"attachments.0": refusal}
    assert len(registers.case(citizen(LENA), LENA, question.case_id).messages) == 1, "the message was not kept"


def test_customer_service_notes_a_call_in_a_case_and_only_customer_service_may(registers: Registers) -> None:
    """Issue 19: the agent notes the call on a case; the person sees it in the history (kind call_note)."""
    agent = Principal(PrincipalKind.AGENT, "K1001")
    question = registers.case_submit(
        citizen(LENA),
        LENA,
        CaseSubmission(CaseType.GENERAL_QUESTION, "question-lena-call", subject="Intyg", message="Hej"),
    )
    noted = registers.case_call_note(agent, LENA, question.case_id, "Ringde om intyget; svar inom två veckor.")
    assert noted.summary.status == CaseStatus.RECEIVED  # a note changes no status
    detail = registers.case(citizen(LENA), LENA, question.case_id)
    note = detail.history[-1]
    assert (note.kind, note.actor_kind, note.text) == (
        CaseEventKind.CALL_NOTE,
        "agent",
        "Ringde om intyget; svar inom två veckor.",
    )
    assert note.actor_ref == ""  # the person's view names customer service, not the agent
    handled = registers.case_for_handler(HANDLER, question.case_id)
    assert (handled.detail.history[-1].kind, handled.detail.history[-1].actor_ref) == (CaseEventKind.CALL_NOTE, "K1001")
    for principal in (citizen(LENA), HANDLER):
        with pytest.raises(NotPermittedError):
            registers.case_call_note(principal, LENA, question.case_id, "Ringde.")
    with pytest.raises(CaseNotFoundError):
        registers.case_call_note(agent, KARIN, question.case_id, "Ringde.")  # another person's case
    with pytest.raises(InvalidChangeError):
        registers.case_call_note(agent, LENA, question.case_id, "")
    with pytest.raises(InvalidChangeError):
        registers.case_call_note(agent, LENA, question.case_id, "x" * 2001)
    records = RegisterAccessRecord.objects.filter(personal_number=LENA.value, action="case.call_note")
    assert list(records.values_list("principal_kind", "principal_ref")) == [("agent", "K1001")]
    assert len(registers.case(citizen(LENA), LENA, question.case_id).history) == len(detail.history)


# --- A signed change of payment account, applied at once (issue 18.3) -----------------------------------


def signed_account_change(account: SwedishAccount | ForeignAccount, number: PersonalNumber = AMIR) -> CaseSubmission:
    """A signed change of account as the signing step makes it (the evidence is test-only)."""
    application = PaymentAccountChangeApplication(applicant=number, payment_account=account)
    document = signable_document(
        kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE,
        version=1,
        content=codec.application_content(application),
        summary="Du ändrar ditt utbetalningskonto.",
    )
    return CaseSubmission(
        case_type=CaseType.PAYMENT_ACCOUNT_CHANGE,
        idempotency_key=f"sign:{document.hash_hex}",
        document=SignedDocument(document.kind, 1, document.canonical, document.hash_hex, document.summary),
        evidence=SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=number.value,
            signed_at=dt.datetime(2026, 11, 28, 11, 59, tzinfo=dt.UTC),
            signature="PFNpZ25hdHVyZT50ZXN0IG9ubHk8L1NpZ25hdHVyZT4=",
            ocsp_response="dGVzdC1vbmx5IE9DU1A=",
        ),
    )


def test_a_signed_account_change_is_applied_at_once_and_told_to_every_contact_point(registers: Registers) -> None:
    ContactDetails.objects.filter(person__personal_number=AMIR.value).update(
        email="amir.ny@example.se",
        email_confirmed=True,
        phone="070-123 45 67",
        previous_email="amir.gammal@example.se",
        previous_email_until=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    )
    submission = signed_account_change(SwedishAccount("Handelsbanken", "6789", "123456789"))
    receipt = registers.payment_account_change(citizen(AMIR), AMIR, submission)
    assert (receipt.case.case_type, receipt.case.status) == (CaseType.PAYMENT_ACCOUNT_CHANGE, CaseStatus.DECIDED)
    assert receipt.effective_payment is not None
    assert receipt.effective_payment > clock.today() + dt.timedelta(days=6)
    account = registers.customer_records(citizen(AMIR), AMIR).payment_account
    assert account is not None
    assert (account.clearing_number, account.account_number) == ("6789", "123456789")
    detail = registers.case(citizen(AMIR), AMIR, receipt.case.case_id)
    (document,) = detail.documents
    assert document.evidence is not None
    assert document.evidence.signer_identifier == AMIR.value
    told = sorted(
        (n.channel, n.address)
        for n in Notice.objects.filter(person__personal_number=AMIR.value, kind="details_changed")
    )
    assert told == [("email", "amir.gammal@example.se"), ("email", "amir.ny@example.se"), ("sms", "070-123 45 67")]
    again = registers.payment_account_change(citizen(AMIR), AMIR, submission)
    assert again == receipt, "the same signed change again is the same change"
    assert Notice.objects.filter(person__personal_number=AMIR.value, kind="details_changed").count() == 3
    assert RegisterAccessRecord.objects.filter(action="payment_account.change_signed").count() == 2


def test_a_signed_account_change_abroad_or_of_another_type_is_refused(registers: Registers) -> None:
    abroad = signed_account_change(ForeignAccount("DE89370400440532013000", "COBADEFFXXX"))
    with pytest.raises(InvalidChangeError):
        registers.payment_account_change(citizen(AMIR), AMIR, abroad)
    question = CaseSubmission(
        case_type=CaseType.GENERAL_QUESTION, idempotency_key="question-0000000001", subject="Hej", message="Fråga"
    )
    with pytest.raises(InvalidChangeError):
        registers.payment_account_change(citizen(AMIR), AMIR, question)
    assert not [c for c in registers.cases(citizen(AMIR), AMIR) if c.case_type == CaseType.PAYMENT_ACCOUNT_CHANGE]
