"""The JSON contract of ``python -m pension_engine housing-supplement``: one applicant's housing supplement.

Input: {"year", "civil_status" ("single" | "married"), "housing_cost_per_month", "living_area_m2" (optional),
"income_per_year": {"guarantee_pension", "income_based_public_pension", "occupational_pension",
"earned_income", "capital_income"} (each optional, 0 if left out), "assets" (optional), "municipal_tax_rate"
(optional: 0.3238 or 32.38)}. For "married" the amounts are the couple's together; the answer is each
spouse's. The income-based public pension is income, premium and supplementary pension and the
income-pension supplement; each part is counted as the law counts it (``housing_supplement``).
``living_area_m2`` is accepted and checked but does not change the amount: no living-area limit applies to
pensioners' housing supplement (docs/decisions/0124).

Output: {"housing_supplement_per_month", "elderly_maintenance_support_per_month",
"reasonable_living_standard_per_month", "reduction_base_per_year"} in whole kronor.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pension_engine.housing_supplement import HousingApplicants, housing_supplement
from pension_engine.json_amounts import money
from pension_engine.parameters import ParameterError, last_actual_year, rules

INCOME_PARTS = (
    "guarantee_pension", "income_based_public_pension", "occupational_pension", "earned_income", "capital_income",
)  # fmt: skip
KEYS = {"year", "civil_status", "housing_cost_per_month", "living_area_m2", "income_per_year", "assets",
        "municipal_tax_rate"}  # fmt: skip
PERCENT = 100.0


class HousingInputError(ValueError):
    """The housing-supplement input is malformed or asks for a year without rules."""


def _amount(document: dict[str, Any], key: str, *, where: str = "") -> float:
    value = document.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HousingInputError(f"{where}{key} must be a number")
    if value < 0:
        raise HousingInputError(f"{where}{key} must not be negative")
    return float(value)


def _year(document: dict[str, Any]) -> int:
    year = document.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise HousingInputError("year must be a whole number")
    first, last = rules().housing_supplement.periods[0].start // 100, last_actual_year()
    if not first <= year <= last:
        raise HousingInputError(f"year {year} is outside the rules and data ({first}–{last})")
    return year


def _municipal_rate(document: dict[str, Any]) -> float | None:
    if document.get("municipal_tax_rate") is None:
        return None
    rate = _amount(document, "municipal_tax_rate")
    rate = rate / PERCENT if rate >= 1 else rate
    if not 0 < rate < 1:
        raise HousingInputError("municipal_tax_rate must be a share (0.3238) or a percentage (32.38)")
    return rate


def parse_applicant(document: Any) -> tuple[HousingApplicants, int]:
    """The applicant and the year from the parsed JSON; raises HousingInputError."""
    if not isinstance(document, dict):
        raise HousingInputError("input must be a JSON object")
    unknown = sorted(set(document) - KEYS)
    if unknown:
        raise HousingInputError(f"unknown key {unknown[0]!r}")
    year = _year(document)
    civil_status = document.get("civil_status")
    if civil_status not in ("single", "married"):
        raise HousingInputError("civil_status must be 'single' or 'married'")
    if "housing_cost_per_month" not in document:
        raise HousingInputError("housing_cost_per_month is required")
    housing_cost = _amount(document, "housing_cost_per_month")
    if "living_area_m2" in document and _amount(document, "living_area_m2") == 0:
        raise HousingInputError("living_area_m2 must be positive")
    incomes = document.get("income_per_year", {})
    if not isinstance(incomes, dict):
        raise HousingInputError("income_per_year must be an object")
    unknown = sorted(set(incomes) - set(INCOME_PARTS))
    if unknown:
        raise HousingInputError(f"income_per_year: unknown key {unknown[0]!r} (known: {', '.join(INCOME_PARTS)})")
    parts = {part: _amount(incomes, part, where="income_per_year.") for part in INCOME_PARTS}
    applicant = HousingApplicants.of_one(
        married=civil_status == "married",
        housing_cost_per_month=housing_cost,
        guarantee_pension=parts["guarantee_pension"],
        income_based_public_pension=parts["income_based_public_pension"],
        occupational_pension=parts["occupational_pension"],
        earned_income=parts["earned_income"],
        capital_income=parts["capital_income"],
        assets=_amount(document, "assets"),
        municipal_tax_rate=_municipal_rate(document),
    )
    return applicant, year


def housing_supplement_from_json(text: str) -> dict[str, Any]:
    """Run the housing-supplement contract on a JSON text; raises HousingInputError for bad input."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise HousingInputError(f"malformed JSON: {error.msg} (line {error.lineno})") from error
    applicant, year = parse_applicant(document)
    try:
        result = housing_supplement(applicant, year)
    except ParameterError as error:
        raise HousingInputError(str(error)) from error
    return {
        "housing_supplement_per_month": money(float(result.housing_supplement_per_month[0])),
        "elderly_maintenance_support_per_month": money(float(result.elderly_maintenance_support_per_month[0])),
        "reasonable_living_standard_per_month": money(float(result.reasonable_living_standard_per_month[0])),
        "reduction_base_per_year": money(float(result.reduction_base_per_year[0])),
    }
