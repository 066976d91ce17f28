"""Indexation: balance index, the index applied to accounts, and följsamhetsindexering of pensions in payment.

Legal reference: SFB 62 kap. (inkomstindex, balanstal, balansindex, följsamhetsindexering), 63 kap. for
tilläggspension. Pensions in payment change each January by G(t)/G(t−1)/1.016, where G is the income index,
or the balance index while automatic balancing is active (2010–2017).
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


def index_factor(parameters: ParameterSet | None = None) -> FloatArray:
    """Yearly account index factor i(t) = G(t)/G(t−1) (1 for 1960), G the applicable index."""
    params = parameters or load_parameters()
    applicable = params.series("applicable_index")
    return np.concatenate(([1.0], applicable[1:] / applicable[:-1]))


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
    """Yearly factor applied to pensions in payment each January: i(t)/1.016 (index 0 = 1960)."""
    norm = rules().indexation.norm.value
    return index_factor(parameters) / norm


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
    "balance_index",
    "dampened_balance_ratio",
    "in_payment_factor",
    "income_pension_change_percent",
    "index_factor",
    "published_balance_ratio",
]
