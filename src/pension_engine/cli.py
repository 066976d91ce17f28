"""Command-line interface: ``python -m pension_engine <command>``; JSON on stdout, JSON errors on stderr.

The contract (names, fields, exit code 2 for bad input) is fixed by issue 3 and described in docs/engine.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from pension_engine import annuity_divisor, guarantee_pension, indexation, retirement_ages
from pension_engine.forecast_io import ForecastInputError, forecast_from_json
from pension_engine.housing_io import HousingInputError, housing_supplement_from_json
from pension_engine.json_amounts import money
from pension_engine.parameters import FIRST_YEAR, ParameterError, last_actual_year, load_parameters, rules
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.rounding import round_kronor
from pension_engine.statement_io import StatementInputError, statement_from_json

EXIT_BAD_INPUT = 2
FIRST_AGE_RULE_YEAR = 1999
FIRST_GUARANTEE_PENSION_YEAR = 2003


class BadInputError(Exception):
    """Input the engine refuses: it answers with a message and exit code 2, never a number."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInputError(message)


def _year_in_data(year: int, first: int = FIRST_YEAR) -> int:
    last = last_actual_year()
    if not first <= year <= last:
        raise BadInputError(f"year {year} is outside the data ({first}–{last})")
    return year


def _non_negative(value: float, name: str) -> float:
    if not np.isfinite(value) or value < 0:
        raise BadInputError(f"{name} must be a non-negative number, got {value}")
    return value


def _age_in_year(function: Callable[[int], Any], year: int) -> int | None:
    return int(function(year)[0]) if year >= FIRST_AGE_RULE_YEAR else None


def command_parameters(args: argparse.Namespace) -> dict[str, Any]:
    year = _year_in_data(args.year)
    params = load_parameters()
    return {
        "year": year,
        "price_base_amount": money(params.at("price_base_amount", year)),
        "increased_price_base_amount": money(params.at("increased_price_base_amount", year)),
        "income_base_amount": money(params.at("income_base_amount", year)),
        "income_index": params.at("income_index", year),
        "balance_ratio": indexation.published_balance_ratio(year),
        "lowest_withdrawal_age": _age_in_year(retirement_ages.lowest_withdrawal_age_in_year, year),
        "target_retirement_age": _age_in_year(retirement_ages.target_retirement_age_in_year, year),
        "guarantee_pension_age": _age_in_year(retirement_ages.guarantee_pension_age_in_year, year),
    }


def command_rights(args: argparse.Namespace) -> dict[str, Any]:
    year = _year_in_data(args.year)
    income = _non_negative(args.income, "income")
    pgi = pensionable_income(income, year)
    rights = pension_rights(pgi.pensionable_income, year)
    return {
        "year": year,
        "income": money(income, 2),
        "general_pension_fee": money(pgi.general_pension_fee[0]),
        "pensionable_income": money(pgi.pensionable_income[0]),
        "income_pension_right": money(rights.income_pension_right[0], 2),
        "premium_pension_right": money(rights.premium_pension_right[0], 2),
    }


def command_guarantee_pension(args: argparse.Namespace) -> dict[str, Any]:
    year = _year_in_data(args.year, FIRST_GUARANTEE_PENSION_YEAR)
    residence = _non_negative(args.residence_years, "residence years")
    monthly_income = _non_negative(args.income_based_pension_monthly, "income-based pension")
    married = args.civil_status == "married"
    annual = guarantee_pension.guarantee_pension(12.0 * monthly_income, year, married, residence)
    return {
        "year": year,
        "monthly": money(round_kronor(annual / 12.0)[0]),
        "annual": money(round_kronor(annual)[0]),
    }


def command_indexation(args: argparse.Namespace) -> dict[str, Any]:
    first = rules().indexation.first_year
    year = _year_in_data(args.year, first)
    return {"year": year, "income_pension_change_percent": round(indexation.income_pension_change_percent(year), 2)}


def command_annuity_divisor(args: argparse.Namespace) -> dict[str, Any]:
    divisor = annuity_divisor.income_pension_divisor(args.birth_year, args.age)
    return {
        "birth_year": args.birth_year,
        "age": args.age,
        "income_pension_divisor": float(divisor[0]),
        "source": annuity_divisor.divisor_source(args.birth_year),
    }


def _input_text(source: str) -> str:
    return sys.stdin.read() if source == "-" else _read_file(source)


def command_forecast(args: argparse.Namespace) -> dict[str, Any]:
    try:
        return forecast_from_json(_input_text(args.input))
    except ForecastInputError as error:
        raise BadInputError(str(error)) from error


def command_housing_supplement(args: argparse.Namespace) -> dict[str, Any]:
    try:
        return housing_supplement_from_json(_input_text(args.input))
    except HousingInputError as error:
        raise BadInputError(str(error)) from error


def command_statement(args: argparse.Namespace) -> dict[str, Any]:
    try:
        return statement_from_json(_input_text(args.input))
    except StatementInputError as error:
        raise BadInputError(str(error)) from error


def _read_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise BadInputError(f"cannot read {path}: {error.strerror}") from error


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (exact names from issue 3)."""
    parser = _Parser(prog="python -m pension_engine", description="Swedish public old-age pension engine")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub = commands.add_parser("parameters", help="base amounts, indices and ages of a year")
    sub.add_argument("--year", type=int, required=True)
    sub.set_defaults(handler=command_parameters)
    sub = commands.add_parser("rights", help="pensionable income and pension rights of an income")
    sub.add_argument("--year", type=int, required=True)
    sub.add_argument("--income", type=float, required=True)
    sub.set_defaults(handler=command_rights)
    sub = commands.add_parser("guarantee-pension", help="guarantee pension for an income-based pension")
    sub.add_argument("--year", type=int, required=True)
    sub.add_argument("--civil-status", choices=("single", "married"), required=True)
    sub.add_argument("--residence-years", type=float, required=True)
    sub.add_argument("--income-based-pension-monthly", type=float, required=True)
    sub.set_defaults(handler=command_guarantee_pension)
    sub = commands.add_parser("indexation", help="January change of income pensions in payment")
    sub.add_argument("--year", type=int, required=True)
    sub.set_defaults(handler=command_indexation)
    sub = commands.add_parser("annuity-divisor", help="income-pension divisor of a cohort and age")
    sub.add_argument("--birth-year", type=int, required=True)
    sub.add_argument("--age", type=int, required=True)
    sub.set_defaults(handler=command_annuity_divisor)
    sub = commands.add_parser("forecast", help="pension forecast from a JSON file (or - for stdin)")
    sub.add_argument("--input", required=True)
    sub.set_defaults(handler=command_forecast)
    sub = commands.add_parser("housing-supplement", help="housing supplement and maintenance support (JSON, or -)")
    sub.add_argument("--input", required=True)
    sub.set_defaults(handler=command_housing_supplement)
    sub = commands.add_parser("statement", help="a saver's yearly statements from a JSON file (or - for stdin)")
    sub.add_argument("--input", required=True)
    sub.set_defaults(handler=command_statement)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; JSON result on stdout (exit 0) or a JSON error on stderr (exit 2)."""
    try:
        args = build_parser().parse_args(argv)
        result = args.handler(args)
    except (BadInputError, ParameterError) as error:
        sys.stderr.write(json.dumps({"error": "bad_input", "message": str(error)}, ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
