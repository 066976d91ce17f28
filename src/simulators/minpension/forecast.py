"""Forecasts as Min Pension makes them under the forecast standard (prognosstandard 2022), simplified.

Fixed prices and no wage growth, so every amount is in today's money, per month, before tax. Capital earns
1.9 % a year before fees and the 0.38 % yield-tax assumption; premiums continue unchanged while the person
works; a lifelong payout is spread over the remaining life expectancy at the withdrawal age, a fixed-term
payout over its years. A defined-benefit pension is the amount at 65, reduced or raised by 0.5 % for each
month taken earlier or later. These are a simulator's plausible figures, not an insurer's.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from simulators.minpension.data import Holding

CAPITAL_RETURN = Decimal("0.019")
YIELD_TAX = Decimal("0.0038")
LIFE_EXPECTANCY_AGE = 87
DB_MONTHLY_ADJUSTMENT = Decimal("0.005")
FIRST_AGE = 62
LAST_AGE = 70


@dataclasses.dataclass(frozen=True, kw_only=True)
class ForecastRow:
    """The monthly amount if payout starts at ``withdrawal_age``, paid from ``start_age`` to ``end_age``."""

    withdrawal_age: int
    monthly_amount: Decimal
    start_age: int
    end_age: int | None


def withdrawal_ages(current_age: int) -> list[int]:
    """The ages a forecast is given for: 62 to 70, but never below the person's age now."""
    first = max(FIRST_AGE, current_age)
    return list(range(first, max(first, LAST_AGE) + 1))


def _kronor(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _annuity_months(years: int, yearly_rate: Decimal) -> Decimal:
    """The present value of 1 kr a month for ``years`` years at ``yearly_rate`` (monthly payments)."""
    monthly = (1 + yearly_rate) ** (Decimal(1) / 12) - 1
    months = years * 12
    if monthly == 0:
        return Decimal(months)
    return (1 - (1 + monthly) ** -months) / monthly


def _net_rate(holding: Holding) -> Decimal:
    return CAPITAL_RETURN - holding.fee_percent / 100 - YIELD_TAX


def _capital_at(holding: Holding, *, current_age: int, age: int, saving: bool) -> Decimal:
    rate = _net_rate(holding)
    capital = holding.capital or Decimal(0)
    for _ in range(max(0, age - current_age)):
        capital = capital * (1 + rate) + (holding.yearly_premium if saving else 0)
    return capital


def forecast(holding: Holding, *, current_age: int, saving: bool) -> list[ForecastRow]:
    """The holding's forecast for each withdrawal age."""
    rows = []
    for age in withdrawal_ages(current_age):
        if holding.in_payment is not None:
            start = holding.payout_from_age
            end = start + holding.payout_years if holding.payout_years else None
            rows.append(
                ForecastRow(withdrawal_age=age, monthly_amount=holding.in_payment, start_age=start, end_age=end)
            )
            continue
        if holding.kind == "defined_benefit":
            base = holding.monthly_at_65 if saving else holding.earned_monthly
            factor = 1 + DB_MONTHLY_ADJUSTMENT * 12 * (age - 65)
            amount = (base or Decimal(0)) * factor
        else:
            years = holding.payout_years or max(5, LIFE_EXPECTANCY_AGE - age)
            capital = _capital_at(holding, current_age=current_age, age=age, saving=saving)
            amount = capital / _annuity_months(years, _net_rate(holding))
        end = age + holding.payout_years if holding.payout_years else None
        rows.append(ForecastRow(withdrawal_age=age, monthly_amount=_kronor(amount), start_age=age, end_age=end))
    return rows
