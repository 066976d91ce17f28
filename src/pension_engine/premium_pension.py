"""Premiepension account: contributions, returns, fees and inheritance gains; the annuity at withdrawal.

Legal reference: SFB 64 kap. The right for income year t is invested in t+1 (the same timing as the income
pension, docs/decisions/0010). Historic returns are the AP7 Såfa series (net of fund fees; only the PM
administration fee is deducted); projected years use the forecast-standard return of 1.9 % real before fees
minus the fund fee and the administration fee. At withdrawal the yearly amount is capital / the premium-
pension divisor (life annuity at 1.65 % net, docs/decisions/0014).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.annuity_divisor import premium_pension_divisor
from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.income_pension_account import AccountStatement
from pension_engine.mortality import inheritance_gain_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters


def roll_forward_premium_pension(
    opening_value: npt.ArrayLike,
    new_rights: npt.ArrayLike,
    inheritance_factor: npt.ArrayLike,
    fund_return: float,
    fee: float,
) -> AccountStatement:
    """One statement year of the premium-pension account for every person."""
    opening = as_float(opening_value)
    rights = as_float(new_rights)
    base = opening + rights
    gains = base * (as_float(inheritance_factor) - 1.0)
    change = (base + gains) * fund_return
    fees = -(base + gains + change) * fee
    return AccountStatement(
        opening_value=opening,
        new_rights=rights,
        inheritance_gains=gains,
        value_change=change,
        fees=fees,
        closing_value=base + gains + change + fees,
    )


def premium_pension_annual(
    capital: npt.ArrayLike, birth_year: npt.ArrayLike, age: npt.ArrayLike, months: npt.ArrayLike = 0
) -> FloatArray:
    """Yearly premium pension at the start of withdrawal: capital / premium-pension divisor."""
    return np.asarray(as_float(capital) / premium_pension_divisor(birth_year, age, months))


def premium_pension_statements(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
) -> dict[int, AccountStatement]:
    """Yearly statements of the premium-pension account, per person (rights invested the year after).

    Returns use the AP7 Såfa series where it exists and the forecast assumption after it; fees are PM's
    administration fee (plus the fund fee in projected years).
    """
    params = parameters or load_parameters()
    rights = np.atleast_2d(np.asarray(rights_by_income_year, dtype=np.float64))
    born = as_int(birth_year)
    returns = params.series("premium_pension_return")
    fees = params.series("premium_pension_fee")
    capital = np.zeros(rights.shape[0])
    statements: dict[int, AccountStatement] = {}
    for column in range(rights.shape[1]):
        year = first_income_year + column + 1
        at = year - FIRST_YEAR
        statement = roll_forward_premium_pension(
            capital, rights[:, column], inheritance_gain_factor(born, year - born), returns[at], fees[at]
        )
        statements[year] = statement
        capital = statement.closing_value
    return statements
