"""Requirement: the engine reproduces the reference's published figures exactly (issue 3, "Done when").

Runs the specialist-readable scenario files in ``scenarios/``; each file names its source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from pension_engine import retirement_ages
from pension_engine.annuity_divisor import income_pension_divisor, premium_pension_divisor
from pension_engine.cli import command_parameters
from pension_engine.guarantee_pension import guarantee_pension, scaled_levels, upper_limit
from pension_engine.income_pension_account import income_pension_statements
from pension_engine.income_pension_supplement import income_pension_supplement
from pension_engine.indexation import balance_index, dampened_balance_ratio, income_pension_change_percent
from pension_engine.parameters import economic_series
from pension_engine.pension_credits import child_year_credit, military_service_credit, study_credit
from pension_engine.pension_rights import new_system_share, pension_rights
from pension_engine.pensionable_income import fee_ceiling, pensionable_income, pgi_ceiling, pgi_floor
from pension_engine.supplementary_pension import supplementary_pension_at_normal_age
from pension_engine.tax import basic_deductions, income_tax
from pension_engine.withdrawal import income_pension_annual, index_in_payment, monthly_amount

SCENARIOS = Path(__file__).parent / "scenarios"


def load(name: str) -> dict[str, Any]:
    with (SCENARIOS / name).open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


def case_id(case: dict[str, Any]) -> str:
    return str(case.get("name") or ", ".join(f"{key}={value}" for key, value in case.items()))


@pytest.mark.parametrize("case", load("base_amounts.yaml")["cases"], ids=case_id)
def test_parameters_of_a_year(case: dict[str, Any]) -> None:
    class Args:
        year = case["year"]

    answer = command_parameters(Args())  # type: ignore[arg-type]
    for key, expected in case.items():
        assert answer[key] == expected, key


@pytest.mark.parametrize("case", load("pensionable_income.yaml")["limits"], ids=case_id)
def test_published_limits(case: dict[str, Any]) -> None:
    year = case["year"]
    computed = {"pgi_floor": pgi_floor(year), "fee_ceiling": fee_ceiling(year), "pgi_ceiling": pgi_ceiling(year)}
    for key, function_value in computed.items():
        if key in case:
            assert float(function_value[0]) == case[key], key


@pytest.mark.parametrize("case", load("pensionable_income.yaml")["cases"], ids=case_id)
def test_pensionable_income_and_rights(case: dict[str, Any]) -> None:
    pgi = pensionable_income(case["income"], case["year"])
    rights = pension_rights(pgi.pensionable_income, case["year"])
    computed = {
        "general_pension_fee": pgi.general_pension_fee[0],
        "pensionable_income": pgi.pensionable_income[0],
        "income_pension_right": rights.income_pension_right[0],
        "premium_pension_right": rights.premium_pension_right[0],
    }
    for key, value in computed.items():
        if key in case:
            assert value == case[key], key


@pytest.mark.parametrize("case", load("guarantee_pension.yaml")["cases"], ids=case_id)
def test_guarantee_pension(case: dict[str, Any]) -> None:
    yearly = guarantee_pension(
        12 * case["income_based_pension_monthly"],
        case["year"],
        case["civil_status"] == "married",
        case["residence_years"],
    )
    assert yearly[0] / 12 == pytest.approx(case["monthly"], abs=0.005)


@pytest.mark.parametrize("case", load("guarantee_pension.yaml")["upper_limits"], ids=case_id)
def test_guarantee_pension_upper_limit(case: dict[str, Any]) -> None:
    limit = upper_limit(case["year"], case["civil_status"] == "married", case["residence_years"])
    assert limit[0] / 12 == pytest.approx(case["monthly"], abs=0.005)


@pytest.mark.parametrize("case", load("guarantee_pension.yaml")["thresholds"], ids=case_id)
def test_guarantee_pension_threshold(case: dict[str, Any]) -> None:
    levels = scaled_levels(case["year"], case["civil_status"] == "married", case["residence_years"], None)
    assert levels["threshold"][0] / 12 == pytest.approx(case["monthly"], abs=0.005)


@pytest.mark.parametrize("case", load("indexation.yaml")["published_changes"], ids=case_id)
def test_published_indexation_rounded_to_one_decimal(case: dict[str, Any]) -> None:
    assert round(income_pension_change_percent(case["year"]), 1) == case["percent"]


@pytest.mark.parametrize("case", load("indexation.yaml")["table_changes"], ids=case_id)
def test_indexation_table(case: dict[str, Any]) -> None:
    assert round(income_pension_change_percent(case["year"]), 2) == case["percent"]


def test_balance_index_is_rebuilt_from_balance_ratios() -> None:
    spec = load("indexation.yaml")["balance_index"]
    series = economic_series()
    income_index = {year: item.value for year, item in series["income_index"].values.items()}
    ratios = {year: item.value for year, item in series["balance_ratio_workbook"].values.items()}
    assert balance_index(income_index, ratios, spec["start"], spec["end"]) == spec["expected"]


ACCOUNT_CHANGES = load("indexation.yaml")["account_value_changes"]


def value_change_percent(year: int) -> float:
    """The value change of a saver's income-pension account in ``year``, in percent of what it applies to."""
    statements = income_pension_statements([[100_000.0] * (year - 1999)], 2000, 1970)
    statement = statements[year]
    base = statement.opening_value[0] + statement.new_rights[0] + statement.inheritance_gains[0]
    return float(statement.value_change[0] / base * 100)


@pytest.mark.parametrize("case", ACCOUNT_CHANGES["published"], ids=case_id)
def test_published_value_changes_of_the_account(case: dict[str, Any]) -> None:
    assert value_change_percent(case["year"]) == pytest.approx(case["percent"], abs=case["tolerance"])


def test_every_years_value_change_is_the_index_decided_for_the_next_year() -> None:
    # G is the balance index while balancing was active (2010–2017), else the income index, read straight
    # from the data file rather than from the engine's own arrays.
    series = economic_series()
    income_index = {year: item.value for year, item in series["income_index"].values.items()}
    balance = {year: item.value for year, item in series["balance_index"].values.items()}
    applicable = {year: balance.get(year, value) for year, value in income_index.items()}
    for year in range(ACCOUNT_CHANGES["every_year"]["first"], ACCOUNT_CHANGES["every_year"]["last"] + 1):
        expected = (applicable[year + 1] / applicable[year] - 1) * 100
        assert value_change_percent(year) == pytest.approx(expected, abs=1e-9), year


@pytest.mark.parametrize("case", load("indexation.yaml")["dampened_balance_ratio"], ids=case_id)
def test_dampened_balance_ratio(case: dict[str, Any]) -> None:
    assert round(dampened_balance_ratio(case["official"]), 4) == case["dampened"]


def test_published_income_pension_divisors() -> None:
    spec = load("annuity_divisors.yaml")
    for cohort, row in spec["cohorts"].items():
        computed = income_pension_divisor(np.full(len(row), cohort), spec["ages"])
        assert computed.tolist() == row, cohort


@pytest.mark.parametrize("case", load("annuity_divisors.yaml")["premium_pension"], ids=case_id)
def test_premium_pension_divisor(case: dict[str, Any]) -> None:
    divisor = premium_pension_divisor(case["birth_year"], case["age"])
    assert divisor[0] == pytest.approx(case["divisor"], abs=case["tolerance"])


def test_ages() -> None:
    spec = load("ages_and_credits.yaml")
    for case in spec["lowest_withdrawal_age_by_cohort"]:
        assert retirement_ages.lowest_withdrawal_age(case["birth_year"])[0] == case["age"], case
    for case in spec["target_retirement_age_by_cohort"]:
        assert retirement_ages.target_retirement_age(case["birth_year"])[0] == case["age"], case
    for case in spec["guarantee_pension_age_by_year"]:
        assert retirement_ages.guarantee_pension_age_in_year(case["year"])[0] == case["age"], case


def test_pension_credits() -> None:
    spec = load("ages_and_credits.yaml")
    for case in spec["military_service"]:
        credit = military_service_credit(max(case["days"], 120), case["year"]) / max(case["days"], 120)
        if "per_day" in case:
            assert credit[0] == pytest.approx(case["per_day"], abs=case["tolerance"] + 1)
        else:
            assert military_service_credit(case["days"], case["year"])[0] == case["credit"]
    for case in spec["child_years"]:
        credit = child_year_credit(case["pgi"], case["pgi_year_before_birth"], case["year"])
        assert 0.185 * credit[0] == pytest.approx(case["right"], abs=case["tolerance"])
    for case in spec["studies"]:
        assert study_credit(case["study_grant"])[0] == case["credit"]
    for case in spec["transition_shares"]:
        assert new_system_share(case["birth_year"])[0] == pytest.approx(case["new_system"])


PAYMENTS = load("payments.yaml")


@pytest.mark.parametrize("case", PAYMENTS["withdrawal"], ids=case_id)
def test_withdrawal(case: dict[str, Any]) -> None:
    yearly = income_pension_annual(case["balance"], case["birth_year"], case["age"], case["months"], case["share"])
    assert yearly[0] == pytest.approx(case["yearly"])
    assert monthly_amount(yearly)[0] == case["monthly"]


@pytest.mark.parametrize("case", PAYMENTS["indexation_in_payment"], ids=case_id)
def test_indexation_in_payment(case: dict[str, Any]) -> None:
    indexed = index_in_payment(case["yearly"], case["first_year"], case["to_year"])
    assert indexed[0] == pytest.approx(case["indexed"], abs=0.05)


@pytest.mark.parametrize("case", PAYMENTS["income_pension_supplement"], ids=case_id)
def test_income_pension_supplement(case: dict[str, Any]) -> None:
    yearly = income_pension_supplement(case["underlag"], case["year"], case["years_with_pensionable_income"])
    assert yearly[0] == pytest.approx(case["yearly"])


@pytest.mark.parametrize("case", PAYMENTS["supplementary_pension"], ids=case_id)
def test_supplementary_pension(case: dict[str, Any]) -> None:
    points = np.full((1, case["years"]), case["points"])
    yearly = supplementary_pension_at_normal_age(points, case["birth_year"], case["increased_price_base_amount"])
    assert yearly[0] == pytest.approx(case["yearly_at_65"])


@pytest.mark.parametrize("case", PAYMENTS["tax_2026"], ids=case_id)
def test_tax_2026(case: dict[str, Any]) -> None:
    if "deduction" in case:
        assert basic_deductions(case["income"], 2026, case["increased"])[0] == case["deduction"]
    if "tax" in case:
        tax = income_tax(case["income"], 2026, case["increased"], case["municipal_tax_rate"])
        assert tax[0] == pytest.approx(case["tax"])
