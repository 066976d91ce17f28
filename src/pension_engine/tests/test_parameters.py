"""Requirement: parameters are dated data with a source and a confidence mark (issue 3, rule 1).

The rules are read once into frozen records, and a missing or mistyped key fails at load, naming the file
and the key (issue 13, item 7). The base amounts follow the reference's formulas (§2.6) for 2010–2026, and
future years are projected by them.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from pension_engine.parameters import FIRST_YEAR, ParameterError, Rules, economic_series, load_parameters, rules
from pension_engine.parameters.loader import PARAMETER_DIR, read_parameter_file

CONFIDENCE = {"confirmed", "model", "unconfirmed"}


def test_every_economic_value_has_a_source_and_a_confidence_mark() -> None:
    for series in economic_series().values():
        for item in series.values.values():
            assert item.source
            assert item.confidence in CONFIDENCE


def test_every_rule_period_has_a_source_and_a_confidence_mark() -> None:
    typed = rules()
    for section in (typed.pensionable_income, typed.pension_rights, typed.guarantee_pension):
        for period in section.periods:
            assert period.source
            assert period.confidence in CONFIDENCE
    for periods in msgspec.structs.astuple(typed.ages):
        for period in periods:
            assert period.source
            assert period.confidence in CONFIDENCE


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


RULES_TEXT = (PARAMETER_DIR / "rules.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  reduction_rate: 0.48\n", "", "missing required field `reduction_rate` - at `$.guarantee_pension`"),
        ("reduction_rate: 0.48", "reduction_rate: high", "float`, got `str` - at `$.guarantee_pension.reduction_rate`"),
        ("best_years: 15", "best_year: 15", "unknown field `best_year` - at `$.supplementary_pension`"),
        ("(riktålder 67 − 3)\", confidence: confirmed", "(riktålder 67 − 3)\", confidence: sure",
         "Invalid enum value 'sure' - at `$.ages.lowest_withdrawal_age_by_year[3].confidence`"),
        ("- {from: 2026, value: 64,", "- {from: 2022, value: 64,", "periods must be ordered by their start"),
    ],
)  # fmt: skip
def test_a_malformed_rules_file_fails_at_load_naming_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert RULES_TEXT.count(old) == 1
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_TEXT.replace(old, new), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"^rules\.yaml: ") as raised:
        read_parameter_file(path, Rules)
    assert message in str(raised.value)


def test_the_rules_are_frozen() -> None:
    with pytest.raises(AttributeError):
        rules().guarantee_pension.reduction_rate = 0.5  # type: ignore[misc]
