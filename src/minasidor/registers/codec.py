"""One reading of the back office's data shape for both implementations (Python values or their JSON form)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kernel.personal_number import PersonalNumber
from minasidor.registers.types import (
    HOUSEHOLD_AMOUNTS,
    AccountYear,
    Application,
    Attachment,
    AttachmentContent,
    CaseDetail,
    CaseDocument,
    CaseEvent,
    CaseEventKind,
    CaseMessage,
    CasePerson,
    CaseStatus,
    CaseSubmission,
    CaseSummary,
    CaseType,
    CivilStatusAnswer,
    ContactDetails,
    ContactDetailsChange,
    CustomerRecords,
    DecisionOutcome,
    DelegateSignatureRecord,
    ForeignAccount,
    FormOrderReceipt,
    FundHolding,
    HandlerCase,
    HousingKind,
    HousingSupplementApplication,
    IncomeYear,
    OldAgePensionApplication,
    PaperForm,
    PartChoice,
    Payment,
    PaymentAccount,
    PaymentAccountChange,
    PaymentAccountChangeApplication,
    PaymentAccountChangeReceipt,
    PensionDecision,
    PensionPart,
    PersonRecord,
    PersonSnapshot,
    PostalAddress,
    QueueItem,
    SignatureEvidence,
    SignatureMethod,
    Statement,
    SwedishAccount,
    TaxSettings,
    TaxSettingsChange,
    TaxWithholding,
    TaxWithholdingChange,
    TaxWithholdingKind,
    Upload,
    WithdrawalChange,
    WithdrawalChangeKind,
)

Data = Mapping[str, Any]


INCOME_YEAR_AMOUNTS = (
    "income",
    "pensionable_income",
    "child_year_credit",
    "study_credit",
    "military_service_credit",
    "income_pension_right",
    "premium_pension_right",
)


def _money(value: Any) -> Decimal:
    """Decimal from a Decimal, or from a JSON number or string, kept to two decimals."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def account_year(data: Data) -> AccountYear:
    """An account year from data."""
    return AccountYear(
        year=int(data["year"]),
        account=str(data["account"]),
        **{
            name: _money(data[name])
            for name in ("opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "closing_value")
        },
        paid_out=_money(data.get("paid_out", 0)),  # a back office from before payouts sends none
    )


def contact_details(data: Data) -> ContactDetails:
    """Contact details from data."""
    special = data.get("special_postal_address")
    return ContactDetails(
        address_protected=bool(data["address_protected"]),
        street_address=data["street_address"],
        postal_code=data["postal_code"],
        city=data["city"],
        special_postal_address=None if special is None else PostalAddress(**special),
        email=data["email"],
        phone=data["phone"],
        email_confirmed=bool(data["email_confirmed"]),
        notice_choice=str(data["notice_choice"]),
        language=str(data["language"]),
        pending_email=str(data.get("pending_email") or ""),
    )


def payment_account(data: Data) -> PaymentAccount:
    """A payment account from data."""
    return PaymentAccount(
        bank_name=data["bank_name"], clearing_number=data["clearing_number"], account_number=data["account_number"]
    )


def customer_records(records: Data) -> CustomerRecords:
    """Contact details, payment account and tax settings from data."""
    return CustomerRecords(
        contact_details=contact_details(records["contact_details"]),
        payment_account=None if records["payment_account"] is None else payment_account(records["payment_account"]),
        tax_settings=None if records["tax_settings"] is None else tax_settings(records["tax_settings"]),
    )


def tax_settings(data: Data) -> TaxSettings:
    """Tax settings from data."""
    adjusted = data.get("adjusted_percent")
    return TaxSettings(
        municipal_tax_rate=_money(data["municipal_tax_rate"]),
        tax_table=int(data["tax_table"]),
        extra_withholding=_money(data["extra_withholding"]),
        adjusted_percent=None if adjusted is None else _money(adjusted),
        adjustment_reference=str(data.get("adjustment_reference") or ""),
    )


def person_snapshot(data: Data) -> PersonSnapshot:
    """The person snapshot from the back office's data."""
    person = data["person"]
    accounts = tuple(account_year(row) for row in data["accounts"])
    latest_year = data.get("latest_statement_year")
    latest = None
    if latest_year is not None:
        of_year = {a.account: a for a in accounts if a.year == latest_year}
        latest = Statement(
            year=int(latest_year),
            income_pension=of_year.get("income_pension"),
            premium_pension=of_year.get("premium_pension"),
        )
    records = data["customer_records"]
    return PersonSnapshot(
        person=PersonRecord(
            personal_number=PersonalNumber(person["personal_number"]),
            given_name=person["given_name"],
            family_name=person["family_name"],
            birth_date=_date(person["birth_date"]),
            civil_status=person["civil_status"],
            residence_years=_money(person["residence_years"]),
            drawing_pension=bool(person["drawing_pension"]),
            still_working=bool(person["still_working"]),
            protected_identity=bool(person["protected_identity"]),
            date_of_death=_optional_date(person.get("date_of_death")),
            min_pension_user=bool(person["min_pension_user"]),
        ),
        incomes=tuple(
            IncomeYear(
                year=int(row["year"]),
                **{name: _money(row[name]) for name in INCOME_YEAR_AMOUNTS},
            )
            for row in data["incomes"]
        ),
        latest_statement=latest,
        accounts=accounts,
        fund_holdings=tuple(
            FundHolding(
                fund_id=h["fund_id"],
                fund_name=h["fund_name"],
                units=_money(h["units"]),
                unit_price=_money(h["unit_price"]),
                value=_money(h["value"]),
                fee_percent=_money(h["fee_percent"]),
                valued_on=_date(h["valued_on"]),
            )
            for h in data["fund_holdings"]
        ),
        decisions=tuple(
            PensionDecision(
                benefit=d["benefit"],
                decided_on=_date(d["decided_on"]),
                payable_from=_date(d["payable_from"]),
                withdrawal_share=int(d["withdrawal_share"]),
                monthly_amount=_money(d["monthly_amount"]),
            )
            for d in data["decisions"]
        ),
        payments=tuple(
            Payment(
                payment_date=_date(p["payment_date"]),
                gross=_money(p["gross"]),
                tax=_money(p["tax"]),
                net=_money(p["net"]),
                paid=bool(p["paid"]),
            )
            for p in data["payments"]
        ),
        customer_records=customer_records(records),
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def change_data(change: ContactDetailsChange | PaymentAccountChange | TaxSettingsChange) -> dict[str, Any]:
    """A change as the back office takes it (JSON-ready: money as decimal strings)."""
    data = dataclasses.asdict(change)
    return {key: _json_value(value) for key, value in data.items()}


# --- Cases --------------------------------------------------------------------------------------------

DOCUMENT_VERSION = 1


def _instant(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _optional_instant(value: Any) -> dt.datetime | None:
    return None if value is None else _instant(value)


def _month(value: str) -> dt.date:
    return dt.date(int(value[:4]), int(value[5:7]), 1)


def _month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _account_document(account: SwedishAccount | ForeignAccount) -> dict[str, Any]:
    if isinstance(account, ForeignAccount):
        return {"kind": "foreign", "iban": account.iban, "bic": account.bic}
    return {
        "kind": "swedish",
        "bank_name": account.bank_name,
        "clearing_number": account.clearing_number,
        "account_number": account.account_number,
    }


def _tax_document(tax: TaxWithholding) -> dict[str, Any]:
    return {"kind": str(tax.kind), "extra_per_month": f"{tax.extra_per_month:.2f}"}


# The kind each signed case type's document names in its envelope (minasidor.signing.documents).
DOCUMENT_KINDS = {
    CaseType.OLD_AGE_PENSION: "pension-application",
    CaseType.WITHDRAWAL_CHANGE: "withdrawal-change",
    CaseType.PAYMENT_ACCOUNT_CHANGE: "payment-account-change",
    CaseType.TAX_WITHHOLDING_CHANGE: "tax-withholding-change",
    CaseType.HOUSING_SUPPLEMENT: "housing-supplement-application",
}


def case_type_of(application: Application) -> CaseType:
    """The case an application opens."""
    if isinstance(application, OldAgePensionApplication):
        return CaseType.OLD_AGE_PENSION
    if isinstance(application, WithdrawalChange):
        return CaseType.WITHDRAWAL_CHANGE
    if isinstance(application, PaymentAccountChangeApplication):
        return CaseType.PAYMENT_ACCOUNT_CHANGE
    if isinstance(application, HousingSupplementApplication):
        return CaseType.HOUSING_SUPPLEMENT
    return CaseType.TAX_WITHHOLDING_CHANGE


def application_content(application: Application) -> dict[str, Any]:
    """The content of the document to sign for ``application`` (version 1), JSON-ready and without floats:
    the signing step wraps it as ``{"kind": DOCUMENT_KINDS[…], "version": 1, "content": …}`` in canonical
    form (RFC 8785), and those bytes are what is signed and kept (decisions 0100, 0039)."""
    data: dict[str, Any] = {"applicant": application.applicant.value}
    if isinstance(application, OldAgePensionApplication):
        data |= {
            "parts": [
                {"benefit": str(p.part), "start_month": _month_text(p.start_month), "share": p.share}
                for p in application.parts
            ],
            "survivor_protection": application.survivor_protection,
            "civil_status": str(application.civil_status),
            "living_abroad": application.living_abroad,
            "country": application.country,
            "tax_withholding": _tax_document(application.tax_withholding),
            "payment_account": _account_document(application.payment_account),
        }
    elif isinstance(application, WithdrawalChange):
        data |= {
            "parts": [str(p) for p in application.parts],
            "change": str(application.change),
            "share": application.share,
            "from_month": _month_text(application.from_month),
        }
    elif isinstance(application, PaymentAccountChangeApplication):
        data["payment_account"] = _account_document(application.payment_account)
    elif isinstance(application, HousingSupplementApplication):
        data |= {
            "from_month": _month_text(application.from_month),
            "civil_status": str(application.civil_status),
            "housing_kind": str(application.housing_kind),
        } | {name: getattr(application, name) for name in HOUSEHOLD_AMOUNTS}
    else:
        data["tax_withholding"] = _tax_document(application.tax_withholding)
    return data


def _account(data: Data) -> SwedishAccount | ForeignAccount:
    if data["kind"] == "foreign":
        return ForeignAccount(iban=data["iban"], bic=data["bic"])
    return SwedishAccount(
        bank_name=data["bank_name"], clearing_number=data["clearing_number"], account_number=data["account_number"]
    )


def _tax(data: Data) -> TaxWithholding:
    return TaxWithholding(kind=TaxWithholdingKind(data["kind"]), extra_per_month=_money(data["extra_per_month"]))


def application(case_type: CaseType, data: Data | None) -> Application | None:
    """The typed view of a case's application from the back office's data (None for a case without one)."""
    if data is None:
        return None
    applicant = PersonalNumber(data["applicant"])
    if case_type == CaseType.OLD_AGE_PENSION:
        return OldAgePensionApplication(
            applicant=applicant,
            parts=tuple(
                PartChoice(part=PensionPart(p["benefit"]), start_month=_month(p["start_month"]), share=int(p["share"]))
                for p in data["parts"]
            ),
            survivor_protection=bool(data["survivor_protection"]),
            civil_status=CivilStatusAnswer(data["civil_status"]),
            living_abroad=bool(data["living_abroad"]),
            country=data["country"],
            tax_withholding=_tax(data["tax_withholding"]),
            payment_account=_account(data["payment_account"]),
        )
    if case_type == CaseType.WITHDRAWAL_CHANGE:
        return WithdrawalChange(
            applicant=applicant,
            parts=tuple(PensionPart(p) for p in data["parts"]),
            change=WithdrawalChangeKind(data["change"]),
            share=None if data["share"] is None else int(data["share"]),
            from_month=_month(data["from_month"]),
        )
    if case_type == CaseType.PAYMENT_ACCOUNT_CHANGE:
        return PaymentAccountChangeApplication(applicant=applicant, payment_account=_account(data["payment_account"]))
    if case_type == CaseType.HOUSING_SUPPLEMENT:
        return HousingSupplementApplication(
            applicant=applicant,
            from_month=_month(data["from_month"]),
            civil_status=CivilStatusAnswer(data["civil_status"]),
            housing_kind=HousingKind(data["housing_kind"]),
            **{name: int(data[name]) for name in HOUSEHOLD_AMOUNTS},
        )
    return TaxWithholdingChange(applicant=applicant, tax_withholding=_tax(data["tax_withholding"]))


def _evidence_data(evidence: SignatureEvidence) -> dict[str, Any]:
    return {
        "method": str(evidence.method),
        "signer_identifier": evidence.signer_identifier,
        "signed_at": evidence.signed_at.isoformat(),
        "signature": evidence.signature,
        "ocsp_response": evidence.ocsp_response,
        "sign_response": evidence.sign_response,
        "signer_certificate": evidence.signer_certificate,
    }


def submission_data(submission: CaseSubmission) -> dict[str, Any]:
    """A submission as the back office takes it (JSON-ready: bytes as base64, times as ISO 8601)."""
    data: dict[str, Any] = {"case_type": str(submission.case_type), "idempotency_key": submission.idempotency_key}
    if submission.document is not None:
        document = submission.document
        data["document"] = {
            "kind": document.kind,
            "version": document.version,
            "canonical_bytes": base64.b64encode(document.canonical_bytes).decode("ascii"),
            "sha256": document.sha256,
            "summary": document.summary,
        }
    if submission.evidence is not None:
        data["evidence"] = _evidence_data(submission.evidence)
    if submission.subject or submission.message:
        data |= {"subject": submission.subject, "message": submission.message}
    if submission.attachments:
        data["attachments"] = uploads_data(submission.attachments)
    if submission.power_of_attorney is not None:
        data["power_of_attorney"] = {
            "canonical_bytes": base64.b64encode(submission.power_of_attorney.canonical_bytes).decode("ascii"),
            "evidence": _evidence_data(submission.power_of_attorney.evidence),
        }
    return data


def uploads_data(uploads: tuple[Upload, ...]) -> list[dict[str, str]]:
    """Files as the back office takes them (content as base64)."""
    return [{"filename": u.filename, "content": base64.b64encode(u.content).decode("ascii")} for u in uploads]


def attachment_content(data: Data) -> AttachmentContent:
    """A downloaded file from data."""
    return AttachmentContent(
        attachment_id=uuid.UUID(data["attachment_id"]),
        filename=data["filename"],
        content_type=data["content_type"],
        size=int(data["size"]),
        sha256=data["sha256"],
        content=base64.b64decode(data["content"]),
    )


def _evidence(data: Data | None) -> SignatureEvidence | None:
    if data is None:
        return None
    return SignatureEvidence(
        method=SignatureMethod(data["method"]),
        signer_identifier=data["signer_identifier"],
        signed_at=_instant(data["signed_at"]),
        signature=data["signature"],
        ocsp_response=data["ocsp_response"],
        sign_response=data["sign_response"],
        signer_certificate=data["signer_certificate"],
    )


def _delegate_signature(data: Data | None) -> DelegateSignatureRecord | None:
    if data is None:
        return None
    return DelegateSignatureRecord(
        delegate=data["delegate"],
        delegate_name=data["delegate_name"],
        power_reference=uuid.UUID(data["power_reference"]),
        power_sha256=data["power_sha256"],
        scopes=tuple(data["scopes"]),
        valid_from=dt.date.fromisoformat(data["valid_from"]),
        valid_until=dt.date.fromisoformat(data["valid_until"]),
    )


def case_summary(data: Data) -> CaseSummary:
    """A case summary from data."""
    outcome, due = data.get("outcome"), data.get("completion_due")
    return CaseSummary(
        case_id=uuid.UUID(data["case_id"]),
        case_type=CaseType(data["case_type"]),
        status=CaseStatus(data["status"]),
        steps=tuple(CaseStatus(step) for step in data["steps"]),
        opened_at=_instant(data["opened_at"]),
        expected_decision_on=_date(data["expected_decision_on"]),
        subject=data["subject"],
        ended_at=_optional_instant(data.get("ended_at")),
        outcome=None if outcome is None else DecisionOutcome(outcome),
        completion_due=_optional_date(due),
    )


def case_detail(data: Data) -> CaseDetail:
    """One case with everything in it, from data."""
    summary = case_summary(data)
    return CaseDetail(
        summary=summary,
        history=tuple(
            CaseEvent(
                sequence=int(e["sequence"]),
                occurred_at=_instant(e["occurred_at"]),
                kind=CaseEventKind(e["kind"]),
                status=None if e["status"] is None else CaseStatus(e["status"]),
                actor_kind=e["actor_kind"],
                actor_ref=e["actor_ref"],
                text=e["text"],
                payload=dict(e["payload"]),
            )
            for e in data["history"]
        ),
        documents=tuple(
            CaseDocument(
                document_id=uuid.UUID(d["document_id"]),
                kind=d["kind"],
                version=int(d["version"]),
                canonical_bytes=base64.b64decode(d["canonical_bytes"]),
                sha256=d["sha256"],
                summary=d["summary"],
                received_at=_instant(d["received_at"]),
                evidence=_evidence(d["evidence"]),
                delegate_signature=_delegate_signature(d.get("delegate_signature")),
            )
            for d in data["documents"]
        ),
        messages=tuple(
            CaseMessage(
                message_id=uuid.UUID(m["message_id"]),
                direction=m["direction"],
                sent_at=_instant(m["sent_at"]),
                text=m["text"],
                attachments=tuple(
                    Attachment(
                        attachment_id=uuid.UUID(a["attachment_id"]),
                        filename=a["filename"],
                        content_type=a["content_type"],
                        size=int(a["size"]),
                        scan_verdict=a["scan_verdict"],
                    )
                    for a in m["attachments"]
                ),
            )
            for m in data["messages"]
        ),
        application=application(summary.case_type, data.get("application")),
    )


def handler_case(data: Data) -> HandlerCase:
    """A case as its handler sees it, from data."""
    person = data["person"]
    return HandlerCase(
        detail=case_detail(data),
        person=CasePerson(
            personal_number=PersonalNumber(person["personal_number"]),
            given_name=person["given_name"],
            family_name=person["family_name"],
            birth_date=_date(person["birth_date"]),
        ),
    )


def queue_item(data: Data) -> QueueItem:
    """An item of the handlers' queue from data."""
    return QueueItem(
        case_id=uuid.UUID(data["case_id"]),
        case_type=CaseType(data["case_type"]),
        status=CaseStatus(data["status"]),
        opened_at=_instant(data["opened_at"]),
        expected_decision_on=_date(data["expected_decision_on"]),
    )


def payment_account_change_receipt(data: Data) -> PaymentAccountChangeReceipt:
    """A receipt of a signed change of payment account from data."""
    effective = data.get("effective_payment")
    return PaymentAccountChangeReceipt(case=case_summary(data), effective_payment=_optional_date(effective))


def paper_form(data: Data) -> PaperForm:
    """A form of the catalogue from data."""
    return PaperForm(
        code=str(data["code"]),
        number=str(data["number"]),
        title_sv=str(data["title_sv"]),
        title_en=str(data["title_en"]),
    )


def form_order_receipt(data: Data) -> FormOrderReceipt:
    """What came of ordering a form, from data."""
    return FormOrderReceipt(form_code=str(data["form"]), ordered=bool(data["ordered"]))
