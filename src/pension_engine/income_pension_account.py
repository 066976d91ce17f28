"""Inkomstpension account (pensionsbehållning): the yearly roll-forward and its statement items.

Legal reference: SFB 62 kap. (ålderspensionsbehållning, arvsvinster, förvaltningskostnadsavdrag,
omräkning med inkomstindex eller balansindex). For statement year t with opening value B(t−1) and the
right R credited that year, inheritance-gain factor a, index factor i = G(t)/G(t−1) and cost factor k:

    inheritance gains = (B + R) · (a − 1)
    value change      = (B + R + gains) · (i − 1)
    fees              = (B + R + gains + change) · (k − 1)          (negative)
    closing value     = (B + R) · a · i · k

Timing (docs/decisions/0010): the right for income year t is decided after the tax assessment in t+1 and
credited in the statement of year t+1, where it takes part in that year's gains, indexation and fees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.indexation import index_factor
from pension_engine.mortality import inheritance_gain_factor
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters


@dataclass(frozen=True)
class AccountStatement:
    """The items of one year on the orange envelope, per person (kronor)."""

    opening_value: FloatArray
    new_rights: FloatArray
    inheritance_gains: FloatArray
    value_change: FloatArray
    fees: FloatArray
    closing_value: FloatArray


def roll_forward_income_pension(
    opening_value: npt.ArrayLike,
    new_rights: npt.ArrayLike,
    inheritance_factor: npt.ArrayLike,
    index_factor: npt.ArrayLike,
    cost_factor: npt.ArrayLike,
) -> AccountStatement:
    """One statement year of the income-pension account for every person."""
    opening = as_float(opening_value)
    rights = as_float(new_rights)
    base = opening + rights
    gains = base * (as_float(inheritance_factor) - 1.0)
    change = (base + gains) * (as_float(index_factor) - 1.0)
    fees = (base + gains + change) * (as_float(cost_factor) - 1.0)
    return AccountStatement(
        opening_value=opening,
        new_rights=rights,
        inheritance_gains=gains,
        value_change=change,
        fees=fees,
        closing_value=base + gains + change + fees,
    )


def roll_forward_balance(
    opening_value: FloatArray,
    new_rights: FloatArray,
    inheritance_factor: FloatArray | float,
    index_factor: float,
    cost_factor: float,
) -> FloatArray:
    """The closing value only, in one multiplication: (B + R) · a · i · k (the hot path of forecasts)."""
    return np.asarray((opening_value + new_rights) * (inheritance_factor * (index_factor * cost_factor)))


def income_pension_statements(
    rights_by_income_year: npt.ArrayLike,
    first_income_year: int,
    birth_year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
) -> dict[int, AccountStatement]:
    """The yearly statements of the income-pension account (the orange envelope), per person.

    ``rights_by_income_year`` is persons × income years from ``first_income_year``; the right of income
    year t appears in the statement of year t+1 (docs/decisions/0010). Returns statement year → items.
    """
    params = parameters or load_parameters()
    rights = np.atleast_2d(np.asarray(rights_by_income_year, dtype=np.float64))
    born = as_int(birth_year)
    index_factors = index_factor(params)
    cost = params.series("income_pension_cost_factor")
    balance = np.zeros(rights.shape[0])
    statements: dict[int, AccountStatement] = {}
    for column in range(rights.shape[1]):
        year = first_income_year + column + 1
        statement = roll_forward_income_pension(
            balance,
            rights[:, column],
            inheritance_gain_factor(born, year - born),
            index_factors[year - FIRST_YEAR],
            cost[year - FIRST_YEAR],
        )
        statements[year] = statement
        balance = statement.closing_value
    return statements
