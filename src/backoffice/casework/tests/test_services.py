"""Requirement: casework keeps cases exactly once and their history append-only (issues 16 and 18): the same
key twice is one case; a withdrawn case cannot be decided nor a decided one withdrawn; history, documents,
evidence and messages cannot be changed or deleted, by the models nor by the database; a grant writes the
engine's amounts for that person and choice; another person's case is not found; every call is recorded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.db import DatabaseError, connections, transaction

from backoffice.casework import selectors, services
from backoffice.casework.applications import DocumentError, document_read
from backoffice.casework.models import AppendOnlyError, Case, CaseEvent, CaseStatus, CaseType, Message, SignedDocument
from backoffice.casework.rules import expected_decision_on
from backoffice.casework.tests.factories import (
    AMIR,
    HANDLER_REF,
    KARIN,
    SARA,
    canonical,
    old_age_document,
    question,
    signed_submission,
)
from backoffice.register.access import Caller
from backoffice.register.models import (
    PensionableIncome,
    PensionDecision,
    PensionPayment,
    Person,
    RegisterAccessRecord,
    TaxSettings,
)
from backoffice.register.services import InvalidChangeError
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from pension_engine.in_payment import Pensioners, pensions_in_payment
from pension_engine.tax import entitled_to_increased_deduction, income_tax
from pension_engine.withdrawal import Withdrawal

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

CITIZEN = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym-karin")
HANDLER = Caller(service="portal", channel="in_process", principal_kind="handler", principal_ref=HANDLER_REF)


@pytest.fixture(autouse=True)
def register(frozen_clock: clock.FrozenClock) -> None:
    demo_persons_create()


def open_case(document: dict[str, Any] | None = None, number: str = KARIN, **kw: Any) -> dict[str, Any]:
    submission = signed_submission(document or old_age_document(number), **kw)
    return services.case_open(caller=CITIZEN, personal_number=number, submission=submission)


def grant(case_id: str) -> dict[str, Any]:
    return services.application_decide(caller=HANDLER, case_id=case_id, change={"outcome": "granted"})


def test_the_same_key_twice_is_one_case() -> None:
    first = open_case()
    assert open_case() == first
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 2  # received, and the document: nothing added by the repeat


def test_the_same_key_from_another_person_is_refused_without_telling_about_the_case() -> None:
    document = old_age_document()
    submission = signed_submission(document)
    services.case_open(caller=CITIZEN, personal_number=KARIN, submission=submission)
    other = signed_submission(old_age_document(SARA), key=submission["idempotency_key"])
    with pytest.raises(InvalidChangeError) as refused:
        services.case_open(caller=CITIZEN, personal_number=SARA, submission=other)
    assert refused.value.errors == {"idempotency_key": "was used for another submission"}


@pytest.mark.parametrize("open_with", [services.case_open, services.payment_account_change_apply])
def test_a_submission_with_a_field_not_known_is_refused_before_anything_is_opened(open_with: Any) -> None:
    submission = {**signed_submission(old_age_document()), "case_type": "payment_account_change", "bank": "x"}
    with pytest.raises(InvalidChangeError) as refused:
        open_with(caller=CITIZEN, personal_number=KARIN, submission=submission)
    assert refused.value.errors == {"bank": "is not a known field"}
    assert not Case.objects.exists()


def test_a_status_is_the_newest_status_event_and_never_a_field() -> None:
    case_id = open_case()["case_id"]
    services.case_handling_start(caller=HANDLER, case_id=case_id)
    case = Case.objects.get(public_id=case_id)
    assert selectors.case_status(case) == CaseStatus.IN_PROGRESS
    assert not hasattr(case, "status")
    assert [e.sequence for e in case.events.order_by("sequence")] == [1, 2, 3]


def test_a_withdrawn_case_cannot_be_decided() -> None:
    case_id = open_case()["case_id"]
    services.case_withdraw(caller=CITIZEN, personal_number=KARIN, case_id=case_id, change={})
    with pytest.raises(services.CaseStateError):
        grant(case_id)
    assert not PensionDecision.objects.filter(person__personal_number=KARIN).exists()


def test_a_decided_case_cannot_be_withdrawn_nor_decided_again() -> None:
    case_id = open_case()["case_id"]
    grant(case_id)
    with pytest.raises(services.CaseStateError):
        services.case_withdraw(caller=CITIZEN, personal_number=KARIN, case_id=case_id, change={})
    with pytest.raises(services.CaseStateError):
        grant(case_id)


def test_another_persons_case_is_not_found() -> None:
    case_id = open_case()["case_id"]
    for number in (SARA, AMIR):
        with pytest.raises(selectors.CaseNotFoundError):
            selectors.case_of_person(caller=CITIZEN, personal_number=number, case_id=case_id)
        with pytest.raises(selectors.CaseNotFoundError):
            services.case_message_send(caller=CITIZEN, personal_number=number, case_id=case_id, change={"text": "x"})
    with pytest.raises(selectors.CaseNotFoundError):
        selectors.case_of_person(caller=CITIZEN, personal_number=KARIN, case_id="not-a-uuid")


def test_the_models_refuse_to_change_or_delete_the_history() -> None:
    open_case()
    event = CaseEvent.objects.first()
    assert event is not None
    event.text = "changed"
    for attempt in (
        event.save,
        event.delete,
        lambda: CaseEvent.objects.update(text="changed"),
        lambda: CaseEvent.objects.all().delete(),
        lambda: SignedDocument.objects.update(summary="changed"),
        lambda: Case.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()


@pytest.mark.parametrize("table", ["casework_caseevent", "casework_signeddocument", "casework_signatureevidence"])
def test_the_database_refuses_changes_that_bypass_the_models(table: str) -> None:
    open_case()
    for statement in (f"UPDATE {table} SET id = id WHERE id > 0", f"DELETE FROM {table} WHERE id > 0"):  # noqa: S608
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(using="backoffice"),
            connections["backoffice"].cursor() as cursor,
        ):
            cursor.execute(statement)
    assert CaseEvent.objects.count() == 2


def test_messages_cannot_be_changed_by_the_database_either() -> None:
    case = services.case_open(caller=CITIZEN, personal_number=KARIN, submission=question())
    assert Message.objects.count() == 1
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(using="backoffice"),
        connections["backoffice"].cursor() as cursor,
    ):
        cursor.execute("UPDATE casework_message SET text = 'changed'")
    assert selectors.case_of_person(caller=CITIZEN, personal_number=KARIN, case_id=case["case_id"])["messages"][0][
        "text"
    ] == ("När kommer mitt beslut?")


def test_creating_the_demo_persons_anew_erases_their_cases_and_keeps_the_triggers() -> None:
    open_case()
    demo_persons_create()
    assert Case.objects.count() == 0
    open_case()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(using="backoffice"),
        connections["backoffice"].cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_caseevent")


# --- The grant: the engine's amounts --------------------------------------------------------------------


def engine_monthly(number: str, start: dt.date, share: float, years: list[int], married: bool) -> dict[int, Any]:
    """The engine asked directly, on the register's rows of the person, for one withdrawal."""
    person = Person.objects.get(personal_number=number)
    rows = list(PensionableIncome.objects.filter(person=person).order_by("income_year"))
    first = rows[0].income_year
    width = rows[-1].income_year - first + 1
    matrices = np.zeros((3, 1, width))
    for row in rows:
        column = row.income_year - first
        matrices[:, 0, column] = [float(row.income), float(row.income_pension_right), float(row.premium_pension_right)]
    rate = float(TaxSettings.objects.get(person=person).municipal_tax_rate) / 100 if number == AMIR else np.nan
    pensioners = Pensioners(
        birth_year=np.array([person.birth_date.year]),
        history_first_year=first,
        income=matrices[0],
        income_pension_rights=matrices[1],
        premium_pension_rights=matrices[2],
        withdrawal=Withdrawal.of(np.array([start.year]), np.array([start.month]), share),
        married=np.array([married]),
        residence_years=np.array([float(person.residence_years)]),
        municipal_tax_rate=np.array([rate]),
    )
    return {year: paid.parts for year, paid in pensions_in_payment(pensioners, years).by_year.items()}


def test_a_grant_writes_the_engines_amounts_for_that_person_and_choice() -> None:
    document = old_age_document(
        parts=[
            {"benefit": "income_pension", "start_month": "2027-02", "share": 75},
            {"benefit": "premium_pension", "start_month": "2027-02", "share": 100},
        ],
    )
    case_id = open_case(document)["case_id"]
    handled = grant(case_id)
    income = engine_monthly(KARIN, dt.date(2027, 2, 1), 0.75, [2027], married=True)[2027]
    premium = engine_monthly(KARIN, dt.date(2027, 2, 1), 1.0, [2027], married=True)[2027]
    expected = {
        ("income_pension", dt.date(2027, 2, 1), 75, Decimal(f"{income.income_pension[0]:.2f}")),
        ("premium_pension", dt.date(2027, 2, 1), 100, Decimal(f"{premium.premium_pension[0]:.2f}")),
    }
    written = {
        (d.benefit, d.payable_from, d.withdrawal_share, d.monthly_amount)
        for d in PensionDecision.objects.filter(person__personal_number=KARIN)
    }
    assert written == expected
    assert all(amount > 0 for *_, amount in expected)
    gross = float(income.income_pension[0] + premium.premium_pension[0])
    increased = entitled_to_increased_deduction(np.array([1962]), np.array([2027 - 1962]))
    tax = round(float(income_tax(np.array([12 * gross]), 2027, increased, np.array([np.nan]))[0]) / 12)
    (payment,) = PensionPayment.objects.filter(person__personal_number=KARIN)
    assert (payment.payment_date, payment.gross, payment.tax) == (dt.date(2027, 2, 19), Decimal(gross), Decimal(tax))
    assert payment.net == payment.gross - payment.tax
    assert Person.objects.get(personal_number=KARIN).drawing_pension
    decision = handled["history"][-1]
    assert decision["payload"]["outcome"] == "granted"
    assert {p["benefit"] for p in decision["payload"]["parts"]} == {"income_pension", "premium_pension"}


def test_guarantee_pension_needs_both_parts_whole_and_a_home_in_the_eea() -> None:
    parts = [
        {"benefit": "income_pension", "start_month": "2029-01", "share": 100},
        {"benefit": "premium_pension", "start_month": "2029-01", "share": 100},
        {"benefit": "guarantee_pension", "start_month": "2029-01", "share": 100},
    ]
    Person.objects.filter(personal_number=KARIN).update(residence_years=Decimal("40.0"))
    PensionableIncome.objects.filter(person__personal_number=KARIN).update(
        income_pension_right=Decimal("100.00"), premium_pension_right=Decimal("10.00")
    )
    case_id = open_case(old_age_document(parts=parts))["case_id"]
    parts_granted = {
        p["benefit"]: Decimal(p["monthly_amount"]) for p in grant(case_id)["history"][-1]["payload"]["parts"]
    }
    expected = engine_monthly(KARIN, dt.date(2029, 1, 1), 1.0, [2029], married=True)[2029].guarantee_pension[0]
    assert parts_granted["guarantee_pension"] == Decimal(f"{expected:.2f}") > 0

    abroad = old_age_document(
        parts=parts, living_abroad=True, country="US", tax_withholding={"kind": "sink", "extra_per_month": "0.00"}
    )
    demo_persons_create()
    Person.objects.filter(personal_number=KARIN).update(residence_years=Decimal("40.0"))
    case_id = open_case(abroad)["case_id"]
    payload = grant(case_id)["history"][-1]["payload"]
    assert {p["benefit"]: p["monthly_amount"] for p in payload["parts"]}["guarantee_pension"] == "0.00"


def test_a_month_already_paid_out_comes_as_back_pay_with_the_next_payment() -> None:
    parts = [
        {"benefit": "income_pension", "start_month": "2026-11", "share": 100},
        {"benefit": "premium_pension", "start_month": "2026-11", "share": 100},
    ]
    case_id = open_case(
        old_age_document(parts=parts, tax_withholding={"kind": "thirty_percent", "extra_per_month": "0"})
    )["case_id"]
    grant(case_id)
    monthly = sum(d.monthly_amount for d in PensionDecision.objects.filter(person__personal_number=KARIN))
    (payment,) = PensionPayment.objects.filter(person__personal_number=KARIN)
    assert payment.payment_date == dt.date(2026, 12, 18)  # the 19th is a Saturday
    assert payment.gross == 2 * monthly  # November (its day, the 19th, had passed) and December
    assert payment.tax == 2 * round(Decimal("0.30") * monthly)


def test_a_part_below_the_lowest_age_cannot_be_granted() -> None:
    document = old_age_document(SARA, civil_status="cohabiting", survivor_protection=False)
    case_id = open_case(document, number=SARA)["case_id"]
    with pytest.raises(InvalidChangeError) as refused:
        grant(case_id)
    assert "lowest age" in refused.value.errors["outcome"]
    assert selectors.case_status(Case.objects.get(public_id=case_id)) == CaseStatus.RECEIVED


def test_a_rejection_writes_the_decision_event_only() -> None:
    case_id = open_case()["case_id"]
    handled = services.application_decide(
        caller=HANDLER, case_id=case_id, change={"outcome": "rejected", "text": "Du har redan ansökt."}
    )
    assert handled["outcome"] == "rejected"
    assert not PensionDecision.objects.filter(person__personal_number=KARIN).exists()
    assert not PensionPayment.objects.filter(person__personal_number=KARIN).exists()


# --- The document, the rules, the access records --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parts": []}, "parts"),
        ({"parts": [{"benefit": "income_pension", "start_month": "2027-13", "share": 100}]}, "parts.0.start_month"),
        ({"parts": [{"benefit": "income_pension", "start_month": "2027-01", "share": 40}]}, "parts.0.share"),
        ({"parts": [{"benefit": "guarantee_pension", "start_month": "2027-01", "share": 50}]}, "parts.0.share"),
        ({"civil_status": "single", "survivor_protection": True}, "survivor_protection"),
        ({"tax_withholding": {"kind": "sink", "extra_per_month": "0"}}, "tax_withholding.kind"),
        ({"tax_withholding": {"kind": "extra", "extra_per_month": "0"}}, "tax_withholding.extra_per_month"),
        ({"living_abroad": True}, "country"),
        ({"payment_account": {"kind": "swedish", "bank_name": "X", "clearing_number": "12", "account_number": "1"}},
         "payment_account.clearing_number"),
        ({"payment_account": {"kind": "foreign", "iban": "DE00370400440532013000", "bic": "COBADEFFXXX"}},
         "payment_account.iban"),
        ({"payment_account": {"kind": "swedish", "bank_name": "X", "clearing_number": "6789",
                              "account_number": "123456788"}}, "payment_account.account_number"),
        ({"surprise": 1}, "surprise"),
    ],
)  # fmt: skip
def test_a_malformed_application_is_refused_field_by_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(DocumentError) as refused:
        document_read("old_age_pension", canonical(old_age_document(**changes)))
    assert field in refused.value.errors


def test_a_valid_foreign_account_and_a_withdrawal_change_are_read() -> None:
    account = {"kind": "foreign", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"}
    application = document_read("old_age_pension", canonical(old_age_document(payment_account=account)))
    assert application.first_month == dt.date(2027, 1, 1)
    change = {"applicant": AMIR, "parts": ["income_pension"], "change": "share", "share": 50, "from_month": "2027-03"}
    read = document_read("withdrawal_change", canonical(change, "withdrawal_change"))
    assert read.first_month == dt.date(2027, 3, 1)


def test_a_document_not_in_canonical_form_or_of_another_kind_is_refused() -> None:
    raw = canonical(old_age_document())
    with pytest.raises(DocumentError, match="canonical"):
        document_read("old_age_pension", raw.replace(b",", b", ", 1))
    with pytest.raises(DocumentError, match="pension-application"):
        document_read("old_age_pension", canonical(old_age_document(), "withdrawal_change"))


@pytest.mark.parametrize(
    ("case_type", "arrived", "first_month", "expected"),
    [
        (CaseType.OLD_AGE_PENSION, dt.date(2026, 9, 1), dt.date(2027, 1, 1), dt.date(2026, 12, 18)),  # 20th: Sunday
        (CaseType.OLD_AGE_PENSION, dt.date(2026, 11, 28), dt.date(2027, 3, 1), dt.date(2027, 2, 19)),
        (CaseType.OLD_AGE_PENSION, dt.date(2026, 12, 10), dt.date(2027, 1, 1), dt.date(2027, 1, 20)),  # too soon
        (CaseType.WITHDRAWAL_CHANGE, dt.date(2026, 11, 28), dt.date(2027, 6, 1), dt.date(2027, 5, 20)),
        (CaseType.PAYMENT_ACCOUNT_CHANGE, dt.date(2026, 11, 28), None, dt.date(2026, 12, 12)),
        (CaseType.GENERAL_QUESTION, dt.date(2026, 11, 28), None, dt.date(2026, 12, 8)),
    ],
)
def test_the_expected_decision_date(
    case_type: CaseType, arrived: dt.date, first_month: dt.date | None, expected: dt.date
) -> None:
    assert expected_decision_on(case_type, arrived, first_month) == expected


def test_the_handler_reads_are_recorded_and_the_queue_reads_no_one() -> None:
    case_id = open_case()["case_id"]
    before = RegisterAccessRecord.objects.count()
    queue = selectors.case_queue(caller=HANDLER)
    assert [item["case_id"] for item in queue] == [case_id]
    assert set(queue[0]) == {"case_id", "case_type", "status", "opened_at", "expected_decision_on"}
    selectors.case_for_handler(caller=HANDLER, case_id=case_id)
    grant(case_id)
    records = list(RegisterAccessRecord.objects.order_by("id"))[before:]
    assert [(r.action, r.principal_kind, r.principal_ref, r.personal_number) for r in records] == [
        ("case_queue.read", "handler", HANDLER_REF, ""),
        ("case.read", "handler", HANDLER_REF, KARIN),
        ("pension_grant.record", "handler", HANDLER_REF, KARIN),
        ("payment_account.update", "handler", HANDLER_REF, KARIN),
        ("notice.enqueue", "handler", HANDLER_REF, KARIN),  # the person is told a decision waits
        ("case.decide", "handler", HANDLER_REF, KARIN),
    ]
    assert selectors.case_queue(caller=HANDLER) == []  # decided: no longer open


def test_a_citizen_cannot_do_a_handlers_work() -> None:
    case_id = open_case()["case_id"]
    for attempt in (
        lambda: selectors.case_queue(caller=CITIZEN),
        lambda: selectors.case_for_handler(caller=CITIZEN, case_id=case_id),
        lambda: services.application_decide(caller=CITIZEN, case_id=case_id, change={"outcome": "granted"}),
        lambda: services.case_close(caller=CITIZEN, case_id=case_id, change={"text": "x"}),
    ):
        with pytest.raises(selectors.CaseworkPermissionError):
            attempt()
