"""Tilläggspension (supplementary pension, ATP-based) for people born 1938–1953 (and ≤1937 in full).

Legal reference: SFB 63 kap. The classic ATP rule (reference §4.2, marked unconfirmed, from memory):
pension points = (income up to 7.5 base amounts − 1 base amount) / base amount, at most 6.5; the pension at
65 is 60 % × the average of the 15 best points × the increased price base amount × min(1, years with
points / 30); born 1938–1953 receive (1954 − born)/20 of it. Early withdrawal from 61 lowers it by 0.5 % a
month before 65, later withdrawal raises it by 0.7 % a month after 65 (up to 70). In payment it follows the
income pension's indexation (index change / 1.016).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, IntArray, as_float, as_int
from pension_engine.parameters import ParameterSet, load_parameters, rules
from pension_engine.pension_rights import supplementary_pension_share

LATEST_ADJUSTMENT_AGE = 70


def pension_points(
    income_history: npt.ArrayLike, history_years: IntArray, parameters: ParameterSet | None = None
) -> FloatArray:
    """ATP pension points (persons × years) on the base amount of each year (PBB ≤1994, FPB after)."""
    params = parameters or load_parameters()
    rule = rules().supplementary_pension
    base = params.take("increased_price_base_amount", as_int(history_years))[np.newaxis, :]
    income = np.atleast_2d(np.asarray(income_history, dtype=np.float64))
    counted = np.minimum(income, rule.ceiling_base_amounts * base)
    return np.clip((counted - base) / base, 0.0, rule.maximum_points)


def supplementary_pension_at_normal_age(
    points: npt.ArrayLike, birth_year: npt.ArrayLike, increased_price_base_amount: float
) -> FloatArray:
    """Yearly tilläggspension at 65 in the money of the given increased price base amount."""
    rule = rules().supplementary_pension
    matrix = np.atleast_2d(np.asarray(points, dtype=np.float64))
    best_count = rule.best_years
    best = -np.sort(-matrix, axis=1)[:, :best_count]
    years_with_points = (matrix > 0).sum(axis=1)
    average = best.sum(axis=1) / best_count
    completeness = np.minimum(years_with_points / float(rule.full_years), 1.0)
    full = rule.replacement_rate * average * increased_price_base_amount * completeness
    return np.asarray(full * supplementary_pension_share(birth_year))


def withdrawal_age_adjustment(age: npt.ArrayLike, months: npt.ArrayLike = 0) -> FloatArray:
    """Actuarial adjustment of tilläggspension for withdrawal before or after 65."""
    rule = rules().supplementary_pension
    months_from_normal = (as_float(age) - float(rule.normal_age)) * 12.0 + as_float(months)
    latest = (LATEST_ADJUSTMENT_AGE - float(rule.normal_age)) * 12.0
    early = 1.0 + rule.early_reduction_per_month * months_from_normal
    late = 1.0 + rule.late_increase_per_month * np.minimum(months_from_normal, latest)
    return np.asarray(np.where(months_from_normal < 0, early, late))
