"""Requirement: premium-pension fund holdings have a realistic spread (decision 0077) — AP7 Såfa for those
who never chose, one to five clearly synthetic funds with fees for the rest — chosen the same way on every
run, valued at unit prices that follow the return series, and adding up to the account to the öre.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.db.models import Sum

from backoffice.register.models import AccountStatement, FundHolding
from backoffice.statements import run as statements
from backoffice.statements.funds import (
    AP7_EQUITY,
    AP7_FIXED_INCOME,
    CHOSEN_FUNDS,
    FUNDS,
    MAX_FUNDS,
    allocation,
    fund_return,
    holding_rows,
    portfolio_returns,
    unit_price,
)
from backoffice.synthetic.seed import population_seed
from pension_engine.default_fund import equity_share
from pension_engine.parameters import FIRST_YEAR, economic_series, load_parameters

NUMBERS = np.arange(196_001_019_900, 196_001_019_900 + 20_000, dtype=np.int64)


def test_each_persons_capital_is_split_exactly_over_at_most_five_funds() -> None:
    capital = np.random.default_rng(3).uniform(0, 2_000_000, NUMBERS.size)
    capital[:10] = [0.0, 0.01, 0.03, 0.05, 0.07, 1.0, 12.34, 5.0, 0.02, 99.99]
    ore = allocation(NUMBERS, np.full(NUMBERS.size, 50), capital).ore
    assert np.all(ore >= 0)
    assert np.array_equal(ore.sum(axis=1), np.rint(capital * 100))
    assert np.all((ore > 0).sum(axis=1) <= MAX_FUNDS)


def test_about_half_never_chose_and_hold_ap7_safa_by_age() -> None:
    age = np.where(NUMBERS % 2 == 0, 40, 75)
    ore = allocation(NUMBERS, age, np.full(NUMBERS.size, 100_000.0)).ore
    in_safa = ore[:, :2].sum(axis=1) > 0
    assert 0.40 < in_safa.mean() < 0.50
    assert not np.any(in_safa & (ore[:, 2:].sum(axis=1) > 0))  # Såfa savers hold nothing else
    young, old = in_safa & (age == 40), in_safa & (age == 75)
    assert np.all(ore[young, 1] == 0)  # all in equities at 40
    assert ore[old, 0] / 10_000_000 == pytest.approx(np.full(old.sum(), 1 / 3), abs=1e-6)
    counts = (ore[~in_safa] > 0).sum(axis=1)
    assert set(counts.tolist()) == {1, 2, 3, 4, 5}
    chosen_funds = {FUNDS[i].fund_id for i in np.flatnonzero(ore[~in_safa].sum(axis=0))}
    assert chosen_funds == {fund.fund_id for fund in CHOSEN_FUNDS}
    assert equity_share(np.array([55, 65, 75]))[1] == pytest.approx(2 / 3)


def test_the_choice_is_the_same_on_every_run_and_differs_between_people() -> None:
    capital = np.full(NUMBERS.size, 50_000.0)
    first = allocation(NUMBERS, np.full(NUMBERS.size, 45), capital).ore
    again = allocation(NUMBERS, np.full(NUMBERS.size, 45), capital).ore
    assert np.array_equal(first, again)
    assert len({tuple(row) for row in (first[:200] > 0).tolist()}) > 20


def test_funds_are_clearly_synthetic_with_fees_and_prices_from_the_return_series() -> None:
    for fund in CHOSEN_FUNDS:
        assert "(syntetisk)" in fund.name
        assert fund.fund_id.startswith("SYN-")
        assert 0 < fund.fee_percent < 1
    assert {AP7_EQUITY.name, AP7_FIXED_INCOME.name} == {"AP7 Aktiefond", "AP7 Räntefond"}
    returns = load_parameters().series("premium_pension_return")
    change = unit_price(AP7_EQUITY, 2024) / unit_price(AP7_EQUITY, 2023)
    assert change == pytest.approx(1 + returns[2024 - FIRST_YEAR], abs=1e-5)  # the series is net of its fee
    assert unit_price(AP7_FIXED_INCOME, 2025) / unit_price(AP7_FIXED_INCOME, 2024) == pytest.approx(1.02, abs=1e-5)
    assert unit_price(CHOSEN_FUNDS[0], CHOSEN_FUNDS[0].launched) == 100.0
    assert len({unit_price(fund, 2025) for fund in FUNDS}) == len(FUNDS)


def test_each_synthetic_fund_has_its_own_documented_series() -> None:
    # PPM index × risk on the equity share, the fixed-income return on the rest, less the fund's fee.
    marketplace = economic_series()["premium_pension_index_return"].values
    for fund in CHOSEN_FUNDS:
        for year in (fund.launched + 1, 2022, 2024):
            expected = (
                fund.equity_share * fund.risk * marketplace[year].value
                + (1 - fund.equity_share) * 0.02
                - fund.fee_percent / 100
            )
            assert fund_return(fund, year) == pytest.approx(expected)
        assert fund_return(fund, fund.launched) == 0.0  # no return before it existed
    # 2022 was a bad year for equities, 2023 a good one: the riskier fund moves more both ways.
    sweden, technology = CHOSEN_FUNDS[1], CHOSEN_FUNDS[7]
    assert fund_return(technology, 2022) < fund_return(sweden, 2022) < 0 < fund_return(sweden, 2023)
    assert fund_return(technology, 2023) > fund_return(sweden, 2023)


def test_a_choosers_return_is_their_funds_weighted_and_savers_in_safa_take_the_default() -> None:
    numbers = NUMBERS[:400]
    returns = portfolio_returns(numbers, 1998, 2025)
    assert np.all(np.isnan(returns[:, 0]))  # 1998: no funds yet
    chose = ~np.isnan(returns[:, -1])
    assert 0.5 < chose.mean() < 0.6
    ore = allocation(numbers, np.full(numbers.size, 40), np.full(numbers.size, 1_000_000.0), 2024).ore
    weights = ore[:, 2:] / ore[:, 2:].sum(axis=1, keepdims=True).clip(1)
    expected = weights @ np.array([fund_return(fund, 2025) for fund in CHOSEN_FUNDS])
    assert returns[chose, -1] == pytest.approx(expected[chose], abs=1e-7)
    assert np.all(ore[~chose, 2:] == 0)  # the others hold AP7 Såfa


def test_rows_value_units_at_the_unit_price() -> None:
    rows = list(holding_rows(np.array([7, 8]), NUMBERS[:2], np.array([1980, 1950]), 2025, np.array([1000.0, 0.0])))
    assert {row[0] for row in rows} == {7}
    assert sum(Decimal(row[5]) for row in rows) == Decimal("1000.00")
    for row in rows:
        units, price = float(row[3]), float(row[4])
        assert units * price == pytest.approx(float(row[5]), abs=0.00005 * price + 0.005)  # units to 4 decimals
        assert row[7] == "2025-12-31"


@pytest.mark.django_db(databases=["backoffice"])
def test_after_the_run_every_persons_holdings_add_up_to_the_premium_pension_account() -> None:
    population_seed(300, 23)
    statements.run_statements(2025)
    closing = dict(
        AccountStatement.objects.filter(year=2025, account="premium_pension").values_list("person", "closing_value")
    )
    held = dict(FundHolding.objects.values("person").annotate(total=Sum("value")).values_list("person", "total"))
    assert closing
    for person, value in closing.items():
        assert held.get(person, Decimal(0)) == max(value, Decimal(0)), person
    assert FundHolding.objects.exclude(fund_id__startswith="AP7").exists()
    assert FundHolding.objects.filter(fund_id__startswith="AP7").exists()
