"""Monthly occupational and private pension per withdrawal age, as steps over the person's age.

For the total forecast: for each withdrawal age the forecast adds these steps to the public pension. A step
ends where a time-limited payout ends (or another starts), so the drop is visible. Amounts are per month,
in today's money, before tax, summed from Min Pension's forecasts.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from minasidor.minpension.types import Category, PensionHoldings, PensionItem


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class IncomeStep:
    """From ``from_age`` up to (not including) ``until_age`` (None: for life), these amounts a month."""

    from_age: int
    until_age: int | None
    occupational: Decimal
    private: Decimal
    ending: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return self.occupational + self.private


def _boundaries(points: list[tuple[PensionItem, int, int | None, Decimal]], withdrawal_age: int) -> list[int]:
    ages = {withdrawal_age}
    for _, start, end, _amount in points:
        ages.add(max(start, withdrawal_age))
        if end is not None and end > withdrawal_age:
            ages.add(end)
    return sorted(ages)


def income_steps(
    holdings: PensionHoldings, withdrawal_age: int, *, in_payment: bool | None = None
) -> tuple[IncomeStep, ...]:
    """The monthly amounts from ``withdrawal_age`` on, as steps; pensions without a forecast for it are left out.

    ``ending`` names the providers whose time-limited payout has ended when the next step begins.
    ``in_payment`` True or False counts only the pensions already paid out, or only the others (None: all).
    """
    points = []
    for item in holdings.items:
        if in_payment is not None and item.in_payment is not in_payment:
            continue
        point = item.forecast_at(withdrawal_age)
        if point is not None:
            points.append((item, point.start_age, point.end_age, point.monthly_amount))
    ages = _boundaries(points, withdrawal_age)
    steps = []
    for index, age in enumerate(ages):
        until = ages[index + 1] if index + 1 < len(ages) else None
        paying = [(item, amount) for item, start, end, amount in points if start <= age and (end is None or age < end)]
        ending = tuple(item.provider for item, _start, end, _amount in points if until is not None and end == until)
        steps.append(
            IncomeStep(
                from_age=age,
                until_age=until,
                occupational=sum((a for i, a in paying if i.category is Category.OCCUPATIONAL), Decimal(0)),
                private=sum((a for i, a in paying if i.category is Category.PRIVATE), Decimal(0)),
                ending=ending,
            )
        )
    return tuple(steps)


def income_by_withdrawal_age(holdings: PensionHoldings) -> dict[int, tuple[IncomeStep, ...]]:
    """:func:`income_steps` for every withdrawal age Min Pension gave a forecast for, of the pensions not yet
    paid out: what is paid now does not depend on the age the person starts the rest (:func:`income_paid_now`).
    Empty when every pension is already paid out."""
    if all(item.in_payment for item in holdings.items):
        return {}
    return {age: income_steps(holdings, age, in_payment=False) for age in holdings.withdrawal_ages}


def income_paid_now(holdings: PensionHoldings) -> tuple[IncomeStep, ...]:
    """The pensions already paid out, as steps from the first age Min Pension forecasts (the person's age now,
    or 62 at the earliest) until each ends: the same whichever age the person starts the rest. Empty when none."""
    if not any(item.in_payment for item in holdings.items) or not holdings.withdrawal_ages:
        return ()
    return income_steps(holdings, holdings.withdrawal_ages[0], in_payment=True)
