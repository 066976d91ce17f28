"""Tax estimate on pension income: basic deduction, increased basic deduction, municipal and state tax.

Legal reference: inkomstskattelagen (1999:1229) 63 kap. 3–7 §§ (grundavdrag, förhöjt grundavdrag) and
65 kap. 3–5 §§ (kommunal och statlig inkomstskatt). Deductions in price base amounts by segment
(rules.yaml, model data 2025–2026), rounded up to whole 100 kr; taxable income rounded down to whole 100 kr;
state tax 20 % above the threshold (skiktgräns). Not included: public-service fee, burial and church fees,
the tax reduction for earned income (docs/decisions/0017). Years before the first rule set use it;
later years the last one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import BoolArray, FloatArray, as_float, as_int
from pension_engine.parameters import ParameterSet, load_parameters, rules
from pension_engine.parameters.rule_types import Segment, TaxRuleSet
from pension_engine.retirement_ages import target_retirement_age
from pension_engine.rounding import round_down, round_up


def _rule_set(year: int) -> TaxRuleSet:
    sets = rules().tax.rule_sets
    chosen = sets[0]
    for rule_set in sets:
        if rule_set.start <= year:
            chosen = rule_set
    return chosen


def _piecewise(segments: tuple[Segment, ...], x: FloatArray) -> FloatArray:
    """Evaluate [upper, intercept, slope] segments at x (the first segment whose upper bound x does not pass)."""
    uppers = np.array([np.inf if upper is None else upper for upper, _, _ in segments], dtype=np.float64)
    intercepts = np.array([intercept for _, intercept, _ in segments], dtype=np.float64)
    slopes = np.array([slope for _, _, slope in segments], dtype=np.float64)
    segment = np.searchsorted(uppers, x, side="left")
    return np.asarray(intercepts[segment] + slopes[segment] * x)


def entitled_to_increased_deduction(birth_year: npt.ArrayLike, age_in_year: npt.ArrayLike) -> BoolArray:
    """Förhöjt grundavdrag: from the year one turns 67 (had turned 66 at the start of the year), and for
    cohorts with a later riktålder from the year after it (born 1960: the year they turn 68)."""
    born = as_int(birth_year)
    rule = rules().tax.increased_deduction_min_age
    minimum_age = np.maximum(rule.value, target_retirement_age(born) + 1)
    return np.asarray(as_int(age_in_year) >= minimum_age, dtype=np.bool_)


def basic_deductions(
    income: npt.ArrayLike, year: int, increased: npt.ArrayLike, parameters: ParameterSet | None = None
) -> FloatArray:
    """Grundavdrag plus, where ``increased`` is true, förhöjt grundavdrag; never more than the income."""
    params = parameters or load_parameters()
    pbb = params.at("price_base_amount", year)
    yearly = as_float(income)
    x = yearly / pbb
    rule_set = _rule_set(year)
    basic = round_up(_piecewise(rule_set.basic_deduction, x) * pbb, 100.0)
    extra = round_up(_piecewise(rule_set.increased_deduction, x) * pbb, 100.0)
    total = basic + np.where(np.asarray(increased, dtype=np.bool_), extra, 0.0)
    return np.minimum(total, np.maximum(yearly, 0.0))


def income_tax(
    income: npt.ArrayLike,
    year: int,
    increased_deduction: npt.ArrayLike,
    municipal_tax_rate: npt.ArrayLike | None = None,
    parameters: ParameterSet | None = None,
) -> FloatArray:
    """Yearly tax on a yearly pension income; municipal rate per person (NaN or None: national average).

    ``increased_deduction`` says who gets förhöjt grundavdrag (see ``entitled_to_increased_deduction``).
    """
    params = parameters or load_parameters()
    yearly = np.maximum(as_float(income), 0.0)
    increased = np.asarray(increased_deduction, dtype=np.bool_)
    taxable = round_down(yearly - basic_deductions(yearly, year, increased, params), 100.0)
    average_rate = params.at("average_municipal_tax_rate", year)
    rate = np.full(yearly.shape, average_rate) if municipal_tax_rate is None else as_float(municipal_tax_rate)
    rate = np.where(np.isnan(rate), average_rate, rate)
    state_rate = rules().tax.state_tax_rate.value
    state_tax = state_rate * np.maximum(taxable - params.at("state_tax_threshold", year), 0.0)
    return np.asarray(rate * taxable + state_tax, dtype=np.float64)
