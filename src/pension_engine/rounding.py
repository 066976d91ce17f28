"""Rounding conventions of the law and of the Pensions Agency (docs/decisions/0011).

Money is float64 inside the engine; these functions round exactly where the rules round. A tolerance of
one millionth of the rounding step absorbs binary noise (0.07 · 614 900 = 43 042.999…) so that it cannot
move a value across a rounding boundary; amounts are never meaningful below 0.01 öre.
"""

from __future__ import annotations

import numpy as np

from pension_engine.arrays import FloatArray


def to_ore(amount: FloatArray) -> FloatArray:
    """Round to whole öre (two decimals), the finest unit money is kept in."""
    return np.round(amount, 2)


TOLERANCE = 1e-6


def round_down(amount: FloatArray, step: float | FloatArray) -> FloatArray:
    """Round down to a whole multiple of ``step`` (income and PGI to whole 100 kr, SFB 59 kap.)."""
    return np.asarray(np.floor(amount / step + TOLERANCE) * step)


def round_up(amount: FloatArray, step: float | FloatArray) -> FloatArray:
    """Round up to a whole multiple of ``step`` (PGI floor, basic deduction)."""
    return np.asarray(np.ceil(amount / step - TOLERANCE) * step)


def round_nearest_half_down(amount: FloatArray, step: float) -> FloatArray:
    """Round to the nearest multiple of ``step`` with an exact half going down.

    The general pension fee is rounded to the nearest 100 kr this way: the workbook's
    ``Int((x + 49) / 100) * 100`` on whole kronor [S1 contributions.ts], and PM's own worked line
    "614 934 × 7 % = 43 045 ≈ 43 000" [S4 2024].
    """
    return np.asarray(np.ceil(amount / step - 0.5 - TOLERANCE) * step)


def round_kronor(amount: FloatArray) -> FloatArray:
    """Round to whole kronor, half up (monthly amounts paid by the Pensions Agency)."""
    rounded = np.add(amount, 0.5 + TOLERANCE, dtype=np.float64)
    return np.floor(rounded, out=rounded)
