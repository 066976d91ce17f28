"""The JSON contract of ``python -m pension_engine forecast``: parse one person, answer per withdrawal age.

Input: {"birth_year", "as_of_year", "income_history": [{"year", "income"}...] (gross earned income, nominal
kronor), "future_income" (optional: a yearly amount in today's money, or [{"year", "income"}...]),
"residence_years", "civil_status" ("single" | "married"), "withdrawal_ages" (optional list),
"withdrawal_share" (optional: 25 | 50 | 75 | 100), "municipal_tax_rate" (optional: 0.3238 or 32.38),
"credits" (optional: [{"year", "kind", "amount"}...], decided pension credits — pensionsgrundande belopp — of
the kinds in ``CREDIT_KINDS``, nominal kronor), "children_birth_years" (optional: the birth years of the
children whose child years this parent receives; the youngest gives the child years still to come)}.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from pension_engine.forecast import FIRST_NEW_SYSTEM_COHORT, ForecastError, band_scenarios, forecast
from pension_engine.parameters import ParameterError, forecast_standard, load_parameters
from pension_engine.population import Population
from pension_engine.retirement_ages import lowest_withdrawal_age

DEFAULT_LAST_AGE = 70
PERCENT = 100.0
PARTS = ("income_pension", "premium_pension", "guarantee_pension", "income_pension_supplement",
         "supplementary_pension", "total_before_tax", "total_after_tax")  # fmt: skip


CREDIT_KINDS = ("child_years", "studies", "military_service", "sickness_compensation")


class ForecastInputError(ValueError):
    """The forecast input is malformed or asks for something the rules do not allow."""


def credits_by_year(document: dict[str, Any], *, before: int) -> dict[int, float]:
    """The decided pension credits of ``document["credits"]`` summed by year (all kinds add to the base).

    Each entry is {"year", "kind", "amount"}; the kinds are ``CREDIT_KINDS``; years must be before ``before``.
    """
    raw = document.get("credits", [])
    if not isinstance(raw, list):
        raise ForecastInputError("credits must be a list of {'year', 'kind', 'amount'}")
    amounts: dict[int, float] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise ForecastInputError("each credits entry must be an object with year, kind and amount")
        year, amount = _whole(item, "year"), _number(item, "amount")
        kind = item.get("kind")
        if kind not in CREDIT_KINDS:
            raise ForecastInputError(f"credits: kind must be one of {', '.join(CREDIT_KINDS)}")
        if amount < 0:
            raise ForecastInputError(f"credits: the amount for {year} is negative")
        if year >= before:
            raise ForecastInputError(f"credits: {year} is not decided yet (credits must be before {before})")
        amounts[year] = amounts.get(year, 0.0) + amount
    return amounts


def _youngest_child(document: dict[str, Any], birth_year: int, as_of_year: int) -> int | None:
    raw = document.get("children_birth_years")
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in raw):
        raise ForecastInputError("children_birth_years must be a list of years")
    if any(year < birth_year or year > as_of_year for year in raw):
        raise ForecastInputError("children_birth_years must lie between the parent's birth year and as_of_year")
    return max(raw) if raw else None


def _number(document: dict[str, Any], key: str, *, default: float | None = None) -> float:
    value = document.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ForecastInputError(f"{key} must be a number")
    return float(value)


def _whole(document: dict[str, Any], key: str) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ForecastInputError(f"{key} must be a whole number")
    return value


def _year_amounts(items: Any, key: str) -> dict[int, float]:
    if not isinstance(items, list):
        raise ForecastInputError(f"{key} must be a list of {{'year', 'income'}}")
    amounts: dict[int, float] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ForecastInputError(f"each {key} entry must be an object with year and income")
        year, income = _whole(item, "year"), _number(item, "income")
        if income < 0:
            raise ForecastInputError(f"{key}: income for {year} is negative")
        amounts[year] = income
    return amounts


def _future_income(document: dict[str, Any], as_of_year: int, last_year: int) -> list[float] | None:
    raw = document.get("future_income")
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw < 0 or not math.isfinite(raw):
            raise ForecastInputError("future_income must not be negative")
        return [float(raw)] * (last_year - as_of_year + 1)
    amounts = _year_amounts(raw, "future_income")
    if any(year < as_of_year for year in amounts):
        raise ForecastInputError("future_income years must be as_of_year or later")
    return [amounts.get(year, math.nan) for year in range(as_of_year, last_year + 1)]


def _municipal_rate(document: dict[str, Any]) -> float | None:
    if document.get("municipal_tax_rate") is None:
        return None
    rate = _number(document, "municipal_tax_rate")
    rate = rate / PERCENT if rate >= 1 else rate
    if not 0 < rate < 1:
        raise ForecastInputError("municipal_tax_rate must be a share (0.3238) or a percentage (32.38)")
    return rate


def _withdrawal_ages(document: dict[str, Any], birth_year: int, as_of_year: int) -> list[int]:
    lowest = max(int(lowest_withdrawal_age(birth_year)[0]), as_of_year - birth_year)
    raw = document.get("withdrawal_ages")
    if raw is None:
        if lowest > DEFAULT_LAST_AGE:
            raise ForecastInputError("the person is past 70: forecasts cover future withdrawal only")
        return list(range(lowest, DEFAULT_LAST_AGE + 1))
    if not isinstance(raw, list) or not raw or not all(isinstance(a, int) and not isinstance(a, bool) for a in raw):
        raise ForecastInputError("withdrawal_ages must be a non-empty list of whole ages")
    if min(raw) < lowest:
        raise ForecastInputError(f"age {min(raw)} is below the lowest allowed withdrawal age {lowest} for this person")
    return sorted(set(raw))


def parse_person(document: Any) -> tuple[Population, int, list[int]]:
    """The population of one, the forecast year and the withdrawal ages asked for."""
    if not isinstance(document, dict):
        raise ForecastInputError("input must be a JSON object")
    birth_year, as_of_year = _whole(document, "birth_year"), _whole(document, "as_of_year")
    if birth_year < FIRST_NEW_SYSTEM_COHORT or birth_year > as_of_year - 16:
        raise ForecastInputError(f"birth_year must be between {FIRST_NEW_SYSTEM_COHORT} and as_of_year − 16")
    history = _year_amounts(document.get("income_history", []), "income_history")
    if any(year >= as_of_year for year in history):
        raise ForecastInputError("income_history must end before as_of_year (later years go in future_income)")
    residence = _number(document, "residence_years")
    if residence < 0:
        raise ForecastInputError("residence_years must not be negative")
    civil_status = document.get("civil_status")
    if civil_status not in ("single", "married"):
        raise ForecastInputError("civil_status must be 'single' or 'married'")
    share = _number(document, "withdrawal_share", default=100.0)
    if share not in (25.0, 50.0, 75.0, 100.0):
        raise ForecastInputError("withdrawal_share must be 25, 50, 75 or 100")
    ages = _withdrawal_ages(document, birth_year, as_of_year)
    credits = credits_by_year(document, before=as_of_year)
    population = Population.of_one(
        birth_year=birth_year,
        income_by_year=history,
        residence_years=residence,
        married=civil_status == "married",
        withdrawal_share=share / PERCENT,
        municipal_tax_rate=_municipal_rate(document),
        future_income=_future_income(document, as_of_year, birth_year + max(ages)),
        credits_by_year=credits or None,
        youngest_child_birth_year=_youngest_child(document, birth_year, as_of_year),
    )
    return population, as_of_year, ages


def assumptions(as_of_year: int, municipal_rate: float) -> dict[str, Any]:
    """The assumptions stated with every forecast."""
    band = {name: vars(scenario) for name, scenario in band_scenarios().items()}
    standard = forecast_standard()
    return {
        "standard": "Swedish forecast standard 2022 (prognosstandard): fixed prices, no real wage growth",
        "amounts": f"monthly kronor before/after tax in today's money (price level {as_of_year})",
        "inflation": standard.inflation.value,
        "real_wage_growth": standard.real_wage_growth.value,
        "premium_pension_real_return_before_fees": standard.premium_pension_real_return.value,
        "premium_pension_fund_fee": standard.premium_pension_fund_fee.value,
        "balance_ratio": standard.balance_ratio.value,
        "future_income": "today's level (last income raised by the income index) unless given",
        "pension_credits": "decided credits as given; child years still to come for the youngest child given",
        "municipal_tax_rate": municipal_rate,
        "band": band,
        "band_amounts": "total_before_tax under the pessimistic and optimistic scenarios",
    }


def forecast_from_json(text: str) -> dict[str, Any]:
    """Run the forecast contract on a JSON text; raises ForecastInputError for bad input."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ForecastInputError(f"malformed JSON: {error.msg} (line {error.lineno})") from error
    population, as_of_year, ages = parse_person(document)
    try:
        result = forecast(population, as_of_year=as_of_year, withdrawal_ages=range(ages[0], ages[-1] + 1))
    except (ForecastError, ParameterError) as error:
        raise ForecastInputError(str(error)) from error
    rate = float(population.municipal_tax_rate[0])
    if np.isnan(rate):
        rate = load_parameters().at("average_municipal_tax_rate", as_of_year)
    rows = []
    for column, age in enumerate(result.withdrawal_ages.tolist()):
        if age not in ages:
            continue
        row: dict[str, Any] = {"age": age}
        row.update({part: int(getattr(result.expected, part)[0, column]) for part in PARTS})
        row["band"] = {
            "pessimistic": int(result.pessimistic_total[0, column]),
            "optimistic": int(result.optimistic_total[0, column]),
        }
        rows.append(row)
    return {"price_level_year": as_of_year, "assumptions": assumptions(as_of_year, rate), "per_withdrawal_age": rows}
