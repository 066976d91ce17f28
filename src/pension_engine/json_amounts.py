"""Money amounts as the command line writes them in JSON: whole kronor as ints, else a decimal rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(amount: float, decimals: int = 0) -> int | float:
    """A money amount for JSON: whole kronor as an int, else rounded half up to ``decimals`` via Decimal."""
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(repr(float(amount))).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)
