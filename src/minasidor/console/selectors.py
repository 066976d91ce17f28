"""What an agent reads of a citizen through a live permission: each read names the agent as its principal and
writes its access record (purpose: customer service), so the citizen sees it in "who has seen my data".

The data comes from the registers and the engine as the citizen's pages get it (the same snapshot, the same
rounding to whole kronor, the forecast of the citizen's default choice); nothing is kept after the request.
"""

from __future__ import annotations

import dataclasses
import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.pension_data.forecast import ForecastUnavailableError, age_window, default_choice, forecast_compute
from minasidor.pension_data.types import PensionForecast
from minasidor.registers import registers
from minasidor.registers.types import (
    CaseDetail,
    CaseNotFoundError,
    CaseSummary,
    Payment,
    PersonSnapshot,
    RegistersError,
)
from minasidor.temporary_access.selectors import HeldPermission
from minasidor.temporary_access.types import Agent
from minasidor.ui.formatting import whole_kronor

OVERVIEW_VIEWED = Action(
    "console.overview_viewed", _("Customer service looked at your pension overview and statements")
)
FORECAST_VIEWED = Action("console.forecast_viewed", _("Customer service looked at your pension forecast"))
CASES_VIEWED = Action("console.cases_viewed", _("Customer service looked at your cases"))
CASE_VIEWED = Action("console.case_viewed", _("Customer service looked at one of your cases and its messages"))


@dataclasses.dataclass(frozen=True, slots=True)
class EarnedAccount:
    account: str
    year: int
    closing_value: int


@dataclasses.dataclass(frozen=True, slots=True)
class Overview:
    """The overview as the agent sees it: earned pension per account and together, funds, payments."""

    name: str
    statement_year: int | None
    accounts: tuple[EarnedAccount, ...]
    funds_value: int | None
    latest_payment: Payment | None
    next_payment: Payment | None
    drawing_pension: bool

    @property
    def total(self) -> int:
        return sum(account.closing_value for account in self.accounts)


def _record(agent: Agent, held: HeldPermission, action: Action) -> None:
    with transaction.atomic(using="default"):
        access_record_create(
            principal=agent.principal, subject_key=held.subject_key, action=action, purpose=Purpose.CUSTOMER_SERVICE
        )


def _snapshot(agent: Agent, held: HeldPermission) -> PersonSnapshot | None:
    try:
        return registers().person_snapshot(agent.principal, held.personal_number)
    except RegistersError:
        return None


def overview_read(*, agent: Agent, held: HeldPermission) -> Overview | None:
    """The citizen's overview and latest statement; None when the register cannot answer."""
    snapshot = _snapshot(agent, held)
    if snapshot is None:
        return None
    _record(agent, held, OVERVIEW_VIEWED)
    statement = snapshot.latest_statement
    accounts = tuple(
        EarnedAccount(account.account, account.year, whole_kronor(account.closing_value))
        for account in (statement.accounts if statement is not None else ())
    )
    paid = [payment for payment in snapshot.payments if payment.paid]
    upcoming = [payment for payment in snapshot.payments if not payment.paid]
    person = snapshot.person
    return Overview(
        name=f"{person.given_name} {person.family_name}".strip(),
        statement_year=statement.year if statement is not None else None,
        accounts=accounts,
        funds_value=whole_kronor(sum(h.value for h in snapshot.fund_holdings)) if snapshot.fund_holdings else None,
        latest_payment=paid[-1] if paid else None,
        next_payment=upcoming[0] if upcoming else None,
        drawing_pension=person.drawing_pension,
    )


def forecast_read(*, agent: Agent, held: HeldPermission) -> PensionForecast | None:
    """The forecast of the citizen's default choice (public pension only); None when there is none to make."""
    snapshot = _snapshot(agent, held)
    if snapshot is None:
        return None
    _record(agent, held, FORECAST_VIEWED)
    today = clock.today()
    window = age_window(snapshot, today)
    if window is None or snapshot.person.drawing_pension:
        return None
    try:
        return forecast_compute(
            snapshot, default_choice(snapshot, today), today=today, window=window, other_pensions=None
        )
    except ForecastUnavailableError:
        return None


def cases_read(*, agent: Agent, held: HeldPermission) -> tuple[CaseSummary, ...] | None:
    """The citizen's cases; None when the back office cannot answer."""
    try:
        cases = registers().cases(agent.principal, held.personal_number)
    except RegistersError:
        return None
    _record(agent, held, CASES_VIEWED)
    return cases


class CaseUnavailableError(Exception):
    """The back office could not answer (said as such, never as "no such case")."""


def case_read(*, agent: Agent, held: HeldPermission, case_id: uuid.UUID) -> CaseDetail | None:
    """One of the citizen's cases with its history and messages (scope ``cases``); None when it is not theirs.

    Raises :class:`CaseUnavailableError` when the back office cannot answer.
    """
    try:
        detail = registers().case(agent.principal, held.personal_number, case_id)
    except CaseNotFoundError:
        return None
    except RegistersError as error:
        raise CaseUnavailableError from error
    _record(agent, held, CASE_VIEWED)
    return detail
