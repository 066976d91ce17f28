"""Indexation: balance index, the revaluation of the income-pension account, and följsamhetsindexering.

Legal reference: SFB 58 kap. (inkomstindex, balanstal, balansindex), 62 kap. 5 § and 18–21 §§ (indexering of
the pensionsbehållning), 62 kap. (följsamhetsindexering of income pension in payment), 63 kap. for
tilläggspension. G is the applicable index: the income index, or the balance index while automatic
balancing is active (2010–2017).

- **The account** (``account_revaluation``): the balance at 31 December of year t is recalculated with the
  change of the index *decided for the next year*, G(t+1)/G(t) — the index for t+1 is decided in the autumn
  of t. The Pensions Agency reported the income pension's value change as −1.4 % for 2009 and −2.7 % for
  2010 (arbetet.se 2011-01-31): the balance index's change into 2010 (137.31 / 139.26) and into 2011
  (133.56 / 137.31). docs/decisions/0120.
- **Pensions in payment** (``in_payment_factor``): each January of year t, G(t)/G(t−1)/1.016.

A balance recalculated at 31 December of t−1 therefore stands at the index level of year t, the level of
the pensions first paid in January of t.
"""

from __future__ import annotations

import numpy as np

from pension_engine.arrays import FloatArray
from pension_engine.parameters import FIRST_YEAR, ParameterError, ParameterSet, economic_series, load_parameters, rules

BALANCE_INDEX_DECIMALS = 2


def dampened_balance_ratio(balance_ratio: float) -> float:
    """Dämpat balanstal (from 2017): 1 + (balance ratio − 1) / 3."""
    divisor = rules().indexation.balance_ratio_dampening_divisor
    return 1.0 + (balance_ratio - 1.0) / divisor


def balance_index(
    income_index: dict[int, float], applied_balance_ratio: dict[int, float], start: int, end: int
) -> dict[int, float]:
    """Balansindex for the years ``start``..``end`` of a balancing period.

    First year BI = b · I; then BI(t) = BI(t−1) · I(t)/I(t−1) · b(t), capped at I(t) and rounded to two
    decimals; ``applied_balance_ratio`` holds the ratio as applied (dampened from 2017).
    """
    out: dict[int, float] = {}
    for year in range(start, end + 1):
        ratio = applied_balance_ratio[year]
        if year == start:
            value = ratio * income_index[year]
        else:
            value = out[year - 1] * income_index[year] / income_index[year - 1] * ratio
        out[year] = round(min(value, income_index[year]), BALANCE_INDEX_DECIMALS)
    return out


def index_change(parameters: ParameterSet | None = None) -> FloatArray:
    """G(t)/G(t−1) for each year t (index = t − 1960; 1 for 1960): the change of the index into year t."""
    params = parameters or load_parameters()
    applicable = params.series("applicable_index")
    return np.concatenate(([1.0], applicable[1:] / applicable[:-1]))


def account_revaluation(parameters: ParameterSet | None = None) -> FloatArray:
    """G(t+1)/G(t) for each statement year t (index = t − 1960): the income-pension account's value change.

    SFB 62 kap. 18–21 §§: the balance at the end of year t is recalculated with the index decided for the
    next year. The last year of the parameter range repeats the change before it (a projection).
    """
    change = index_change(parameters)
    return np.concatenate((change[1:], change[-1:]))


def right_credit_factor(parameters: ParameterSet | None = None) -> FloatArray:
    """The factor a right credited in year t joins the balance with (index = t − 1960).

    SFB 62 kap. 5 § second paragraph (from 2015): in a year with a balance index, balance index / income index
    of that year (the rights credited 2015–2017); else 1.
    """
    params = parameters or load_parameters()
    applicable, income_index = params.series("applicable_index"), params.series("income_index")
    first = int(rules().indexation.right_scaling.value)
    years = np.arange(FIRST_YEAR, FIRST_YEAR + applicable.size)
    return np.where(years >= first, np.minimum(applicable / income_index, 1.0), 1.0)


def income_pension_change_percent(year: int, parameters: ParameterSet | None = None) -> float:
    """January change of income pensions in payment, in percent: (G(t)/G(t−1)/1.016 − 1) · 100."""
    first_year = rules().indexation.first_year
    if year < first_year:
        raise ParameterError(f"följsamhetsindexering applies from {first_year}; {year} is earlier")
    params = parameters or load_parameters()
    norm = rules().indexation.norm.value
    ratio = params.at("applicable_index", year) / params.at("applicable_index", year - 1)
    return (ratio / norm - 1.0) * 100.0


def in_payment_factor(parameters: ParameterSet | None = None) -> FloatArray:
    """Yearly factor applied to pensions in payment each January: G(t)/G(t−1)/1.016 (index 0 = 1960)."""
    norm = rules().indexation.norm.value
    return index_change(parameters) / norm


def published_balance_ratio(year: int) -> float | None:
    """The balance ratio of a year as published: official where known, else derived from the workbook column.

    The workbook column holds the dampened ratio 2017–2025; the undampened value is 3·(w − 1) + 1.
    """
    official = economic_series()["balance_ratio_official"].values
    if year in official:
        return official[year].value
    workbook = economic_series()["balance_ratio_workbook"].values
    if year not in workbook:
        return None
    value = workbook[year].value
    dampening_from = rules().indexation.balance_ratio_dampening_from
    if year >= dampening_from:
        divisor = rules().indexation.balance_ratio_dampening_divisor
        value = round(divisor * (value - 1.0) + 1.0, 4)
    return value


__all__ = [
    "FIRST_YEAR",
    "account_revaluation",
    "balance_index",
    "dampened_balance_ratio",
    "in_payment_factor",
    "income_pension_change_percent",
    "index_change",
    "published_balance_ratio",
    "right_credit_factor",
]
