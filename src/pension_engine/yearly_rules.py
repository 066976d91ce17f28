"""Dated rule periods of rules.yaml turned into yearly arrays, so rules can be gathered per person."""

from __future__ import annotations

import functools

import numpy as np

from pension_engine.arrays import FloatArray, IntArray
from pension_engine.parameters import FIRST_YEAR, LAST_YEAR, rules


@functools.cache
def yearly_rule(section: str, field: str) -> FloatArray:
    """The value of ``rules.yaml[section].periods[*][field]`` for every year 1960–2140."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    out = np.full(years.size, np.nan)
    for period in rules()[section]["periods"]:
        out[years >= int(period["from"])] = float(period[field])
    out.flags.writeable = False
    return out


@functools.cache
def yearly_age_rule(name: str) -> FloatArray:
    """An age rule of ``rules.yaml[ages][name]`` (a list of periods with a value) by year or cohort 1900–2140."""
    keys = np.arange(1900, LAST_YEAR + 1)
    out = np.full(keys.size, np.nan)
    for period in rules()["ages"][name]:
        out[keys >= int(period["from"])] = float(period["value"])
    out.flags.writeable = False
    return out


def take_yearly(values: FloatArray, years: IntArray, first: int = FIRST_YEAR) -> FloatArray:
    """Gather a yearly array for an array of years (clipped to the array's range)."""
    return values[np.clip(years - first, 0, values.size - 1)]
