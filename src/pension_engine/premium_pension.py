"""Premiepension account: contributions, returns, fees and inheritance gains; the annuity and its payouts.

Legal reference: SFB 64 kap. The right for income year t is invested in t+1 (the same timing as the income
pension, docs/decisions/0010). Historic returns follow the person's funds (``fund_returns``, net of fund
fees; only the PM administration fee is deducted), or, for a saver who never chose, the default alternative
by age: AP7 Såfa's glide path from AP7 Aktiefond to AP7 Räntefond between 56 and 75 (from 2010;
Premiesparfonden before; docs/decisions/0123). Projected years use the forecast-standard return of 1.9 %
real before fees, minus the fund fee and the administration fee, at every age. At withdrawal the yearly
amount is capital / the premium-
pension divisor (life annuity at 1.65 % net, docs/decisions/0014). In payment the pension stays in funds
(fondförsäkring) and is recalculated each January from the capital and the divisor at that age, so rights
credited meanwhile raise it; what is paid leaves the account before the year's return and fees, and the
part drawn earns no inheritance gains (docs/decisions/0075).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.annuity_divisor import PREMIUM_PENSION_AGES, premium_pension_divisor
from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.default_fund import default_fund_return
from pension_engine.income_pension_account import AccountHistory, AccountStatement, inheritance_factors
from pension_engine.parameters import FIRST_YEAR, ParameterError, ParameterSet, load_parameters
from pension_engine.rounding import round_kronor
from pension_engine.withdrawal import MONTHS_IN_YEAR, Withdrawal


def roll_forward_premium_pension(
    opening_value: npt.ArrayLike,
    new_rights: npt.ArrayLike,
    inheritance_factor: npt.ArrayLike,
    fund_return: npt.ArrayLike,
    fee: float,
    *,
    paid_out: npt.ArrayLike = 0.0,
    share_drawn: npt.ArrayLike = 0.0,
) -> AccountStatement:
    """One statement year of the premium-pension account for every person (``paid_out`` positive)."""
    opening = as_float(opening_value)
    rights = as_float(new_rights)
    base = opening + rights
    gains = base * (1.0 - as_float(share_drawn)) * (as_float(inheritance_factor) - 1.0)
    paid = -as_float(paid_out)
    kept = base + gains + paid
    change = kept * as_float(fund_return)
    fees = -(kept + change) * fee
    return AccountStatement(
        opening_value=opening,
        new_rights=rights,
        inheritance_gains=gains,
        value_change=change,
        fees=fees,
        paid_out=np.broadcast_to(paid, kept.shape).copy(),
        closing_value=kept + change + fees,
    )


def premium_pension_annual(
    capital: npt.ArrayLike, birth_year: npt.ArrayLike, age: npt.ArrayLike, months: npt.ArrayLike = 0
) -> FloatArray:
    """Yearly premium pension at the start of withdrawal: capital / premium-pension divisor."""
    return np.asarray(as_float(capital) / premium_pension_divisor(birth_year, age, months))


def premium_pension_history(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
    *,
    withdrawal: Withdrawal | None = None,
    fund_returns: npt.ArrayLike | None = None,
) -> AccountHistory:
    """Yearly statements of the premium-pension account and, from withdrawal on, the pension it pays.

    Each January of withdrawal the yearly amount is share · capital / divisor(cohort, age that year).
    ``fund_returns`` (persons × the statement years, aligned with the rights' columns: column c is statement
    year ``first_income_year`` + c + 1) is each person's return from their own funds; NaN, or no matrix at
    all, means the default alternative by age.
    """
    params = parameters or load_parameters()
    rights = np.atleast_2d(np.asarray(rights_by_income_year, dtype=np.float64))
    born = as_int(birth_year)
    drawn = withdrawal or Withdrawal.none(rights.shape[0])
    own = None if fund_returns is None else np.atleast_2d(np.asarray(fund_returns, dtype=np.float64))
    if own is not None and own.shape != rights.shape:
        raise ParameterError("fund_returns must have the shape of the rights (persons × years)")
    fees = params.series("premium_pension_fee")
    first_age, last_age = PREMIUM_PENSION_AGES
    capital = np.zeros(rights.shape[0])
    history = AccountHistory(statements={}, monthly_pension={})
    for column in range(rights.shape[1]):
        year = first_income_year + column + 1
        at = year - FIRST_YEAR
        share = drawn.share_drawn(year)
        yearly = np.zeros(rights.shape[0])
        rows = np.flatnonzero(share > 0)
        if rows.size:
            age = np.clip(year - born[rows], first_age, last_age)
            yearly[rows] = share[rows] * capital[rows] / premium_pension_divisor(born[rows], age)
        monthly = round_kronor(yearly / MONTHS_IN_YEAR)
        fund_return = default_fund_return(born, year, params)
        if own is not None:
            fund_return = np.where(np.isnan(own[:, column]), fund_return, own[:, column])
        statement = roll_forward_premium_pension(
            capital,
            rights[:, column],
            inheritance_factors(born, year),
            fund_return,
            fees[at],
            paid_out=monthly * drawn.months_paid(year),
            share_drawn=share,
        )
        history.statements[year] = statement
        history.monthly_pension[year] = monthly
        capital = statement.closing_value
    return history


def premium_pension_statements(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
    *,
    withdrawal: Withdrawal | None = None,
    fund_returns: npt.ArrayLike | None = None,
) -> dict[int, AccountStatement]:
    """Yearly statements of the premium-pension account, per person (rights invested the year after).

    Returns follow ``fund_returns`` (each person's funds) or the default alternative by age, and the forecast
    assumption in projected years; fees are PM's administration fee (plus the fund fee in projected years).
    With ``withdrawal`` the pension paid from the start month on is taken from the account.
    """
    return premium_pension_history(
        rights_by_income_year,
        first_income_year,
        birth_year,
        parameters,
        withdrawal=withdrawal,
        fund_returns=fund_returns,
    ).statements
