"""The HTTP implementation: the back office's internal API, with timeouts, read retries and a circuit breaker.

- Every request carries a fresh service token (Ed25519, 60 seconds, bound to method, path and subject;
  decision 0035) naming the principal, the request id, and the trace context when tracing is on.
- Timeouts on connect and read (``MINASIDOR_REGISTERS_TIMEOUT_SECONDS``).
- Retries only for what is safe to repeat — the reads (GET) and the case submission, which is idempotent
  by its key: up to two more attempts, on connection errors, timeouts and 502/503/504, with a short
  growing pause. Other writes are never retried: a change whose answer was lost is reported as
  unavailable, and the person sees it did not go through.
- A case handler's calls name a case, not a person: no subject header, and a token for the empty subject.
- A circuit breaker (pybreaker) opens after five failures in a row and lets one trial call through after
  thirty seconds, so a down back office costs a login a fast error instead of a timeout each.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import pybreaker
import structlog
from django.conf import settings

from kernel import clock, tracing
from kernel.personal_number import PersonalNumber
from kernel.service_tokens import private_key, token_sign
from minasidor.audit.types import Principal
from minasidor.core import metrics, request_id
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
    RegistersError,
    RegistersUnavailableError,
    TaxSettings,
    TaxSettingsChange,
    Upload,
)

logger = structlog.get_logger(__name__)

READ_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.1
RETRYABLE_STATUS = frozenset({502, 503, 504})
BREAKER_FAIL_MAX = 5
BREAKER_RESET_SECONDS = 30


class _ServerFailureError(Exception):
    """The back office failed (5xx, timeout, connection): counts against the circuit breaker."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


class HttpRegisters:
    """:class:`~minasidor.registers.types.Registers` over the back office's internal API."""

    def __init__(
        self,
        *,
        base_url: str,
        signing_key: str,
        timeout_seconds: float,
        transport: httpx.BaseTransport | None = None,
        breaker: pybreaker.CircuitBreaker | None = None,
        retry_pause_seconds: float = RETRY_PAUSE_SECONDS,
    ) -> None:
        self._client = httpx.Client(
            base_url=base_url, timeout=httpx.Timeout(timeout_seconds), transport=transport, follow_redirects=False
        )
        self._base_path = httpx.URL(base_url).path.rstrip("/")
        self._signing_key = private_key(signing_key)
        self._retry_pause = retry_pause_seconds
        self.breaker = breaker or metrics.breaker_watch(
            "registers",
            pybreaker.CircuitBreaker(fail_max=BREAKER_FAIL_MAX, reset_timeout=BREAKER_RESET_SECONDS, name="registers"),
        )

    @classmethod
    def from_settings(cls) -> HttpRegisters:
        """The implementation configured by the ``MINASIDOR_REGISTERS_*`` settings."""
        return cls(
            base_url=settings.REGISTERS_URL,
            signing_key=settings.REGISTERS_SIGNING_KEY,
            timeout_seconds=settings.REGISTERS_TIMEOUT_SECONDS,
        )

    def _headers(
        self, principal: Principal, personal_number: PersonalNumber | None, method: str, path: str
    ) -> dict[str, str]:
        token = token_sign(
            self._signing_key,
            service=SERVICE_NAME,
            principal_kind=str(principal.kind),
            principal_ref=principal.ref,
            method=method,
            path=f"{self._base_path}/{path}",
            personal_number="" if personal_number is None else personal_number.value,
            now=clock.now().timestamp(),
        )
        headers = {
            "Authorization": f"Bearer {token}",
            "X-Request-ID": request_id.current(),
            "Accept": "application/json",
        }
        if personal_number is not None:
            headers["X-Personal-Number"] = personal_number.value
        tracing.inject(headers)  # the trace goes on in the back office (nothing when tracing is off)
        return headers

    def _send(
        self,
        method: str,
        path: str,
        *,
        principal: Principal,
        personal_number: PersonalNumber | None,
        body: Mapping[str, Any] | None,
        params: Mapping[str, str] | None,
    ) -> httpx.Response:
        headers = self._headers(principal, personal_number, method, path)
        try:
            response = self._client.request(method, path, headers=headers, json=body, params=params)
        except httpx.TransportError as error:
            raise _ServerFailureError(type(error).__name__, retryable=True) from error
        if response.status_code >= 500:
            status = response.status_code
            raise _ServerFailureError(f"status {status}", retryable=status in RETRYABLE_STATUS)
        if response.status_code == 401:
            # Our own service token refused: the two machines' clocks apart (the token lives 60 s) or keys that
            # do not match. Nothing was done; for the citizen the back office cannot be reached (decision 0253).
            logger.error(
                "registers.token_refused",
                path=path,
                portal_clock=clock.now().isoformat(),
                hint="check that this host's and the back office's clocks agree (NTP) and the trusted keys",
            )
            raise _ServerFailureError("status 401: the back office refused our service token", retryable=False)
        return response

    def _call(
        self,
        method: str,
        path: str,
        principal: Principal,
        personal_number: PersonalNumber | None,
        body: Mapping[str, Any] | None = None,
        *,
        idempotent: bool = False,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        attempts = READ_ATTEMPTS if method == "GET" or idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                response = self.breaker.call(
                    self._send,
                    method,
                    path,
                    principal=principal,
                    personal_number=personal_number,
                    body=body,
                    params=params,
                )
            except pybreaker.CircuitBreakerError as error:
                raise RegistersUnavailableError("the back office is unavailable (circuit open)") from error
            except _ServerFailureError as error:
                if attempt < attempts and error.retryable:
                    time.sleep(self._retry_pause * attempt)
                    continue
                raise RegistersUnavailableError(f"the back office did not answer: {error}") from error
            return self._answer(response)
        raise RegistersUnavailableError("the back office did not answer")  # pragma: no cover - loop returns or raises

    @staticmethod
    def _answer(response: httpx.Response) -> Any:
        try:
            data = response.json()
        except ValueError:
            raise RegistersError(f"the back office answered {response.status_code} without JSON") from None
        if response.status_code == 200:
            return data
        if response.status_code == 404 and data.get("error") == "case_not_found":
            raise CaseNotFoundError(data.get("message", "no such case"))
        if response.status_code == 404:
            raise PersonNotFoundError(data.get("message", "not found"))
        if response.status_code == 422:
            raise InvalidChangeError(dict(data.get("errors", {})))
        if response.status_code == 409:
            raise CaseStateError(data.get("message", "the case does not allow this"))
        if response.status_code == 403:
            raise NotPermittedError(data.get("message", "not permitted"))
        raise RegistersError(f"the back office refused the call: {response.status_code} {data.get('error')}")

    def person_snapshot(self, principal: Principal, personal_number: PersonalNumber) -> PersonSnapshot:
        return codec.person_snapshot(self._call("GET", "person/snapshot", principal, personal_number))

    def customer_records(self, principal: Principal, personal_number: PersonalNumber) -> CustomerRecords:
        return codec.customer_records(self._call("GET", "person/customer-records", principal, personal_number))

    def contact_details_update(
        self, principal: Principal, personal_number: PersonalNumber, change: ContactDetailsChange
    ) -> ContactDetails:
        data = self._call("PUT", "person/contact-details", principal, personal_number, codec.change_data(change))
        return codec.contact_details(data)

    def email_confirmation_send(self, principal: Principal, personal_number: PersonalNumber) -> None:
        self._call("POST", "person/email-confirmation-links", principal, personal_number, {})

    def email_confirm(
        self, principal: Principal, personal_number: PersonalNumber, token: str
    ) -> EmailConfirmationOutcome:
        data = self._call("POST", "person/email-confirmations", principal, personal_number, {"token": token})
        return EmailConfirmationOutcome(data["outcome"])

    def payment_account_update(
        self, principal: Principal, personal_number: PersonalNumber, change: PaymentAccountChange
    ) -> PaymentAccount:
        data = self._call("PUT", "person/payment-account", principal, personal_number, codec.change_data(change))
        return codec.payment_account(data)

    def tax_settings_update(
        self, principal: Principal, personal_number: PersonalNumber, change: TaxSettingsChange
    ) -> TaxSettings:
        data = self._call("PUT", "person/tax-settings", principal, personal_number, codec.change_data(change))
        return codec.tax_settings(data)

    # --- Notices the portal asks for -----------------------------------------------------------------------

    def login_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        # Safe to retry: the same key gives the same notices.
        data = self._call("POST", "person/login-notices", principal, personal_number, {"key": key}, idempotent=True)
        return int(data["notices"])

    def delegate_session_notice_send(self, principal: Principal, personal_number: PersonalNumber, key: str) -> int:
        # Safe to retry: the same key gives the same notices.
        path = "person/delegate-session-notices"
        data = self._call("POST", path, principal, personal_number, {"key": key}, idempotent=True)
        return int(data["notices"])

    # --- The personal code ---------------------------------------------------------------------------------

    def personal_code_order(self, principal: Principal, personal_number: PersonalNumber) -> bool:
        # Safe to retry: while an ordered code is on its way, ordering again issues none.
        data = self._call("POST", "person/personal-code/orders", principal, personal_number, {}, idempotent=True)
        return bool(data["ordered"])

    def personal_code_check(
        self, principal: Principal, personal_number: PersonalNumber, code: str
    ) -> PersonalCodeCheck:
        data = self._call("POST", "person/personal-code/checks", principal, personal_number, {"code": code})
        return PersonalCodeCheck(data["outcome"])

    # --- Paper forms ordered by post ---------------------------------------------------------------------

    def form_catalogue(self, principal: Principal) -> tuple[PaperForm, ...]:
        return tuple(codec.paper_form(row) for row in self._call("GET", "forms", principal, None))

    def form_order(
        self, principal: Principal, personal_number: PersonalNumber, form_code: str, channel: FormOrderChannel
    ) -> FormOrderReceipt:
        # Safe to retry: while the form waits for print, ordering it again adds nothing.
        body = {"form": form_code, "channel": str(channel)}
        data = self._call("POST", "person/form-orders", principal, personal_number, body, idempotent=True)
        return codec.form_order_receipt(data)

    # --- Cases -----------------------------------------------------------------------------------------

    def case_submit(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> CaseSummary:
        body = codec.submission_data(submission)
        data = self._call("POST", "person/cases", principal, personal_number, body, idempotent=True)
        return codec.case_summary(data)

    def payment_account_change(
        self, principal: Principal, personal_number: PersonalNumber, submission: CaseSubmission
    ) -> PaymentAccountChangeReceipt:
        body = codec.submission_data(submission)
        data = self._call("POST", "person/payment-account-changes", principal, personal_number, body, idempotent=True)
        return codec.payment_account_change_receipt(data)

    def cases(self, principal: Principal, personal_number: PersonalNumber) -> tuple[CaseSummary, ...]:
        data = self._call("GET", "person/cases", principal, personal_number)
        return tuple(codec.case_summary(row) for row in data)

    def case(self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID) -> CaseDetail:
        return codec.case_detail(self._call("GET", f"person/cases/{case_id}", principal, personal_number))

    def _person_case_post(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        what: str,
        text: str,
        *,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        body: dict[str, Any] = {"text": text}
        if attachments:
            body["attachments"] = codec.uploads_data(attachments)
        data = self._call("POST", f"person/cases/{case_id}/{what}", principal, personal_number, body)
        return codec.case_detail(data)

    def case_withdraw(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, reason: str = ""
    ) -> CaseDetail:
        return self._person_case_post(principal, personal_number, case_id, "withdrawal", reason)

    def case_message_send(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        return self._person_case_post(principal, personal_number, case_id, "messages", text, attachments=attachments)

    def case_call_note(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, text: str
    ) -> CaseDetail:
        return self._person_case_post(principal, personal_number, case_id, "call-notes", text)

    def case_completion_answer(
        self,
        principal: Principal,
        personal_number: PersonalNumber,
        case_id: uuid.UUID,
        text: str,
        attachments: tuple[Upload, ...] = (),
    ) -> CaseDetail:
        return self._person_case_post(
            principal, personal_number, case_id, "completion-answers", text, attachments=attachments
        )

    def case_attachment(
        self, principal: Principal, personal_number: PersonalNumber, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        data = self._call("GET", f"person/cases/{case_id}/attachments/{attachment_id}", principal, personal_number)
        return codec.attachment_content(data)

    def case_attachment_for_handler(
        self, principal: Principal, case_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> AttachmentContent:
        data = self._call("GET", f"casework/cases/{case_id}/attachments/{attachment_id}", principal, None)
        return codec.attachment_content(data)

    def case_queue(self, principal: Principal, case_type: CaseType | None = None) -> tuple[QueueItem, ...]:
        params = None if case_type is None else {"case_type": str(case_type)}
        data = self._call("GET", "casework/queue", principal, None, params=params)
        return tuple(codec.queue_item(row) for row in data)

    def case_for_handler(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        return codec.handler_case(self._call("GET", f"casework/cases/{case_id}", principal, None))

    def _handler_post(
        self, principal: Principal, case_id: uuid.UUID, what: str, body: Mapping[str, Any] | None
    ) -> HandlerCase:
        return codec.handler_case(self._call("POST", f"casework/cases/{case_id}/{what}", principal, None, body))

    def case_handling_start(self, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
        return self._handler_post(principal, case_id, "handling", None)

    def case_completion_request(self, principal: Principal, case_id: uuid.UUID, text: str, due: dt.date) -> HandlerCase:
        return self._handler_post(principal, case_id, "completion-requests", {"text": text, "due": due.isoformat()})

    def case_message_answer(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        return self._handler_post(principal, case_id, "messages", {"text": text})

    def case_decide(self, principal: Principal, case_id: uuid.UUID, decision: CaseDecision) -> HandlerCase:
        body = {"outcome": str(decision.outcome), "text": decision.text}
        return self._handler_post(principal, case_id, "decision", body)

    def case_close(self, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
        return self._handler_post(principal, case_id, "closure", {"text": text})
