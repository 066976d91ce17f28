"""What the Min pension pages show, read from the session's pension data (fetched once per session)."""

from __future__ import annotations

import dataclasses

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
from minasidor.mypension.types import ForecastChoice, PensionForecast
from minasidor.registers.types import Payment


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
    """The latest payment made and the next one planned, and the recent ones (newest first)."""

    latest: Payment | None
    next: Payment | None
    recent: tuple[Payment, ...]


def payments_summary(data: PensionData) -> PaymentSummary | None:
    """For a pensioner: what was paid last, what is paid next; None when there are no payments."""
    if data.snapshot is None or not data.snapshot.payments:
        return None
    paid = [p for p in data.snapshot.payments if p.paid]
    upcoming = [p for p in data.snapshot.payments if not p.paid]
    return PaymentSummary(
        latest=paid[-1] if paid else None,
        next=upcoming[0] if upcoming else None,
        recent=tuple(reversed(paid)),
    )
