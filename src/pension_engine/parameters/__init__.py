"""Dated parameters of the Swedish old-age pension: data files with sources, loader and projection."""

from pension_engine.parameters.loader import (
    ParameterError,
    Sourced,
    annuity_divisor_table,
    economic_series,
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

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Assumptions",
    "ParameterError",
    "ParameterSet",
    "Sourced",
    "annuity_divisor_table",
    "economic_series",
    "last_actual_year",
    "load_parameters",
    "rules",
]
