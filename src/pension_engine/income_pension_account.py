"""Inkomstpension account (pensionsbehållning): the yearly roll-forward, its statement items and payouts.

Legal reference: SFB 62 kap. 5 § (the balance: the rights recalculated for inheritance gains, 9–17 §§,
indexation, 18–21 §§, and administration costs, 22–26 §§). For statement year t with opening value B(t−1),
the right R credited that year, inheritance-gain factor a, revaluation factor i = G(t+1)/G(t) — the change
of the index decided for the next year (docs/decisions/0120) —, cost factor k, the share s of the pension
drawn and P the pension paid out during the year (docs/decisions/0075):

    inheritance gains = (B + R) · (1 − s) · (a − 1)       (none on the part drawn: mortality is in the divisor)
    paid out          = −P                                 (negative)
    value change      = (B + R + gains − P) · (i − 1)
    fees              = (B + R + gains − P + change) · (k − 1)          (negative)
    closing value     = B + R + gains − P + change + fees

Before withdrawal s = P = 0 and the closing value is (B + R) · a · i · k. Timing (docs/decisions/0010): the
right for income year t is decided after the tax assessment in t+1 and credited in the statement of year
t+1 — multiplied by balance index / income index when that year has a balance index (from 2015, SFB 62 kap.
5 § second paragraph) — where it takes part in that year's gains, revaluation and fees. The closing value of
year t stands at the index level of t+1: the level of a pension first paid in January of t+1.

In payment (docs/decisions/0075): from the start year the yearly pension is s · B(start − 1) / divisor(age);
each later January it follows the index (G(t)/G(t−1)/1.016) and grows by s · (what the rights credited in the
year before are worth at its close) / divisor(age that year) — a pensioner who still works has the pension
recalculated. Paid out in a year = the monthly amount in whole kronor × the months paid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pension_engine.accumulation import MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT, OLDEST_AGE, inheritance_table
from pension_engine.annuity_divisor import divisor_age_range, income_pension_divisor
from pension_engine.arrays import FloatArray, IntArray, as_float, as_int
from pension_engine.indexation import account_revaluation, in_payment_factor, right_credit_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters
from pension_engine.rounding import round_kronor
from pension_engine.withdrawal import MONTHS_IN_YEAR, Withdrawal


@dataclass(frozen=True)
class AccountStatement:
    """The items of one year on the orange envelope, per person (kronor; fees and paid out are negative)."""

    opening_value: FloatArray
    new_rights: FloatArray
    inheritance_gains: FloatArray
    value_change: FloatArray
    fees: FloatArray
    paid_out: FloatArray
    closing_value: FloatArray


@dataclass(frozen=True)
class AccountHistory:
    """An account's statements by year and, for those drawing, the pension it paid (kronor a month)."""

    statements: dict[int, AccountStatement]
    monthly_pension: dict[int, FloatArray]


def roll_forward_income_pension(
    opening_value: npt.ArrayLike,
    new_rights: npt.ArrayLike,
    inheritance_factor: npt.ArrayLike,
    revaluation_factor: npt.ArrayLike,
    cost_factor: npt.ArrayLike,
    *,
    paid_out: npt.ArrayLike = 0.0,
    share_drawn: npt.ArrayLike = 0.0,
) -> AccountStatement:
    """One statement year of the income-pension account for every person.

    ``paid_out`` is the pension paid from the account during the year (a positive amount; the item is
    negative) and ``share_drawn`` the share already converted to pension, which earns no inheritance gains.
    """
    opening = as_float(opening_value)
    rights = as_float(new_rights)
    base = opening + rights
    gains = base * (1.0 - as_float(share_drawn)) * (as_float(inheritance_factor) - 1.0)
    paid = -as_float(paid_out)
    kept = base + gains + paid
    change = kept * (as_float(revaluation_factor) - 1.0)
    fees = (kept + change) * (as_float(cost_factor) - 1.0)
    return AccountStatement(
        opening_value=opening,
        new_rights=rights,
        inheritance_gains=gains,
        value_change=change,
        fees=fees,
        paid_out=np.broadcast_to(paid, kept.shape).copy(),
        closing_value=kept + change + fees,
    )


def roll_forward_balance(
    opening_value: FloatArray,
    new_rights: FloatArray,
    inheritance_factor: FloatArray | float,
    revaluation_factor: float,
    cost_factor: float,
) -> FloatArray:
    """The closing value only, in one multiplication: (B + R) · a · i · k (the hot path of forecasts)."""
    return np.asarray((opening_value + new_rights) * (inheritance_factor * (revaluation_factor * cost_factor)))


def inheritance_factors(birth_year: IntArray, year: int) -> FloatArray:
    """Each person's arvsvinstfaktor in ``year``, looked up in the cohort × age table the forecast uses."""
    rows = np.clip(birth_year, MORTALITY_FIRST_COHORT, MORTALITY_LAST_COHORT) - MORTALITY_FIRST_COHORT
    return np.asarray(inheritance_table()[rows, np.clip(year - birth_year, 0, OLDEST_AGE)])


def divisor_at(birth_year: IntArray, age: IntArray) -> FloatArray:
    """Income-pension divisor at an age in payment, held at the table's ends outside its ages."""
    first_age, last_age = divisor_age_range()
    return income_pension_divisor(birth_year, np.clip(age, first_age, last_age))


def income_pension_history(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
    *,
    withdrawal: Withdrawal | None = None,
) -> AccountHistory:
    """The yearly statements of the income-pension account and, from withdrawal on, the pension it pays.

    ``rights_by_income_year`` is persons × income years from ``first_income_year``; the right of income
    year t appears in the statement of year t+1 (docs/decisions/0010). Without ``withdrawal`` nobody draws.
    """
    params = parameters or load_parameters()
    rights = np.atleast_2d(np.asarray(rights_by_income_year, dtype=np.float64))
    born = as_int(birth_year)
    drawn = withdrawal or Withdrawal.none(rights.shape[0])
    revaluation, in_payment = account_revaluation(params), in_payment_factor(params)
    credit_factor = right_credit_factor(params)
    cost = params.series("income_pension_cost_factor")
    balance = np.zeros(rights.shape[0])
    yearly = np.zeros(rights.shape[0])  # the pension in payment, a year's worth, unrounded
    credited_while_drawing = np.zeros(rights.shape[0])
    history = AccountHistory(statements={}, monthly_pension={})
    for column in range(rights.shape[1]):
        year = first_income_year + column + 1
        at = year - FIRST_YEAR
        share = drawn.share_drawn(year)
        rows = np.flatnonzero(share > 0)
        if rows.size:
            divisor = divisor_at(born[rows], year - born[rows])
            started = drawn.start_year[rows] == year
            recalculated = yearly[rows] * in_payment[at] + share[rows] * credited_while_drawing[rows] / divisor
            yearly[rows] = np.where(started, share[rows] * balance[rows] / divisor, recalculated)
        monthly = round_kronor(yearly / MONTHS_IN_YEAR)
        gains_factor = inheritance_factors(born, year)
        credited = rights[:, column] * credit_factor[at]
        statement = roll_forward_income_pension(
            balance,
            credited,
            gains_factor,
            revaluation[at],
            cost[at],
            paid_out=monthly * drawn.months_paid(year),
            share_drawn=share,
        )
        if rows.size:
            kept_per_krona = (1.0 + (1.0 - share) * (gains_factor - 1.0)) * revaluation[at] * cost[at]
            credited_while_drawing = np.where(share > 0, credited * kept_per_krona, 0.0)
        history.statements[year] = statement
        history.monthly_pension[year] = monthly
        balance = statement.closing_value
    return history


def income_pension_statements(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
    *,
    withdrawal: Withdrawal | None = None,
) -> dict[int, AccountStatement]:
    """The yearly statements of the income-pension account (the orange envelope), per person.

    ``rights_by_income_year`` is persons × income years from ``first_income_year``; the right of income
    year t appears in the statement of year t+1 (docs/decisions/0010). Returns statement year → items; with
    ``withdrawal`` the pension paid from the start month on is taken from the account.
    """
    return income_pension_history(
        rights_by_income_year, first_income_year, birth_year, parameters, withdrawal=withdrawal
    ).statements
