"""Pensionsgrundande belopp (pension credits): amounts the state pays the contribution on.

Legal reference: SFB 60 kap. Rules and sources in reference §1.3; amounts rounded down to 100 kr like PGI
(model convention, docs/decisions/0011). Credits for sickness/activity compensation (93 % of the assumed
income) are not implemented: the reference marks the mechanics unconfirmed.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import BoolArray, FloatArray, as_float, as_int
from pension_engine.parameters import ParameterSet, load_parameters, rules
from pension_engine.rounding import round_down


def child_year_credit(
    pensionable_income: npt.ArrayLike,
    pgi_year_before_birth: npt.ArrayLike,
    year: npt.ArrayLike,
    parameters: ParameterSet | None = None,
) -> FloatArray:
    """Barnår: the most favourable of three methods, for the birth year and the three following years.

    1. PGI in the year before the birth minus the current PGI;
    2. 75 % of the average PGI (medel-PGI) minus the current PGI;
    3. one income base amount (a flat top-up even if income did not fall).
    """
    params = parameters or load_parameters()
    rule = rules().pension_credits.child_years
    years = as_int(year)
    pgi = as_float(pensionable_income)
    comparison_income = as_float(pgi_year_before_birth) - pgi
    low_income = rule.average_pgi_share * params.take("average_pgi", years) - pgi
    flat_amount = rule.flat_income_base_amounts * params.take("income_base_amount", years)
    best = np.maximum(np.maximum(comparison_income, low_income), flat_amount)
    return round_down(np.maximum(best, 0.0), 100.0)


def study_credit(study_grant: npt.ArrayLike) -> FloatArray:
    """Studier: 138 % of the study grant (studiebidrag) received in the year."""
    factor = rules().pension_credits.studies.study_grant_factor
    return round_down(factor * np.maximum(as_float(study_grant), 0.0), 100.0)


def military_service_credit(
    service_days: npt.ArrayLike, year: npt.ArrayLike, parameters: ParameterSet | None = None
) -> FloatArray:
    """Plikttjänstgöring: 50 % of average PGI / 365 per day, if at least 120 days, service up to 2010."""
    params = parameters or load_parameters()
    rule = rules().pension_credits.military_service
    days = as_float(service_days)
    years = as_int(year)
    per_day = rule.average_pgi_share * params.take("average_pgi", years) / float(rule.days_per_year)
    eligible = (days >= float(rule.minimum_days)) & (years <= rule.last_year)
    return np.where(eligible, round_down(per_day * days, 100.0), 0.0)


def meets_earnings_condition(
    pgi_history: npt.ArrayLike, history_years: npt.ArrayLike, parameters: ParameterSet | None = None
) -> BoolArray:
    """Förvärvsvillkor: credits count only after five years with PGI of at least 2 income base amounts.

    ``pgi_history`` is persons × years; ``history_years`` the matching calendar years (before age 70).
    """
    params = parameters or load_parameters()
    rule = rules().pension_credits.earnings_condition
    history = np.atleast_2d(np.asarray(pgi_history, dtype=np.float64))
    limit = rule.income_base_amounts * params.take("income_base_amount", as_int(history_years))
    qualifying_years = (history >= limit[np.newaxis, :]).sum(axis=1)
    return np.asarray(qualifying_years >= rule.years, dtype=np.bool_)
