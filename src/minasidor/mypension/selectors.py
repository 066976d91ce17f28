"""What the Min pension pages show, read from the session's pension data (fetched once per session)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import HttpRequest

from kernel import clock
from minasidor.minpension.selectors import Outcome
from minasidor.minpension.types import PensionHoldings
from minasidor.mypension.forecast import (
    ForecastUnavailableError,
    age_range,
    clamped_choice,
    default_choice,
    forecast_compute,
)
from minasidor.mypension.session_data import PensionData, pension_data_keep
from minasidor.mypension.types import ForecastChoice, PensionForecast, parts_paid_on
from minasidor.registers.types import Payment, PensionDecision


def other_pensions_of(data: PensionData) -> PensionHoldings | None:
    """Min Pension's holdings when fetched for this session, else None."""
    result = data.min_pension
    return result.holdings if result is not None and result.outcome is Outcome.FETCHED else None


def forecast_get(
    request: HttpRequest, data: PensionData, choice: ForecastChoice | None = None
) -> PensionForecast | None:
    """The forecast for ``choice`` (else the citizen's last choice, else the default), computed once per choice.

    None when there is nothing to forecast: no snapshot, already drawing pension, or no age left.
    """
    snapshot = data.snapshot
    if snapshot is None or snapshot.person.drawing_pension:
        return None
    today = clock.today()
    ages = age_range(snapshot.person.birth_date.year, today)
    if not ages:
        return None
    wanted = clamped_choice(choice or data.choice or default_choice(snapshot, today), ages)
    if data.forecast is not None and data.forecast.choice == wanted:
        return data.forecast
    try:
        result = forecast_compute(snapshot, wanted, today=today, other_pensions=other_pensions_of(data))
    except ForecastUnavailableError:
        return None
    pension_data_keep(request, dataclasses.replace(data, choice=wanted, forecast=result))
    return result


@dataclasses.dataclass(frozen=True, slots=True)
class PaymentSummary:
    """The latest payment made and the next one planned, the recent ones (newest first), and the parts.

    ``parts`` are the decisions in force today, in the order of the parts; ``parts_from`` is the day the
    newest of them applies from.
    """

    latest: Payment | None
    next: Payment | None
    recent: tuple[Payment, ...]
    parts: tuple[PensionDecision, ...]
    parts_from: dt.date | None


def payments_summary(data: PensionData) -> PaymentSummary | None:
    """For a pensioner: what was paid last, what is paid next, and by part; None when there are no payments."""
    if data.snapshot is None or not data.snapshot.payments:
        return None
    paid = [p for p in data.snapshot.payments if p.paid]
    upcoming = [p for p in data.snapshot.payments if not p.paid]
    parts = parts_paid_on(data.snapshot, clock.today())
    return PaymentSummary(
        latest=paid[-1] if paid else None,
        next=upcoming[0] if upcoming else None,
        recent=tuple(reversed(paid)),
        parts=parts,
        parts_from=max((part.payable_from for part in parts), default=None),
    )
