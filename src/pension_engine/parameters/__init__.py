"""Dated parameters of the Swedish old-age pension: data files with sources, loader and projection."""

from pension_engine.parameters.loader import (
    ParameterError,
    annuity_divisor_table,
    economic_series,
    forecast_standard,
    rules,
)
from pension_engine.parameters.projection import (
    FIRST_YEAR,
    LAST_YEAR,
    Assumptions,
    ParameterSet,
    last_actual_year,
    load_parameters,
)
from pension_engine.parameters.rule_types import Rules, Sourced

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Assumptions",
    "ParameterError",
    "ParameterSet",
    "Rules",
    "Sourced",
    "annuity_divisor_table",
    "economic_series",
    "forecast_standard",
    "last_actual_year",
    "load_parameters",
    "rules",
]
