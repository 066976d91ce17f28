"""Dated rule periods of rules.yaml turned into yearly arrays, so rules can be gathered per person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import FloatArray, IntArray
from pension_engine.parameters import FIRST_YEAR, LAST_YEAR

Value = TypeVar("Value", bound=np.generic)


def by_year(values_from: Iterable[tuple[int, float]], first: int = FIRST_YEAR) -> FloatArray:
    """A read-only array of each year (or birth year) ``first``–2140 holding the value in force that year.

    ``values_from`` holds (start, value) pairs ordered by start; each value applies until the next start,
    and years before the first start are NaN.
    """
    keys = np.arange(first, LAST_YEAR + 1)
    out = np.full(keys.size, np.nan)
    for start, value in values_from:
        out[keys >= start] = value
    out.flags.writeable = False
    return out


def take_yearly(values: npt.NDArray[Value], years: IntArray, first: int = FIRST_YEAR) -> npt.NDArray[Value]:
    """Gather a yearly array for an array of years (clipped to the array's range)."""
    return values[np.clip(years - first, 0, values.size - 1)]
