"""Reads from Min Pension for the logged-in citizen: whether a fetch is allowed, and the fetch itself.

The rules (issue 6, docs/minpension-contract.md): never ask Min Pension about a person who already draws
their pension and no longer works; fetch pensions only for a registered user who accepted the current
terms; everything that goes wrong is "could not be fetched right now", never zero. Each call to Min
Pension is recorded in the access log with the principal it was made for.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel.personal_number import PersonalNumber
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, Purpose
from minasidor.minpension import connection
from minasidor.minpension.errors import MinPensionError, MinPensionRefusedError
from minasidor.minpension.types import MinPensionResult, Outcome, UserStatus

MIN_PENSION_VIEWED = Action("minpension.viewed", _("Fetched your occupational and private pensions from Min Pension"))
MIN_PENSION_STATUS_CHECKED = Action("minpension.status_checked", _("Asked Min Pension whether you are a user"))


def _record(principal: Principal, subject_key: str, action: Action) -> None:
    with transaction.atomic(using="default"):
        access_record_create(principal=principal, subject_key=subject_key, action=action, purpose=Purpose.SELF_SERVICE)


def min_pension_fetch_allowed(*, drawing_pension: bool, still_working: bool) -> bool:
    """Min Pension is not asked about a person who already draws their pension and no longer works."""
    return still_working or not drawing_pension


def min_pension_get(
    *,
    principal: Principal,
    subject_key: str,
    personal_number: PersonalNumber,
    drawing_pension: bool,
    still_working: bool,
) -> MinPensionResult:
    """The citizen's occupational and private pensions from Min Pension, when allowed and available.

    ``drawing_pension`` and ``still_working`` come from the pension register (the caller reads them).
    """
    result, due = min_pension_ask(
        personal_number=personal_number, drawing_pension=drawing_pension, still_working=still_working
    )
    min_pension_asked_record(principal=principal, subject_key=subject_key, due=due)
    return result


def min_pension_ask(
    *, personal_number: PersonalNumber, drawing_pension: bool, still_working: bool
) -> tuple[MinPensionResult, Action | None]:
    """Min Pension's calls of :func:`min_pension_get` without its access record: the result, and the record the
    calls made due (to be written with :func:`min_pension_asked_record`). Touches no database, so it may run on
    another thread while the page does other work (decision 0246); ``users/status`` is still asked first and
    ``pensions`` only for a registered user who accepted the current terms."""
    if not min_pension_fetch_allowed(drawing_pension=drawing_pension, still_working=still_working):
        return MinPensionResult(Outcome.RETIRED), None
    client = connection.client()
    try:
        status = client.user_status(personal_number.value)
    except MinPensionError:
        return MinPensionResult(Outcome.UNAVAILABLE), None
    if not status.may_fetch:
        return MinPensionResult(Outcome.NOT_REGISTERED, status=status), MIN_PENSION_STATUS_CHECKED
    try:
        holdings = client.pensions(personal_number.value)
    except MinPensionRefusedError as error:
        outcome = Outcome.NOT_REGISTERED if error.code in ("notRegistered", "termsNotAccepted") else Outcome.UNAVAILABLE
        return MinPensionResult(outcome, status=status), None
    except MinPensionError:
        return MinPensionResult(Outcome.UNAVAILABLE, status=status), None
    return MinPensionResult(Outcome.FETCHED, status=status, holdings=holdings), MIN_PENSION_VIEWED


def min_pension_asked_record(*, principal: Principal, subject_key: str, due: Action | None) -> None:
    """Write the access record :func:`min_pension_ask` made due, if any."""
    if due is not None:
        _record(principal, subject_key, due)


def min_pension_status_get(*, principal: Principal, subject_key: str, personal_number: PersonalNumber) -> UserStatus:
    """Whether the citizen is a registered user who accepted the terms; raises ``MinPensionError``."""
    status = connection.client().user_status(personal_number.value)
    _record(principal, subject_key, MIN_PENSION_STATUS_CHECKED)
    return status
