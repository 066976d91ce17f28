"""What a case handler does with a case, through ``registers`` in the handler's name (the back office keeps
the handler as the actor of each history entry and records the call); each is also recorded in the
citizen's access log."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import Action, Principal
from minasidor.casehandling.selectors import record
from minasidor.registers import registers
from minasidor.registers.types import CaseDecision, DecisionOutcome, HandlerCase

CASE_TAKEN_UP = Action("casehandling.case_taken_up", _("A case handler took up your case"))
CASE_ANSWERED = Action("casehandling.case_answered", _("A case handler wrote to you in your case"))
COMPLETION_ASKED = Action("casehandling.completion_asked", _("A case handler asked you for a completion"))
CASE_DECIDED = Action("casehandling.case_decided", _("A case handler decided your case"))
CASE_CLOSED = Action("casehandling.case_closed", _("A case handler closed your case"))


def case_take_up(*, principal: Principal, case_id: uuid.UUID) -> HandlerCase:
    """Take up a received case: it is being handled."""
    handled = registers().case_handling_start(principal, case_id)
    record(principal, handled, CASE_TAKEN_UP)
    return handled


def case_answer(*, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
    """A message from the authority in the case."""
    handled = registers().case_message_answer(principal, case_id, text)
    record(principal, handled, CASE_ANSWERED)
    return handled


def case_completion_ask(*, principal: Principal, case_id: uuid.UUID, text: str, due: dt.date) -> HandlerCase:
    """Ask the person for a completion by ``due``."""
    handled = registers().case_completion_request(principal, case_id, text, due)
    record(principal, handled, COMPLETION_ASKED)
    return handled


def case_decide(*, principal: Principal, case_id: uuid.UUID, outcome: str, text: str) -> HandlerCase:
    """Grant or reject an application (a grant of an old-age pension writes its decisions and payments)."""
    handled = registers().case_decide(principal, case_id, CaseDecision(DecisionOutcome(outcome), text))
    record(principal, handled, CASE_DECIDED)
    return handled


def case_close(*, principal: Principal, case_id: uuid.UUID, text: str) -> HandlerCase:
    """Close an open case without a decision (a question answered)."""
    handled = registers().case_close(principal, case_id, text)
    record(principal, handled, CASE_CLOSED)
    return handled
