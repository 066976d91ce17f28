"""Load the dated parameter files (economy.yaml, rules.yaml, annuity_divisors.yaml) once per process.

rules.yaml and annuity_divisors.yaml are read into the frozen records of ``rule_types``; economy.yaml into
one ``EconomicSeries`` per series. A file that does not have the expected shape fails when it is loaded,
with a ``ParameterError`` naming the file and the key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from pension_engine.parameters.rule_types import AnnuityDivisorTable, ForecastStandard, Rules, Sourced

PARAMETER_DIR = Path(__file__).parent
Shape = TypeVar("Shape")


class ParameterError(ValueError):
    """A parameter is missing for the year asked, or a parameter file is malformed."""


@dataclass(frozen=True)
class EconomicSeries:
    """A yearly series of economic parameters (e.g. prisbasbelopp), each value sourced."""

    name: str
    description: str
    values: dict[int, Sourced]

    @property
    def first_year(self) -> int:
        return min(self.values)

    @property
    def last_year(self) -> int:
        return max(self.values)


def read_parameter_file(path: Path, shape: type[Shape]) -> Shape:
    """A parameter file read into ``shape``; a missing, unknown or mistyped key raises ParameterError."""
    try:
        return msgspec.yaml.decode(path.read_bytes(), type=shape)
    except msgspec.ValidationError as error:
        raise ParameterError(f"{path.name}: {error}") from error
    except (msgspec.DecodeError, OSError) as error:
        raise ParameterError(f"{path.name} cannot be read: {error}") from error


def _read_yaml(name: str) -> dict[str, Any]:
    with (PARAMETER_DIR / name).open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, dict):
        raise ParameterError(f"{name} must hold a mapping")
    return document


def _series_values(name: str, raw: Any) -> dict[int, Sourced]:
    try:
        return msgspec.convert(raw, dict[int, Sourced])
    except msgspec.ValidationError as error:
        raise ParameterError(f"economy.yaml: {error} (series {name}.values)") from error


@functools.cache
def economic_series() -> dict[str, EconomicSeries]:
    """All yearly economic series of economy.yaml, keyed by series name."""
    document = _read_yaml("economy.yaml")
    series: dict[str, EconomicSeries] = {}
    for name, body in document.items():
        if name == "sources":
            continue
        values = _series_values(name, body["values"])
        series[name] = EconomicSeries(name=name, description=str(body["description"]), values=values)
    return series


@functools.cache
def rules() -> Rules:
    """The dated rules of rules.yaml (periods are ordered by their start)."""
    return read_parameter_file(PARAMETER_DIR / "rules.yaml", Rules)


def forecast_standard() -> ForecastStandard:
    """The forecast standard's assumptions (prognosstandard) and its band, from rules.yaml."""
    return rules().forecast_standard


@functools.cache
def annuity_divisor_table() -> AnnuityDivisorTable:
    """The published and forecast delningstal table of annuity_divisors.yaml."""
    return read_parameter_file(PARAMETER_DIR / "annuity_divisors.yaml", AnnuityDivisorTable)
