"""What the telephone service does: identify a caller by personal number and personal code, then answer one
question at a time, saying no more than the question needs and never the personal number or the address.

Each check of a code and each answer writes the citizen's access record ("who has seen my data").
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, PrincipalKind, Purpose
from minasidor.registers import registers
from minasidor.registers.types import (
    CaseType,
    FormOrderChannel,
    PaperForm,
    PaperFormCode,
    PersonalCodeCheck,
    PersonSnapshot,
)
from minasidor.talsvar.calls import MAX_IDENTIFY_ATTEMPTS, Call, call_save
from minasidor.ui.formatting import whole_kronor

PLATFORM = Principal(PrincipalKind.SYSTEM, "talsvar")  # before identification: the service itself

CODE_ACCEPTED = Action(
    "talsvar.code_accepted", gettext_lazy("You identified yourself by phone with your personal code")
)
CODE_WRONG = Action("talsvar.code_wrong", gettext_lazy("Someone tried your personal code by phone: the code was wrong"))
CODE_LOCKED = Action(
    "talsvar.code_locked", gettext_lazy("Someone tried your personal code by phone: the code is locked")
)
HEARD_NEXT_PAYMENT = Action("talsvar.next_payment", gettext_lazy("Heard your next payment by phone"))
HEARD_LATEST_PAYMENT = Action("talsvar.latest_payment", gettext_lazy("Heard your latest payment by phone"))
HEARD_STATEMENT = Action("talsvar.statement_total", gettext_lazy("Heard your latest statement's total by phone"))
HEARD_APPLICATION = Action("talsvar.application_status", gettext_lazy("Heard your application's status by phone"))
ORDERED_CODE = Action("talsvar.code_ordered", gettext_lazy("Ordered a new personal code by phone"))
# One action per form the portal knows, so the access log names the form; a form added to the catalogue before
# the portal knows it is recorded as "a form" (decision 0201).
ORDERED_A_FORM = Action("talsvar.form_ordered", gettext_lazy("Ordered a paper form by phone"))
ORDERED_FORM: dict[str, Action] = {
    code: Action(
        f"talsvar.form_ordered.{code}", format_lazy(gettext_lazy("Ordered the form “{form}” by phone"), form=label)
    )
    for code, label in PaperFormCode.choices
}


class Identification(enum.StrEnum):
    """What keying a number and a code led to."""

    ACCEPTED = "accepted"
    WRONG = "wrong"  # try again
    LOCKED = "locked"  # the code is locked: order a new one
    ENDED = "ended"  # too many tries in this call


def _record(call: Call, action: Action, principal: Principal | None = None) -> None:
    access_record_create(
        principal=principal or citizen_principal(f"se:{call.personal_number}"),
        subject_key=f"se:{call.personal_number}",
        action=action,
        purpose=Purpose.TELEPHONE_SERVICE,
    )


def caller_identify(call: Call, *, personal_number: str, code: str) -> Identification:
    """Check the keyed number and code; the call is identified only by a right code that is not locked."""
    call.attempts += 1
    try:
        number = PersonalNumber(personal_number.strip())
    except PersonalNumberError:
        outcome = PersonalCodeCheck.WRONG
    else:
        outcome = registers().personal_code_check(PLATFORM, number, code.strip()[:32])
        action = {PersonalCodeCheck.ACCEPTED: CODE_ACCEPTED, PersonalCodeCheck.LOCKED: CODE_LOCKED}.get(
            outcome, CODE_WRONG
        )
        subject = Call(call_id=call.call_id, personal_number=number.value)
        principal = citizen_principal(f"se:{number.value}") if outcome == PersonalCodeCheck.ACCEPTED else PLATFORM
        with transaction.atomic():
            _record(subject, action, principal)
        if outcome == PersonalCodeCheck.ACCEPTED:
            call.personal_number = number.value
    call_save(call)
    if outcome == PersonalCodeCheck.ACCEPTED:
        return Identification.ACCEPTED
    if outcome == PersonalCodeCheck.LOCKED:
        return Identification.LOCKED
    return Identification.ENDED if call.attempts >= MAX_IDENTIFY_ATTEMPTS else Identification.WRONG


def _kronor(amount: Decimal | int) -> str:
    return _("%(amount)s kronor") % {"amount": whole_kronor(amount)}


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def _snapshot(call: Call) -> PersonSnapshot:
    return registers().person_snapshot(
        citizen_principal(f"se:{call.personal_number}"), PersonalNumber(call.personal_number)
    )


def next_payment(call: Call) -> str:
    """The next payment's date and amount after tax."""
    _record(call, HEARD_NEXT_PAYMENT)
    upcoming = sorted((p for p in _snapshot(call).payments if not p.paid), key=lambda p: p.payment_date)
    if not upcoming:
        return _("You have no payment planned from us.")
    payment = upcoming[0]
    return _("Your next payment is %(amount)s after tax, on %(day)s.") % {
        "amount": _kronor(payment.net),
        "day": _day(payment.payment_date),
    }


def latest_payment(call: Call) -> str:
    """The latest payment's date and amount after tax."""
    _record(call, HEARD_LATEST_PAYMENT)
    paid = sorted((p for p in _snapshot(call).payments if p.paid), key=lambda p: p.payment_date)
    if not paid:
        return _("We have not paid you any pension yet.")
    payment = paid[-1]
    return _("Your latest payment was %(amount)s after tax, on %(day)s.") % {
        "amount": _kronor(payment.net),
        "day": _day(payment.payment_date),
    }


def statement_total(call: Call) -> str:
    """The latest statement's total: both accounts' closing values together."""
    _record(call, HEARD_STATEMENT)
    statement = _snapshot(call).latest_statement
    if statement is None:
        return _("You have no pension statement from us.")
    return _("Your pension statement for %(year)s shows %(amount)s in total in your public pension accounts.") % {
        "year": statement.year,
        # As the overview shows it: each account in whole kronor, then their sum (decision 0084).
        "amount": _kronor(sum(whole_kronor(account.closing_value) for account in statement.accounts)),
    }


def application_status(call: Call) -> str:
    """Whether an application has been received, and its status (the newest application only)."""
    _record(call, HEARD_APPLICATION)
    principal = citizen_principal(f"se:{call.personal_number}")
    cases = registers().cases(principal, PersonalNumber(call.personal_number))
    applications = [case for case in cases if case.case_type != CaseType.GENERAL_QUESTION]
    if not applications:
        return _("We have not received an application from you.")
    newest = max(applications, key=lambda case: case.opened_at)
    return _("We received your application on %(day)s. Its status is: %(status)s.") % {
        "day": _day(timezone.localtime(newest.opened_at).date()),
        "status": newest.status.label,
    }


def code_order(call: Call) -> str:
    """Order a new personal code by post for the identified caller."""
    principal = citizen_principal(f"se:{call.personal_number}")
    with transaction.atomic():
        _record(call, ORDERED_CODE)
        ordered = registers().personal_code_order(principal, PersonalNumber(call.personal_number))
    if not ordered:
        return _("You have already ordered a new code. It comes by post.")
    return _("A new personal code comes by post within about a week. The code you used today no longer works.")


def form_catalogue(call: Call) -> tuple[PaperForm, ...]:
    """The paper forms the caller can order, in the order they are offered (the catalogue is about no one)."""
    return registers().form_catalogue(citizen_principal(f"se:{call.personal_number}"))


def form_order(call: Call, form: PaperForm) -> str:
    """Order ``form`` by post to the identified caller's registered address; the answer never says the address."""
    principal = citizen_principal(f"se:{call.personal_number}")
    with transaction.atomic():
        _record(call, ORDERED_FORM.get(form.code, ORDERED_A_FORM))
        receipt = registers().form_order(
            principal, PersonalNumber(call.personal_number), form.code, FormOrderChannel.PHONE
        )
    title = form.title(call.language)
    if not receipt.ordered:
        return _("You have already ordered the form %(form)s. It comes by post within a few days.") % {"form": title}
    return _("The form %(form)s will be sent to your registered address within a few days.") % {"form": title}


QUESTIONS: dict[str, Callable[[Call], str]] = {
    "next-payment": next_payment,
    "latest-payment": latest_payment,
    "statement-total": statement_total,
    "application-status": application_status,
    "new-code": code_order,
}
