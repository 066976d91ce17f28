"""Requirement: parameters are dated data with a source and a confidence mark (issue 3, rule 1).

The base amounts follow the reference's formulas (§2.6) for 2010–2026, and future years are projected by them.
"""

from __future__ import annotations

import pytest

from pension_engine.parameters import FIRST_YEAR, economic_series, load_parameters, rules

CONFIDENCE = {"confirmed", "model", "unconfirmed"}


def test_every_economic_value_has_a_source_and_a_confidence_mark() -> None:
    for series in economic_series().values():
        for item in series.values.values():
            assert item.source
            assert item.confidence in CONFIDENCE


def test_every_rule_period_has_a_source_and_a_confidence_mark() -> None:
    for section in ("pensionable_income", "pension_rights", "guarantee_pension"):
        for period in rules()[section]["periods"]:
            assert period["source"]
            assert period["confidence"] in CONFIDENCE
    for periods in rules()["ages"].values():
        for period in periods:
            assert period["source"]
            assert period["confidence"] in CONFIDENCE


def test_series_start_in_1960() -> None:
    series = economic_series()
    for name in ("price_base_amount", "income_base_amount", "income_index", "average_pgi"):
        assert series[name].first_year == FIRST_YEAR


@pytest.mark.parametrize("year", range(2010, 2027))
def test_base_amount_formulas_reproduce_the_published_amounts(year: int) -> None:
    series = economic_series()
    cpi_june = series["cpi_june"].values[year - 1].value
    income_index = series["income_index"].values[year].value
    assert round(36_396 * cpi_june / 257.38, -2) == series["price_base_amount"].values[year].value
    assert round(37_144 * cpi_june / 257.38, -2) == series["increased_price_base_amount"].values[year].value
    assert round(43_313 * income_index / 118.41, -2) == series["income_base_amount"].values[year].value


def test_projection_from_an_earlier_year_reproduces_the_next_base_amounts_by_formula() -> None:
    # A forecast made in 2020 projects 2021 with zero inflation from the June 2019 CPI.
    params = load_parameters(2021)
    assert params.at("price_base_amount", 2020) == 47_300
    assert params.at("price_base_amount", 2021) == 47_300
    assert params.at("income_base_amount", 2021) == params.at("income_base_amount", 2020)
