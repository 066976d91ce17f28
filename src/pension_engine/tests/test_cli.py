"""Requirement: the CLI contract of issue 3 — exact names, JSON on stdout, exit 2 with a JSON error on stderr."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pension_engine.cli import main

SRC = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    out = json.loads(captured.out) if captured.out else None
    err = json.loads(captured.err) if captured.err else None
    return code, out, err


def test_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parameters", "--year", "2026")
    assert code == 0
    assert set(out) == {
        "year", "price_base_amount", "increased_price_base_amount", "income_base_amount", "income_index",
        "balance_ratio", "lowest_withdrawal_age", "target_retirement_age", "guarantee_pension_age",
    }  # fmt: skip
    assert out["price_base_amount"] == 59200
    assert out["income_base_amount"] == 83400


def test_rights(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rights", "--year", "2025", "--income", "650000")
    assert code == 0
    assert out == {
        "year": 2025,
        "income": 650000,
        "general_pension_fee": 45500,
        "pensionable_income": 604500,
        "income_pension_right": 96720,
        "premium_pension_right": 15112.5,
    }


def test_guarantee_pension(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "guarantee-pension", "--year", "2026", "--civil-status", "single",
        "--residence-years", "24", "--income-based-pension-monthly", "8000",
    )  # fmt: skip
    assert code == 0
    assert out["year"] == 2026
    assert out["monthly"] == 1413  # reference §4.1: PM's rule gives 1 413 kr a month


def test_indexation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "indexation", "--year", "2026")
    assert code == 0
    assert out == {"year": 2026, "income_pension_change_percent": 1.93}


def test_annuity_divisor(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "annuity-divisor", "--birth-year", "1938", "--age", "65")
    assert code == 0
    assert out["income_pension_divisor"] == 15.56
    assert out["source"].startswith("published")
    assert set(out) == {"birth_year", "age", "income_pension_divisor", "source"}


def forecast_input(tmp_path: Path, **changes: Any) -> str:
    document: dict[str, Any] = {
        "birth_year": 1965,
        "as_of_year": 2026,
        "income_history": [{"year": year, "income": 450_000} for year in range(1985, 2026)],
        "residence_years": 40,
        "civil_status": "married",
    }
    document.update(changes)
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_forecast_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "forecast", "--input", forecast_input(tmp_path))
    assert code == 0
    assert out["price_level_year"] == 2026
    assert "assumptions" in out
    rows = out["per_withdrawal_age"]
    assert [row["age"] for row in rows] == list(range(64, 71))  # born 1963–1969: lowest age 64
    assert set(rows[0]) == {
        "age", "income_pension", "premium_pension", "guarantee_pension", "income_pension_supplement",
        "supplementary_pension", "total_before_tax", "total_after_tax", "band",
    }  # fmt: skip
    for row in rows:
        parts = sum(row[key] for key in ("income_pension", "premium_pension", "guarantee_pension",
                                         "income_pension_supplement", "supplementary_pension"))  # fmt: skip
        assert row["total_before_tax"] == parts
        assert row["total_after_tax"] < row["total_before_tax"]
        assert row["band"]["pessimistic"] <= row["total_before_tax"] <= row["band"]["optimistic"]


def test_forecast_from_stdin(tmp_path: Path) -> None:
    text = Path(forecast_input(tmp_path, withdrawal_ages=[67])).read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "pension_engine", "forecast", "--input", "-"],
        input=text, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [row["age"] for row in json.loads(done.stdout)["per_withdrawal_age"]] == [67]


@pytest.mark.parametrize(
    "argv",
    [
        ("parameters", "--year", "1959"),
        ("parameters", "--year", "2031"),
        ("rights", "--year", "2024", "--income", "-1"),
        ("rights", "--year", "twenty"),
        ("guarantee-pension", "--year", "2026", "--civil-status", "widowed", "--residence-years", "40",
         "--income-based-pension-monthly", "0"),
        ("indexation", "--year", "2001"),
        ("annuity-divisor", "--birth-year", "1937", "--age", "65"),
        ("annuity-divisor", "--birth-year", "1960", "--age", "60"),
        ("no-such-command",),
    ],
)  # fmt: skip
def test_bad_input_gives_exit_2_and_a_json_error(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out is None
    assert err["error"] == "bad_input"
    assert err["message"]


@pytest.mark.parametrize(
    "changes",
    [
        {"withdrawal_ages": [63]},  # below the lowest withdrawal age 64 for born 1965
        {"income_history": [{"year": 2020, "income": -5}]},
        {"civil_status": "widowed"},
        {"withdrawal_share": 60},
        {"as_of_year": 2040},
        {"birth_year": "1965"},
    ],
)
def test_bad_forecast_input(capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, Any]) -> None:
    code, out, err = run(capsys, "forecast", "--input", forecast_input(tmp_path, **changes))
    assert code == 2
    assert out is None
    assert err["error"] == "bad_input"


def test_malformed_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "forecast", "--input", str(path))
    assert code == 2
    assert "malformed JSON" in err["message"]


def test_parameters_before_the_age_rules_have_no_ages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parameters", "--year", "1960")
    assert code == 0
    assert out["price_base_amount"] == 4200
    assert out["lowest_withdrawal_age"] is None
    assert out["balance_ratio"] is None


def statement_input(tmp_path: Path, **changes: Any) -> str:
    document: dict[str, Any] = {
        "birth_year": 1970,
        "income_history": [{"year": year, "income": 300_000 + 1_000 * (year - 2008)} for year in range(2008, 2012)],
        "credits": [{"year": 2009, "kind": "child_years", "amount": 45_000}],
        "through_year": 2012,
    }
    document.update(changes)
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_statement_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "statement", "--input", statement_input(tmp_path))
    assert code == 0
    assert set(out) == {"income_pension", "premium_pension", "pension_rights"}
    items = {"year", "opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out",
             "closing_value"}  # fmt: skip
    for account in ("income_pension", "premium_pension"):
        rows = out[account]
        assert [row["year"] for row in rows] == [2009, 2010, 2011, 2012]  # one row per statement year
        for row in rows:
            assert set(row) == items
            total = sum(row[key] for key in items - {"year", "closing_value"})
            assert total == pytest.approx(row["closing_value"], abs=0.05)
        for before, after in itertools.pairwise(rows):
            assert after["opening_value"] == before["closing_value"]
    rights = out["pension_rights"]
    assert [row["year"] for row in rights] == [2008, 2009, 2010, 2011]  # the decision each statement credits
    assert set(rights[0]) == {"year", "pensionable_income", "pensionable_amount", "income_pension_rights",
                              "premium_pension_rights"}  # fmt: skip
    # 2009: income 301 000, fee 7 % = 21 070 → 21 100, PGI 279 900; with the child-year credit 45 000 the
    # rights are 16 % and 2.5 % of 324 900.
    assert rights[1] == {"year": 2009, "pensionable_income": 279_900, "pensionable_amount": 45_000,
                         "income_pension_rights": 51_984, "premium_pension_rights": 8_122.5}  # fmt: skip
    assert [row["new_rights"] for row in out["income_pension"]] == [row["income_pension_rights"] for row in rights]
    # The published value changes of 2009 (−1.4 %) and 2010 (−2.7 %), docs/decisions/0120.
    for row, percent in zip(out["income_pension"][:2], (-1.4, -2.7), strict=True):
        base = row["opening_value"] + row["new_rights"] + row["inheritance_gains"]
        assert row["value_change"] / base * 100 == pytest.approx(percent, abs=0.05)


def test_statement_through_the_last_year_with_data_by_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = {"birth_year": 1990, "income_history": [{"year": 2024, "income": 400_000}], "credits": []}
    code, out, _ = run(capsys, "statement", "--input", statement_input(tmp_path, **document, through_year=None))
    assert code == 0
    assert [row["year"] for row in out["income_pension"]] == [2025]
    assert out["premium_pension"][0]["new_rights"] == 9_300  # 2.5 % of PGI 372 000


@pytest.mark.parametrize(
    "changes",
    [
        {"income_history": [{"year": 2010, "income": -5}]},
        {"income_history": [{"year": 2012, "income": 5}]},  # not before through_year
        {"through_year": 2030},
        {"birth_year": 1930},
        {"birth_year": "1970"},
        {"credits": [{"year": 2009, "kind": "lottery", "amount": 45_000}]},
        {"credits": [{"year": 2009, "kind": "studies", "amount": -1}]},
        {"income_history": [], "credits": []},
        {"income_history": [{"year": 2010, "income": 1}, {"year": 2010, "income": 2}]},
    ],
)
def test_bad_statement_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, Any]
) -> None:
    code = main(["statement", "--input", statement_input(tmp_path, **changes)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert json.loads(captured.err)["error"] == "bad_input"
