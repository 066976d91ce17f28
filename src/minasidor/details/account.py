"""The change of payment account (issue 18.3, decision 0161): the new account kept in the session until signed, the
document the citizen signs, and applying the signed change through the registers with its access record."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import codec, registers
from minasidor.registers.types import (
    CaseSubmission,
    CaseType,
    PaymentAccountChangeApplication,
    PaymentAccountChangeReceipt,
    SignedDocument,
    SwedishAccount,
)
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing_step.flow import Signature

ACCOUNT_CHANGED = Action("details.account_changed", gettext_lazy("Changed your payment account, signed"))
NEW_ACCOUNT_KEY = "details_new_account"
RECEIPT_KEY = "details_account_receipt"


def new_account_keep(session: SessionBase, account: dict[str, Any]) -> None:
    """Keep the account the citizen gave until it is signed."""
    session[NEW_ACCOUNT_KEY] = {k: account[k] for k in ("bank_name", "clearing_number", "account_number")}


def new_account(session: SessionBase) -> SwedishAccount | None:
    """The account the citizen gave, waiting to be signed."""
    data = session.get(NEW_ACCOUNT_KEY)
    return None if not data else SwedishAccount(data["bank_name"], data["clearing_number"], data["account_number"])


def account_document(identity: Identity, account: SwedishAccount) -> SignableDocument:
    """What the citizen signs: the change in the register's canonical form, and the summary BankID shows."""
    if identity.personal_number is None:
        raise ValueError("a payment account needs a Swedish personal or coordination number")
    application = PaymentAccountChangeApplication(applicant=identity.personal_number, payment_account=account)
    summary = "\n".join(
        [
            f"# {_('Change of payment account')}",
            "",
            _("New account: %(bank)s, clearing number %(clearing)s, account number %(account)s")
            % {"bank": account.bank_name, "clearing": account.clearing_number, "account": account.account_number},
            "",
            _("I want my pension paid into the account above from the next payment not yet sent."),
        ]
    )
    return signable_document(
        kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE,
        version=1,
        content=codec.application_content(application),
        summary=summary,
    )


def account_change_apply(*, identity: Identity, signature: Signature) -> PaymentAccountChangeReceipt:
    """Apply the signed change: the back office opens and decides its case, tells every contact point and registers
    the account; safe to repeat (the key is the document's hash)."""
    if identity.personal_number is None:
        raise ValueError("a payment account needs a Swedish personal or coordination number")
    document = signature.document
    submission = CaseSubmission(
        case_type=CaseType.PAYMENT_ACCOUNT_CHANGE,
        idempotency_key=f"account:{document.hash_hex}",
        document=SignedDocument(
            document.kind, document.version, document.canonical, document.hash_hex, document.summary
        ),
        evidence=signature.evidence,
    )
    with transaction.atomic():
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=ACCOUNT_CHANGED,
            purpose=Purpose.SELF_SERVICE,
        )
        return registers().payment_account_change(identity.principal, identity.personal_number, submission)
