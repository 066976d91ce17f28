"""The embedded implementation: calls the back office's services directly, in this process.

The back office still writes its own access record for each call (channel ``in_process``), in its own
database, just as it does when called over HTTP.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from backoffice.casework import selectors as case_selectors
from backoffice.casework import services as case_services
from backoffice.notices import services as notice_services
from backoffice.paper_forms import catalogue as form_catalogue
from backoffice.paper_forms import services as form_services
from backoffice.personal_codes import services as code_services
from backoffice.register import selectors, services
from backoffice.register.access import Caller
from kernel.personal_number import PersonalNumber
from minasidor.audit.types import Principal
from minasidor.core import request_id
from minasidor.registers import codec
from minasidor.registers.types import (
    SERVICE_NAME,
    AttachmentContent,
    CaseDecision,
    CaseDetail,
    CaseNotFoundError,
    CaseStateError,
    CaseSubmission,
    CaseSummary,
    CaseType,
    ContactDetails,
    ContactDetailsChange,
    CustomerRecords,
    EmailConfirmationOutcome,
    FormOrderChannel,
    FormOrderReceipt,
    HandlerCase,
    InvalidChangeError,
    NotPermittedError,
    PaperForm,
    PaymentAccount,
    PaymentAccountChange,
    PaymentAccountChangeReceipt,
    PersonalCodeCheck,
    PersonNotFoundError,
    PersonSnapshot,
    QueueItem,
    TaxSettings,
    TaxSettingsChange,
    Upload,
)


class InProcessRegisters:
    """:class:`~minasidor.registers.types.Registers` on top of the back office's services."""

    @staticmethod
    def _caller(principal: Principal) -> Caller:
        return Caller(
            service=SERVICE_NAME,
            channel="in_process",
            principal_kind=str(principal.kind),
            principal_ref=principal.ref,
            request_id=request_id.current(),
        )

    def _run(self, function: Callable[..., Any], principal: Principal, **kw: Any) -> Any:
        try:
            return function(caller=self._caller(principal), **kw)
        except services.PersonNotFoundError as error:
            raise PersonNotFoundError(str(error)) from None
        except services.InvalidChangeError as error:
            raise InvalidChangeError(error.errors) from None
        except case_selectors.CaseNotFoundError as error:
            raise CaseNotFoundError(str(error)) from None
        except case_services.CaseStateError as error:
            raise CaseStateError(str(error)) from None
        except case_selectors.CaseworkPermissionError as error:
            raise NotPermittedError(str(error)) from None

    def _call(
        self, function: Callable[..., Any], principal: Principal, personal_number: PersonalNumber, **kw: Any
    ) -> Any:
        return self._run(function, principal, personal_number=personal_number.value, **kw)

    def person_snapshot(self, principal: Principal, personal_number: PersonalNumber) -> PersonSnapshot:
        return codec.person_snapshot(self._call(selectors.person_snapshot, principal, personal_number))

    def customer_records(self, principal: Principal, personal_number: PersonalNumber) -> CustomerRecords:
        return codec.customer_records(self._call(selectors.customer_records, principal, personal_number))

    def contact_details_update(
        self, principal: Principal, personal_number: PersonalNumber, change: ContactDetailsChange
    ) -> ContactDetails:
        change_data = codec.change_data(change)
        data = self._call(notice_services.contact_details_change, principal, personal_number, change=change_data)
        return codec.contact_details(data)

    def email_confirmation_send(self, principal: Principal, personal_number: PersonalNumber) -> None:
        self._call(notice_services.email_confirmation_issue, principal, personal_number)

    def email_confirm(
        self, principal: Principal, personal_number: PersonalNumber, token: str
    ) -> EmailConfirmationOutcome:
        outcome = self._call(notice_services.email_confirm, principal, personal_number, token=token)
        return EmailConfirmationOutcome(str(outcome))

    def payment_account_update(
        self, principal: Principal, personal_number: PersonalNumber, change: PaymentAccountChange
    ) -> PaymentAccount:
        data = self._call(services.payment_account_update, principal, personal_number, change=codec.change_data(change))
        return codec.payment_account(data)

    def tax_settings_update(
        self, principal: Principal, personal_number: PersonalNumber, change: TaxSettingsChange
    ) -> TaxSettings:
        change_data = codec.change_data(change)
        data = self._call(notice_services.tax_settings_change, principal, personal_number, change=change_data)
        return codec.tax_settings(data)

    # --- Notices the portal asks for -----------------------------------------------------------------------

    def login_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        return int(self._call(notice_services.login_notice_enqueue, principal, personal_number, key=key))

    def delegate_session_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        return int(self._call(notice_services.delegate_session_notice_enqueue, principal, personal_number, key=key))

    # --- The personal code ---------------------------------------------------------------------------------

    def personal_code_order(self, principal: Principal, personal_number: PersonalNumber) -> bool:
        return bool(self._call(code_services.personal_code_order, principal, personal_number))

    def personal_code_check(
        self, principal: Principal, personal_number: PersonalNumber, code: str
    ) -> PersonalCodeCheck:
        outcome = self._call(code_services.personal_code_check, principal, personal_number, code=code)
        return PersonalCodeCheck(str(outcome))

    # --- Paper forms ordered by post ---------------------------------------------------------------------

    def form_catalogue(self, principal: Principal) -> tuple[PaperForm, ...]:
        self._caller(principal)  # the principal must be a proper one, as over HTTP
        return tuple(codec.paper_form(row) for row in form_catalogue.form_catalogue())

    def form_order(
        self, principal: Principal, personal_number: PersonalNumber, form_code: str, channel: FormOrderChannel
    ) -> FormOrderReceipt:
        data = self._call(
            form_services.form_order, principal, personal_number, form_code=form_code, channel=str(channel)
        )
        return codec.form_order_receipt(data)

    # --- Cases -----------------------------------------------------------------------------------------

    def case_submit(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> CaseSummary:
        data = self._call(
            case_services.case_open, principal, personal_number, submission=codec.submission_data(submission)
        )
        return codec.case_summary(data)

    def payment_account_change(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> PaymentAccountChangeReceipt:
        data = self._call(
            case_services.payment_account_change_apply,
            principal,
            personal_number,
            submission=codec.submission_data(submission),
        )
        return codec.payment_account_change_receipt(data)

    def cases(self, principal: Principal, personal_number: PersonalNumber) -> tuple[CaseSummary, ...]:
        data = self._call(case_selectors.cases_of_person, principal, personal_number)
        return tuple(codec.case_summary(row) for row in data)

    def case(self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID) -> CaseDetail:
        data = self._call(case_selectors.case_of_person, principal, personal_number, case_id=str(case_id))
        return codec.case_detail(data)

    def case_withdraw(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, reason: str = ""
    ) -> CaseDetail:
        data = self._call(
            case_services.case_withdraw, principal, personal_number, case_id=str(case_id), change={"text": reason}
        )
        return codec.case_detail(data)

    @staticmethod
    def _message(text: str, attachments: tuple[Upload, ...]) -> dict[str, Any]:
        change: dict[str, Any] = {"text": text}
        if attachments:
            change["attachments"] = codec.uploads_data(attachments)
        return change

    def case_message_send(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        change = self._message(text, attachments)
        data = self._call(
            case_services.case_message_send, principal, personal_number, case_id=str(case_id), change=change
        )
        return codec.case_detail(data)

    def case_call_note(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, text: str
    ) -> CaseDetail:
        data = self._call(
            case_services.case_call_note, principal, personal_number, case_id=str(case_id), change={"text": text}
        )
        return codec.case_detail(data)

    def case_completion_answer(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        change = self._message(text, attachments)
        data = self._call(
            case_services.case_completion_answer, principal, personal_number, case_id=str(case_id), change=change
        )
        return codec.case_detail(data)

    def case_attachment(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        data = self._call(
            case_selectors.attachment_of_person,
            principal,
            personal_number,
            case_id=str(case_id),
            attachment_id=str(attachment_id),
        )
        return codec.attachment_content(data)

    def case_attachment_for_handler(
        self, principal: Principal, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        data = self._run(
            case_selectors.attachment_for_handler, principal, case_id=str(case_id), attachment_id=str(attachment_id)
        )
        return codec.attachment_content(data)

    def case_queue(self, principal: Principal, case_type: CaseType | None = None) -> tuple[QueueItem, ...]:
        data = self._run(case_selectors.case_queue, principal, case_type=None if case_type is None else str(case_type))
        return tuple(codec.queue_item(row) for row in data)

    def case_for_handler(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        return codec.handler_case(self._run(case_selectors.case_for_handler, principal, case_id=str(case_id)))

    def case_handling_start(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        return codec.handler_case(self._run(case_services.case_handling_start, principal, case_id=str(case_id)))

    def case_completion_request(self, principal: Principal, case_id: uuid.UUID, text: str, due: dt.date) -> HandlerCase:
        change = {"text": text, "due": due.isoformat()}
        data = self._run(case_services.case_completion_request, principal, case_id=str(case_id), change=change)
        return codec.handler_case(data)

    def case_message_answer(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        data = self._run(case_services.case_message_answer, principal, case_id=str(case_id), change={"text": text})
        return codec.handler_case(data)

    def case_decide(self, principal: Principal, case_id: uuid.UUID, decision: CaseDecision) -> HandlerCase:
        change = {"outcome": str(decision.outcome), "text": decision.text}
        data = self._run(case_services.application_decide, principal, case_id=str(case_id), change=change)
        return codec.handler_case(data)

    def case_close(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        data = self._run(case_services.case_close, principal, case_id=str(case_id), change={"text": text})
        return codec.handler_case(data)
