"""Requirement: forecasts come within 5 % of the Pensions Agency's typical-case model for income and premium
pension where the two models agree on the person (issue 15, "Done when"; docs/decisions/0125).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from pension_engine.forecast import forecast
from pension_engine.parameters import economic_series, last_actual_year, load_parameters
from pension_engine.population import Population

SPEC: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "scenarios" / "typical_cases.yaml").read_text("utf-8"))
SALARY_AGE = 65  # the model's "w_time": the salary is the income of the year one turns 65


def typical_person(case: dict[str, Any]) -> tuple[Population, int]:
    """The model's person: income by the income index around the salary year, the PPM index as own funds."""
    params = load_parameters()
    born, start, age = case["birth_year"], case["start_age"], case["withdrawal_age"]
    last_index_year = last_actual_year()

    def index(year: int) -> float:
        return params.at("income_index", min(year, last_index_year))  # flat after the last published index

    salary_year = born + SALARY_AGE
    as_of = min(born + age, last_index_year)
    income = {year: case["salary"] * index(year) / index(salary_year) for year in range(born + start, as_of)}
    future = [case["salary"] * index(as_of) / index(salary_year)] * max(born + age - as_of, 0)
    marketplace = {year: item.value for year, item in economic_series()["premium_pension_index_return"].values.items()}
    person = Population.of_one(birth_year=born, income_by_year=income, future_income=future + [0.0] * 5)
    returns = np.array([[marketplace.get(year, np.nan) for year in person.history_years.tolist()]])
    fields = {name: getattr(person, name) for name in person.__dataclass_fields__}
    return Population(**{**fields, "premium_pension_returns": returns}), as_of


@pytest.mark.parametrize("case", SPEC["cases"], ids=lambda case: case["name"])
def test_income_and_premium_pension_near_the_typical_case(case: dict[str, Any]) -> None:
    person, as_of = typical_person(case)
    result = forecast(person, as_of_year=as_of, withdrawal_ages=[case["withdrawal_age"]], with_band=False)
    tolerance = case["tolerance_percent"] / 100
    for part in ("income_pension", "premium_pension"):
        engine = float(getattr(result.expected, part)[0, 0])
        assert engine == pytest.approx(case[part], rel=tolerance), part


def test_at_least_three_cases_are_held_within_five_percent() -> None:
    assert sum(case["tolerance_percent"] <= 5 for case in SPEC["cases"]) >= 3
