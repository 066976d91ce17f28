"""Requirement: housing supplement and maintenance support for the elderly follow the rules and published
figures within 1 krona a month (issue 15 item 7, docs/decisions/0124); the CLI answers the contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from pension_engine.cli import main
from pension_engine.housing_supplement import HousingApplicants, housing_supplement, reduction_income
from pension_engine.tax import income_tax

SCENARIOS = Path(__file__).parent / "scenarios"
SPEC: dict[str, Any] = yaml.safe_load((SCENARIOS / "housing_supplement.yaml").read_text("utf-8"))


def applicant(case: dict[str, Any]) -> HousingApplicants:
    return HousingApplicants.of_one(
        married=case["civil_status"] == "married",
        housing_cost_per_month=case.get("housing_cost_per_month", 0),
        **case.get("income_per_year", {}),
    )


@pytest.mark.parametrize("case", SPEC["published"], ids=lambda case: case["name"])
def test_published_housing_supplements(case: dict[str, Any]) -> None:
    result = housing_supplement(applicant(case), case["year"])
    assert result.housing_supplement_per_month[0] == pytest.approx(case["housing_supplement_per_month"], abs=1)
    if "elderly_maintenance_support_per_month" in case:
        assert result.elderly_maintenance_support_per_month[0] == case["elderly_maintenance_support_per_month"]


@pytest.mark.parametrize("case", SPEC["reasonable_living_standard"], ids=str)
def test_published_reasonable_living_standard(case: dict[str, Any]) -> None:
    result = housing_supplement(applicant({**case, "housing_cost_per_month": 5000}), case["year"])
    assert result.reasonable_living_standard_per_month[0] == case["per_month"]


@pytest.mark.parametrize("case", SPEC["income_limits"]["cases"], ids=str)
def test_the_agencys_income_limits_where_the_supplement_ends(case: dict[str, Any]) -> None:
    limits = SPEC["income_limits"]

    def supplement(income_per_month: float) -> float:
        person = HousingApplicants.of_one(
            married=False,
            housing_cost_per_month=case["housing_cost_per_month"],
            income_based_public_pension=12 * income_per_month,
        )
        return float(housing_supplement(person, limits["year"], month=limits["month"]).housing_supplement_per_month[0])

    # The published limit is rounded to 100 kr: the supplement ends within 50 kr of it.
    assert supplement(case["income_per_month"] - 50) > 0
    assert supplement(case["income_per_month"] + 50) == 0


def test_the_guarantee_pension_counts_in_full_and_own_work_at_93_percent() -> None:
    base = reduction_income(
        HousingApplicants.of_one(
            married=False,
            housing_cost_per_month=5000,
            guarantee_pension=50_000,
            income_based_public_pension=100_000,
            occupational_pension=20_000,
            earned_income=10_000,
            capital_income=3_000,
            assets=300_000,
        )
    )
    assert base[0] == pytest.approx(50_000 + 0.93 * 130_000 + 3_000 + 0.15 * 200_000)


def test_a_couple_counts_half_of_everything_and_200_000_of_assets_free() -> None:
    couple = HousingApplicants.of_one(
        married=True, housing_cost_per_month=10_000, income_based_public_pension=200_000, assets=400_000
    )
    single = HousingApplicants.of_one(married=False, housing_cost_per_month=5_000, income_based_public_pension=100_000)
    assert reduction_income(couple)[0] == pytest.approx(0.93 * 100_000 + 0.15 * 200_000 / 2)
    both, alone = housing_supplement(couple, 2026), housing_supplement(single, 2026)
    assert both.reduction_base_per_year[0] == pytest.approx(93_000 + 15_000)
    # Half the cost each, limits halved: the counted cost of 5 000 for a couple is half a single's.
    assert both.housing_supplement_per_month[0] < alone.housing_supplement_per_month[0]


def test_maintenance_support_fills_up_to_the_reasonable_living_standard() -> None:
    # No pension at all (a short residence, no guarantee pension), rent 6 000 kr, 2026: the supplement covers
    # 3 000 + 1 800 + 700 + 840 = 6 340 kr; the support brings the rest up to 7 576 + 6 000 kr.
    nothing = housing_supplement(HousingApplicants.of_one(married=False, housing_cost_per_month=6000), 2026)
    assert nothing.housing_supplement_per_month[0] == 6340
    assert nothing.elderly_maintenance_support_per_month[0] == 7576 + 6000 - 6340
    # With 4 000 kr a month of pension, the support falls by that pension after tax.
    pension = 48_000.0
    some = housing_supplement(
        HousingApplicants.of_one(married=False, housing_cost_per_month=6000, income_based_public_pension=pension),
        2026,
    )
    after_tax = (pension - income_tax(pension, 2026, True)[0]) / 12
    assert some.elderly_maintenance_support_per_month[0] == pytest.approx(7236 - after_tax, abs=1)
    # Earned income: the first 24 000 kr a year do not reduce the support.
    earning = housing_supplement(
        HousingApplicants.of_one(married=False, housing_cost_per_month=6000, earned_income=24_000), 2026
    )
    assert earning.elderly_maintenance_support_per_month[0] == 7236


def test_more_income_never_raises_what_is_paid() -> None:
    incomes = np.linspace(0, 400_000, 81)
    people = HousingApplicants(
        married=np.zeros(incomes.size, dtype=np.bool_),
        housing_cost_per_month=np.full(incomes.size, 6500.0),
        guarantee_pension=np.zeros(incomes.size),
        income_based_public_pension=incomes,
        occupational_pension=np.zeros(incomes.size),
        earned_income=np.zeros(incomes.size),
        capital_income=np.zeros(incomes.size),
        assets=np.zeros(incomes.size),
        municipal_tax_rate=np.full(incomes.size, np.nan),
        increased_deduction=np.ones(incomes.size, dtype=np.bool_),
    )
    result = housing_supplement(people, 2026)
    paid = result.housing_supplement_per_month + result.elderly_maintenance_support_per_month
    assert np.all(np.diff(paid) <= 0)
    assert paid[-1] == 0


def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Any) -> tuple[int, Any, str]:
    path = tmp_path / "housing.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code = main(["housing-supplement", "--input", str(path)])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else None, captured.err


ISSUE_EXAMPLE = {
    "year": 2026, "civil_status": "single", "housing_cost_per_month": 6500, "living_area_m2": 55,
    "income_per_year": {"guarantee_pension": 60000, "income_based_public_pension": 90000, "occupational_pension": 0,
                        "earned_income": 0, "capital_income": 0},
    "assets": 0,
}  # fmt: skip


def test_the_cli_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = cli(capsys, tmp_path, ISSUE_EXAMPLE)
    assert code == 0
    # Counted cost 3 000 + 1 800 + 1 050 + 840 = 6 690; the reduction income 60 000 + 0.93 × 90 000 = 143 700
    # stays below the free amount 2.43 × 59 200 = 143 856, so nothing is taken off.
    assert out == {
        "housing_supplement_per_month": 6690,
        "elderly_maintenance_support_per_month": 0,
        "reasonable_living_standard_per_month": 7576,
        "reduction_base_per_year": 143700,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"year": 2019},
        {"year": 2031},
        {"civil_status": "widowed"},
        {"housing_cost_per_month": -1},
        {"living_area_m2": 0},
        {"income_per_year": {"pension": 1}},
        {"assets": "many"},
        {"rent": 5000},
    ],
)  # fmt: skip
def test_bad_cli_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, Any]
) -> None:
    code, out, err = cli(capsys, tmp_path, {**ISSUE_EXAMPLE, **changes})
    assert code == 2
    assert out is None
    assert err.count("\n") == 1
    assert json.loads(err)["error"] == "bad_input"
