"""Array types and conversions shared by every rule: the engine works on struct-of-arrays populations."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]


def as_float(values: npt.ArrayLike) -> FloatArray:
    """Return ``values`` as a one-dimensional float64 array (a scalar becomes a population of one)."""
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


def as_int(values: npt.ArrayLike) -> IntArray:
    """Return ``values`` as a one-dimensional int64 array (a scalar becomes a population of one)."""
    return np.atleast_1d(np.asarray(values, dtype=np.int64))
