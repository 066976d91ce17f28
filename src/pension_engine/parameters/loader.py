"""Load the dated parameter files (economy.yaml, rules.yaml, annuity_divisors.yaml) once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PARAMETER_DIR = Path(__file__).parent
CONFIDENCE_MARKS = frozenset({"confirmed", "model", "unconfirmed"})


class ParameterError(ValueError):
    """A parameter is missing for the year asked, or a parameter file is malformed."""


@dataclass(frozen=True)
class Sourced:
    """One dated value with where it comes from and how sure we are of it."""

    value: float
    source: str
    confidence: str


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


def _read_yaml(name: str) -> dict[str, Any]:
    with (PARAMETER_DIR / name).open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, dict):
        raise ParameterError(f"{name} must hold a mapping")
    return document


def _sourced(raw: dict[str, Any], where: str) -> Sourced:
    confidence = str(raw["confidence"])
    if confidence not in CONFIDENCE_MARKS:
        raise ParameterError(f"{where}: unknown confidence mark {confidence!r}")
    return Sourced(value=float(raw["value"]), source=str(raw["source"]), confidence=confidence)


@functools.cache
def economic_series() -> dict[str, EconomicSeries]:
    """All yearly economic series of economy.yaml, keyed by series name."""
    document = _read_yaml("economy.yaml")
    series: dict[str, EconomicSeries] = {}
    for name, body in document.items():
        if name == "sources":
            continue
        values = {int(year): _sourced(raw, f"{name} {year}") for year, raw in body["values"].items()}
        series[name] = EconomicSeries(name=name, description=str(body["description"]), values=values)
    return series


@functools.cache
def rules() -> dict[str, Any]:
    """The dated rules of rules.yaml as a plain mapping (periods are lists ordered by start)."""
    return _read_yaml("rules.yaml")


@functools.cache
def annuity_divisor_table() -> dict[str, Any]:
    """The published and forecast delningstal table of annuity_divisors.yaml."""
    return _read_yaml("annuity_divisors.yaml")
