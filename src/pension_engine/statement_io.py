"""The JSON contract of ``python -m pension_engine statement``: a saver's orange-envelope statements.

Input: {"birth_year", "income_history": [{"year", "income"}...] (gross earned income, nominal kronor, as in the
forecast's input), "credits" (optional: [{"year", "kind", "amount"}...], decided pension credits, kinds as in
``forecast_io.CREDIT_KINDS``), "through_year" (optional: the last statement year; default the last one the
data fully determine, ``last_statement_year``)}.

Output: {"income_pension": [...], "premium_pension": [...]} with one row per statement year — {"year",
"opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out", "closing_value"} — and
{"pension_rights": [...]} with the decision each statement credits: {"year" (the income year, the statement
year − 1), "pensionable_income", "pensionable_amount", "income_pension_rights", "premium_pension_rights"}.
Amounts in kronor to the öre. The premium pension follows the default alternative for the person's age
(AP7 Såfa, docs/decisions/0123); nobody draws a pension here (``paid_out`` is 0).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from pension_engine.arrays import FloatArray
from pension_engine.forecast_io import ForecastInputError, credits_by_year
from pension_engine.income_pension_account import AccountStatement, income_pension_statements
from pension_engine.json_amounts import money
from pension_engine.parameters import FIRST_YEAR, economic_series
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.premium_pension import premium_pension_statements

FIRST_COHORT = 1938  # born earlier: tilläggspension only, no income- or premium-pension account
WORKING_AGE = 16
STATEMENT_ITEMS = (
    "opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out", "closing_value",
)  # fmt: skip


class StatementInputError(ValueError):
    """The statement input is malformed or asks for years the data do not cover."""


def last_statement_year() -> int:
    """The last statement year the data fully determine.

    The account's value change needs the index decided for the next year; the premium pension needs the
    year's published fund return.
    """
    series = economic_series()
    return min(series["income_index"].last_year - 1, series["premium_pension_return"].last_year)


def _whole(document: dict[str, Any], key: str) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise StatementInputError(f"{key} must be a whole number")
    return value


def _incomes(document: dict[str, Any]) -> dict[int, float]:
    raw = document.get("income_history")
    if not isinstance(raw, list):
        raise StatementInputError("income_history must be a list of {'year', 'income'}")
    incomes: dict[int, float] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise StatementInputError("each income_history entry must be an object with year and income")
        year, income = _whole(item, "year"), item.get("income")
        if isinstance(income, bool) or not isinstance(income, int | float) or not math.isfinite(income):
            raise StatementInputError(f"income_history: the income for {year} must be a number")
        if income < 0:
            raise StatementInputError(f"income_history: the income for {year} is negative")
        if year in incomes:
            raise StatementInputError(f"income_history: {year} appears twice")
        incomes[year] = float(income)
    return incomes


def _rows(statements: dict[int, AccountStatement], years: range) -> list[dict[str, Any]]:
    return [
        {"year": year, **{item: money(float(getattr(statements[year], item)[0]), 2) for item in STATEMENT_ITEMS}}
        for year in years
    ]


def _matrix(amounts: dict[int, float], first: int, last: int) -> FloatArray:
    row = np.zeros((1, last - first + 1))
    for year, amount in amounts.items():
        row[0, year - first] = amount
    return row


def statement_from_json(text: str) -> dict[str, Any]:
    """Run the statement contract on a JSON text; raises StatementInputError for bad input."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StatementInputError(f"malformed JSON: {error.msg} (line {error.lineno})") from error
    if not isinstance(document, dict):
        raise StatementInputError("input must be a JSON object")
    birth_year = _whole(document, "birth_year")
    last_data = last_statement_year()
    through = _whole(document, "through_year") if document.get("through_year") is not None else last_data
    if not FIRST_COHORT <= birth_year <= last_data - WORKING_AGE:
        raise StatementInputError(f"birth_year must be between {FIRST_COHORT} and {last_data - WORKING_AGE}")
    if through > last_data:
        raise StatementInputError(f"through_year {through} is after the last statement year with data ({last_data})")
    incomes = _incomes(document)
    try:
        credits = credits_by_year(document, before=through)
    except ForecastInputError as error:
        raise StatementInputError(str(error)) from error
    years = set(incomes) | set(credits)
    if not years:
        raise StatementInputError("income_history (or credits) must name at least one year")
    first, last = min(years), through - 1
    if first < FIRST_YEAR:
        raise StatementInputError(f"income years start in {FIRST_YEAR}; {first} is earlier")
    if max(years) > last:
        raise StatementInputError(f"income years must be before through_year {through} (rights show a year later)")
    income, credit = _matrix(incomes, first, last), _matrix(credits, first, last)
    income_years = np.arange(first, last + 1)
    income[0, income_years - birth_year < WORKING_AGE] = 0.0  # income before the year one turns 16 gives nothing
    pgi, ip, pp = np.zeros_like(income), np.zeros_like(income), np.zeros_like(income)
    for column, year in enumerate(income_years.tolist()):
        pgi[0, column] = pensionable_income(income[0, column], year).pensionable_income[0]
        rights = pension_rights(pgi[0, column], year, credit[0, column], birth_year=birth_year)
        ip[0, column], pp[0, column] = rights.income_pension_right[0], rights.premium_pension_right[0]
    statement_years = range(first + 1, through + 1)
    return {
        "income_pension": _rows(income_pension_statements(ip, first, birth_year), statement_years),
        "premium_pension": _rows(premium_pension_statements(pp, first, birth_year), statement_years),
        "pension_rights": [
            {
                "year": year,
                "pensionable_income": money(float(pgi[0, column])),
                "pensionable_amount": money(float(credit[0, column]), 2),
                "income_pension_rights": money(float(ip[0, column]), 2),
                "premium_pension_rights": money(float(pp[0, column]), 2),
            }
            for column, year in enumerate(income_years.tolist())
        ],
    }
