"""Premium-pension funds: AP7 Såfa for those who never chose, a small synthetic catalogue for the rest.

Each person's premium pension grows with their own funds (docs/decisions/0077, 0123):

- **Never chose** (about 45 %): AP7 Såfa, the default alternative — all in AP7 Aktiefond up to 55, then
  gliding to one third at 75, the rest in AP7 Räntefond. Their returns are the engine's default alternative
  by age (``pension_engine.default_fund``); the register passes NaN for them.
- **Chose** (about 55 %): one to five funds (the most the fund marketplace allows) from a catalogue of
  synthetic funds whose names say they are examples, with shares drawn per person, among the funds launched
  by then (before any was, the person's capital followed AP7 Såfa). Their yearly return is the chosen
  funds' returns weighted by the shares, the portfolio being brought back to those shares at each year's end.

Who chose what is a pure function of the personal number (a SplitMix64 hash), so a rerun of the statement
run writes the same holdings and values. Each fund's yearly return (``fund_return``) is a documented,
plausible synthetic series: AP7 Aktiefond is the engine's equity series and AP7 Räntefond the engine's
fixed-income return; a synthetic fund takes the PPM index (the marketplace's average fund, net of its fees)
scaled by the fund's risk on its equity share and the fixed-income return on the rest, less its own fee.
Unit prices start at 100 kr at the end of a fund's launch year. Fees are illustrative, not any real fund's.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

import numpy as np

from pension_engine.arrays import FloatArray, IntArray
from pension_engine.default_fund import equity_share
from pension_engine.parameters import FIRST_YEAR, economic_series, load_parameters, rules

MAX_FUNDS = 5
NEVER_CHOSE_SHARE = 0.45
FUND_COUNT_WEIGHTS = (0.30, 0.25, 0.20, 0.15, 0.10)  # one to five funds
FIRST_FUNDED_YEAR = 1999  # premium-pension capital was first invested in funds in 1999
LAUNCH_PRICE = 100.0
HASH_SCALE = float(2**64)


@dataclasses.dataclass(frozen=True)
class Fund:
    """A fund on the (synthetic) fund marketplace: id, name, yearly fee (%), equity share, risk, launch year."""

    fund_id: str
    name: str
    fee_percent: float
    equity_share: float
    risk: float
    launched: int


AP7_EQUITY = Fund("AP7-AKTIE", "AP7 Aktiefond", 0.05, 1.0, 1.0, 2000)
AP7_FIXED_INCOME = Fund("AP7-RANTA", "AP7 Räntefond", 0.03, 0.0, 1.0, 2010)
CHOSEN_FUNDS = (
    Fund("SYN-1001", "Exempelfond Global Index (syntetisk)", 0.20, 1.0, 1.0, 2000),
    Fund("SYN-1002", "Exempelfond Sverige (syntetisk)", 0.45, 1.0, 1.15, 2000),
    Fund("SYN-1003", "Exempelfond Tillväxtmarknader (syntetisk)", 0.65, 1.0, 1.3, 2004),
    Fund("SYN-1004", "Exempelfond Hållbar Global (syntetisk)", 0.35, 0.9, 1.0, 2012),
    Fund("SYN-1005", "Exempelfond Balanserad (syntetisk)", 0.30, 0.5, 1.0, 2003),
    Fund("SYN-1006", "Exempelfond Räntor Kort (syntetisk)", 0.10, 0.0, 1.0, 2000),
    Fund("SYN-1007", "Exempelfond Generation 60-tal (syntetisk)", 0.25, 0.6, 1.0, 2001),
    Fund("SYN-1008", "Exempelfond Teknik (syntetisk)", 0.80, 1.0, 1.4, 2008),
)
FUNDS = (AP7_EQUITY, AP7_FIXED_INCOME, *CHOSEN_FUNDS)
_AP7_EQUITY_INDEX, _AP7_FIXED_INDEX, _FIRST_CHOSEN = 0, 1, 2


def _fixed_income_return() -> float:
    return rules().default_fund.fixed_income_return.value


@functools.cache
def fund_return(fund: Fund, year: int) -> float:
    """The fund's return in ``year``, net of its fee (0 before it existed, NaN after the published data)."""
    if year <= fund.launched or year < FIRST_FUNDED_YEAR:
        return 0.0
    published = economic_series()["premium_pension_index_return"].values
    if year not in published:
        return float("nan")
    if fund is AP7_EQUITY:
        return float(load_parameters().series("premium_pension_return")[year - FIRST_YEAR])
    if fund is AP7_FIXED_INCOME:
        return _fixed_income_return()
    marketplace = published[year].value
    change = fund.equity_share * fund.risk * marketplace + (1.0 - fund.equity_share) * _fixed_income_return()
    return max(change - fund.fee_percent / 100.0, -0.95)


@functools.cache
def unit_price(fund: Fund, year: int) -> float:
    """The fund's net asset value per unit at the end of ``year`` (100 kr at the end of its launch year)."""
    price = LAUNCH_PRICE
    for each in range(fund.launched + 1, year + 1):
        price *= 1.0 + fund_return(fund, each)
    return round(price, 4)


def _hash(values: IntArray, salt: int) -> FloatArray:
    """Uniform numbers in [0, 1) from integers: SplitMix64 of value + salt (the same every run)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return np.asarray(z.astype(np.float64) / HASH_SCALE)


@dataclasses.dataclass(frozen=True)
class Allocation:
    """Each person's capital split over funds: persons × funds (``FUNDS`` order), in öre, summing exactly."""

    ore: FloatArray


@dataclasses.dataclass(frozen=True)
class _Choices:
    """Who chose funds, and each chooser's shares over ``CHOSEN_FUNDS`` (0 for funds not chosen)."""

    chose: np.ndarray
    shares: FloatArray

    @classmethod
    def of(cls, personal_number: IntArray) -> _Choices:
        chose = _hash(personal_number, 1) >= NEVER_CHOSE_SHARE
        count = 1 + np.searchsorted(np.cumsum(FUND_COUNT_WEIGHTS), _hash(personal_number, 2), side="right")
        count = np.minimum(count, MAX_FUNDS)
        keys = np.stack([_hash(personal_number, 10 + k) for k in range(len(CHOSEN_FUNDS))], axis=1)
        rank = np.argsort(np.argsort(keys, axis=1), axis=1)  # each fund's place in the person's own order
        picked = rank < count[:, np.newaxis]
        shares = 0.2 + np.stack([_hash(personal_number, 30 + k) for k in range(len(CHOSEN_FUNDS))], axis=1)
        return cls(chose=chose, shares=np.where(chose[:, np.newaxis] & picked, shares, 0.0))

    def weights(self, year: int) -> FloatArray:
        """Each chooser's weights in ``year`` over the chosen funds launched by then (all 0: none yet)."""
        launched = np.array([fund.launched <= year for fund in CHOSEN_FUNDS])
        return np.asarray(np.where(launched[np.newaxis, :], self.shares, 0.0))


def allocation(personal_number: IntArray, age: IntArray, capital: FloatArray, year: int = 9999) -> Allocation:
    """How each person's capital at the end of ``year`` is split over the funds (launched by then)."""
    persons = personal_number.size
    total = np.rint(np.maximum(capital, 0.0) * 100.0)
    weights = np.zeros((persons, len(FUNDS)))
    chosen = _Choices.of(personal_number).weights(year)
    in_safa = chosen.sum(axis=1) == 0
    equity = equity_share(age)
    weights[:, _AP7_EQUITY_INDEX] = np.where(in_safa, equity, 0.0)
    weights[:, _AP7_FIXED_INDEX] = np.where(in_safa, 1.0 - equity, 0.0)
    weights[:, _FIRST_CHOSEN:] = chosen
    # Round the running total, not each part: the parts are never negative and add up to the öre.
    running = np.rint(total[:, np.newaxis] * np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True))
    running[:, -1] = total
    return Allocation(ore=np.diff(running, axis=1, prepend=0.0))


def portfolio_returns(personal_number: IntArray, first_statement_year: int, last_statement_year: int) -> FloatArray:
    """Each person's premium-pension return in each statement year (persons × years), net of fund fees.

    NaN for whoever held AP7 Såfa that year (the engine's default alternative by age applies); a chooser's
    return is the chosen funds' returns weighted by their shares among the funds that existed at the start
    of the year (each year's end rebalances to those shares).
    """
    years = range(first_statement_year, last_statement_year + 1)
    out = np.full((personal_number.size, len(years)), np.nan)
    choices = _Choices.of(personal_number)
    for column, year in enumerate(years):
        if year < FIRST_FUNDED_YEAR:
            continue
        weights = choices.weights(year - 1)
        total = weights.sum(axis=1)
        returns = np.array([fund_return(fund, year) for fund in CHOSEN_FUNDS])
        own = weights @ returns / np.where(total > 0, total, 1.0)
        out[:, column] = np.where(total > 0, own, np.nan)
    return out


def holding_rows(
    ids: IntArray, personal_number: IntArray, birth_year: IntArray, year: int, capital: FloatArray
) -> Iterator[tuple[Any, ...]]:
    """Rows for ``FundHolding`` at 31 December of ``year``: one per fund a person holds a value in."""
    ore = allocation(personal_number, year - birth_year, capital, year).ore
    valued_on = f"{year:04d}-12-31"
    prices = [unit_price(fund, year) for fund in FUNDS]
    person_index, fund_index = np.nonzero(ore > 0)
    values = (ore[person_index, fund_index] / 100.0).tolist()
    for person_id, fund_at, value in zip(ids[person_index].tolist(), fund_index.tolist(), values, strict=True):
        fund, price = FUNDS[fund_at], prices[fund_at]
        yield (
            person_id,
            fund.fund_id,
            fund.name,
            f"{value / price:.4f}",
            f"{price:.4f}",
            f"{value:.2f}",
            f"{fund.fee_percent:.3f}",
            valued_on,
        )
