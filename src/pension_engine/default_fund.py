"""The premium pension's default alternative (förvalsalternativet): AP7 Såfa's glide path by age.

Legal reference: SFB 64 kap. (premiepension; the default alternative managed by the Seventh AP Fund). From
May 2010 AP7 Såfa holds AP7 Aktiefond and AP7 Räntefond: all in AP7 Aktiefond up to 55, then 3–4 points a
year less equity to one third at 75 (ap7.se, 2024). Before 2010 the default was Premiesparfonden, one fund for
every age. The equity return is the ``premium_pension_return`` series; AP7 Räntefond's yearly returns are
not in the reference, so rules.yaml's ``default_fund.fixed_income_return`` (2 % a year, unconfirmed) stands
for them (docs/decisions/0123).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.parameters import FIRST_YEAR, ParameterSet, load_parameters, rules


def equity_share(age: npt.ArrayLike) -> FloatArray:
    """AP7 Såfa's share in AP7 Aktiefond at an age: 1 up to 55, falling evenly to one third at 75."""
    rule = rules().default_fund
    ages = as_float(age)
    span = float(rule.final_age - rule.full_equity_until_age)
    falling = 1.0 - (ages - rule.full_equity_until_age) * (1.0 - rule.final_equity_share) / span
    return np.asarray(np.clip(falling, rule.final_equity_share, 1.0))


def default_fund_return(birth_year: npt.ArrayLike, year: int, parameters: ParameterSet | None = None) -> FloatArray:
    """The default alternative's return in ``year`` for each saver's cohort (net of fund fees).

    From 2010 AP7 Såfa: the equity share of the age reached that year in AP7 Aktiefond, the rest in AP7
    Räntefond; before 2010 Premiesparfonden for every age; projected years the forecast standard's return.
    """
    params = parameters or load_parameters()
    rule = rules().default_fund
    born = as_int(birth_year)
    equity = float(params.series("premium_pension_return")[year - FIRST_YEAR])
    if year < rule.first_year or year >= params.projection_start:
        return np.full(born.shape, equity)
    share = equity_share(year - born)
    return np.asarray(share * equity + (1.0 - share) * rule.fixed_income_return.value)
