"""Yearly parameter arrays: actual data up to a year, projected by documented rules after it.

Projection rules (reference §2.6, docs/decisions/0012):

- inkomstindex I(t) = I(t−1) · (1 + real wage growth) · (1 + inflation);
- KPI (June) K(t) = K(t−1) · (1 + inflation);
- prisbasbelopp PBB(t) = round₁₀₀(36 396 · K(t−1) / 257.38), förhöjt FPB(t) = round₁₀₀(37 144 · K(t−1) / 257.38);
- inkomstbasbelopp IBB(t) = round₁₀₀(43 313 · I(t) / 118.41);
- the applicable index follows the income index (balance ratio 1: no balancing in forecasts);
- average PGI and the state-tax threshold follow the income index;
- cost factors and fees stay at their last actual value; premium-pension return is the assumption.

Under the forecast standard (inflation 0, real growth 0) every base amount stays at its last actual value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from pension_engine.arrays import FloatArray, IntArray
from pension_engine.parameters.loader import ParameterError, economic_series, forecast_standard

FIRST_YEAR = 1960
LAST_YEAR = 2140
# Premium-pension capital was first invested in funds in 1999; the 1995–1998 reserve is kept at par.
FIRST_FUNDED_YEAR = 1999
PBB_ANCHOR, FPB_ANCHOR, CPI_DIVISOR = 36_396.0, 37_144.0, 257.38
IBB_ANCHOR, INCOME_INDEX_DIVISOR = 43_313.0, 118.41


@dataclass(frozen=True)
class Assumptions:
    """Economic assumptions for the projected years (defaults: the forecast standard of rules.yaml)."""

    inflation: float = field(default_factory=lambda: forecast_standard().inflation.value)
    real_wage_growth: float = field(default_factory=lambda: forecast_standard().real_wage_growth.value)
    premium_pension_real_return: float = field(
        default_factory=lambda: forecast_standard().premium_pension_real_return.value
    )
    premium_pension_fund_fee: float = field(default_factory=lambda: forecast_standard().premium_pension_fund_fee.value)


def _round_hundred(values: float) -> float:
    return float(np.floor(values / 100.0 + 0.5) * 100.0)


class ParameterSet:
    """Yearly parameter arrays from 1960 to 2140; years from ``projection_start`` on are projected."""

    def __init__(self, projection_start: int, assumptions: Assumptions) -> None:
        self.projection_start = projection_start
        self.assumptions = assumptions
        self.years = np.arange(FIRST_YEAR, LAST_YEAR + 1, dtype=np.int64)
        self._arrays: dict[str, FloatArray] = {}
        self._build()

    def _fill(self, name: str, *, cutoff: int | None = None) -> FloatArray:
        """Actual values before ``cutoff`` (default: the projection start), NaN elsewhere."""
        cutoff = self.projection_start if cutoff is None else cutoff
        out = np.full(self.years.size, np.nan)
        for year, item in economic_series()[name].values.items():
            if FIRST_YEAR <= year < cutoff:
                out[year - FIRST_YEAR] = item.value
        self._arrays[name] = out
        return out

    def _carry_forward(self, name: str, before_first: float, cutoff: int | None = None) -> None:
        """Actual values, the last one carried forward, ``before_first`` before the first one."""
        out = self._fill(name, cutoff=cutoff)
        known = np.flatnonzero(~np.isnan(out))
        out[: known[0]] = before_first
        for index in range(known[0] + 1, out.size):
            if np.isnan(out[index]):
                out[index] = out[index - 1]

    def _build(self) -> None:
        growth = (1.0 + self.assumptions.real_wage_growth) * (1.0 + self.assumptions.inflation)
        income_index = self._fill("income_index")
        # The June CPI of the start year is not yet known in January: it is projected too.
        cpi = self._fill("cpi_june", cutoff=self.projection_start - 1)
        pbb = self._fill("price_base_amount")
        fpb = self._fill("increased_price_base_amount")
        ibb = self._fill("income_base_amount")
        average_pgi = self._fill("average_pgi")
        threshold = self._fill("state_tax_threshold")
        balance_index = self._fill("balance_index")
        for index in range(1, self.years.size):
            year = int(self.years[index])
            if np.isnan(income_index[index]):
                income_index[index] = income_index[index - 1] * growth
            wage_step = income_index[index] / income_index[index - 1]
            if np.isnan(cpi[index]) and year > 1980:
                cpi[index] = cpi[index - 1] * (1.0 + self.assumptions.inflation)
            if np.isnan(pbb[index]):
                pbb[index] = _round_hundred(PBB_ANCHOR * cpi[index - 1] / CPI_DIVISOR)
            if np.isnan(fpb[index]):
                fpb[index] = _round_hundred(FPB_ANCHOR * cpi[index - 1] / CPI_DIVISOR)
            if np.isnan(ibb[index]):
                ibb[index] = _round_hundred(IBB_ANCHOR * income_index[index] / INCOME_INDEX_DIVISOR)
            if np.isnan(average_pgi[index]):
                average_pgi[index] = average_pgi[index - 1] * wage_step
            if np.isnan(threshold[index]) and year > 1980:
                threshold[index] = threshold[index - 1] * wage_step
        applicable = np.where(np.isnan(balance_index), income_index, balance_index)
        self._arrays["applicable_index"] = self._chain_projected_index(applicable, income_index)
        self._carry_forward("income_pension_cost_factor", before_first=1.0)
        self._carry_forward("premium_pension_admin_fee", before_first=0.0)
        # Tax rates are known data, not forecasts: all published years are used (docs/decisions/0017).
        self._carry_forward("average_municipal_tax_rate", before_first=float("nan"), cutoff=LAST_YEAR + 1)
        self._backfill_municipal_rate()
        returns = self._fill("premium_pension_return")
        projected_return = (1.0 + self.assumptions.premium_pension_real_return) * (
            1.0 + self.assumptions.inflation
        ) - 1.0
        funded = self.years >= FIRST_FUNDED_YEAR
        is_projected = funded & ((self.years >= self.projection_start) | np.isnan(returns))
        self._arrays["premium_pension_return"] = np.where(
            is_projected, projected_return, np.nan_to_num(returns, nan=0.0)
        )
        self._arrays["premium_pension_fee"] = self._arrays["premium_pension_admin_fee"] + np.where(
            is_projected, self.assumptions.premium_pension_fund_fee, 0.0
        )

    def _backfill_municipal_rate(self) -> None:
        """Before the first published average rate, use the first one (docs/decisions/0017)."""
        rate = self._arrays["average_municipal_tax_rate"]
        rate[np.isnan(rate)] = rate[~np.isnan(rate)][0]

    def _chain_projected_index(self, applicable: FloatArray, income_index: FloatArray) -> FloatArray:
        chained = applicable.copy()
        start = self.projection_start - FIRST_YEAR
        for index in range(max(start, 1), chained.size):
            chained[index] = chained[index - 1] * income_index[index] / income_index[index - 1]
        return chained

    def series(self, name: str) -> FloatArray:
        """The whole yearly array of a parameter (index = year − 1960), read-only."""
        view = self._arrays[name].view()
        view.flags.writeable = False
        return view

    def at(self, name: str, year: int) -> float:
        """One parameter in one year; raises ParameterError outside 1960–2140 or where no value exists."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ParameterError(f"year {year} is outside the parameter data ({FIRST_YEAR}–{LAST_YEAR})")
        value = float(self._arrays[name][year - FIRST_YEAR])
        if np.isnan(value):
            raise ParameterError(f"no {name} for {year}")
        return value

    def take(self, name: str, years: IntArray) -> FloatArray:
        """A parameter gathered for an array of years (one per person)."""
        return self._arrays[name][np.clip(years, FIRST_YEAR, LAST_YEAR) - FIRST_YEAR]


@functools.cache
def load_parameters(projection_start: int | None = None, assumptions: Assumptions | None = None) -> ParameterSet:
    """The parameter set with actual data before ``projection_start`` (default: all data) and projections after."""
    if projection_start is None:
        projection_start = economic_series()["price_base_amount"].last_year + 1
    return ParameterSet(projection_start, assumptions or Assumptions())


def last_actual_year() -> int:
    """The last year with published base amounts (the end of "the data" for the CLI)."""
    return economic_series()["price_base_amount"].last_year
