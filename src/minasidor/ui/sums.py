"""Whole kronor that add up as shown: the rows of a table and its total (decision 0084).

A table of amounts kept to the öre, each rounded on its own, can show rows that do not add up to the shown
total (428 512 + 179 001 shown as "607 512"). Two ways keep the shown figures true:

- ``sum_of_shown``: the total is the sum of the rows as shown (for a total that is only the sum of its rows);
- ``apportioned``: the total is rounded as usual and the rows are rounded so that they add up to it, by the
  largest-remainder method (for a result that stands on its own, such as an account's value at the end of
  the year, which next year's statement shows again as the value at its start).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from minasidor.ui.formatting import whole_kronor


def sum_of_shown(amounts: Sequence[Decimal | int]) -> int:
    """The total of ``amounts`` as each is shown (in whole kronor)."""
    return sum(whole_kronor(amount) for amount in amounts)


def apportioned(amounts: Sequence[Decimal], *, total: int) -> list[int]:
    """``amounts`` in whole kronor adding up to ``total``, each as near its exact value as the sum allows.

    Every amount is first rounded down; the kronor still missing go, one each, to the amounts with the
    largest remainders (ties to the earlier amount). When the exact amounts add up to within a krona of
    ``total`` (the usual case) no amount moves more than a krona from its exact value. Otherwise (amounts
    that do not add up to begin with) the difference is spread over all of them in turn.
    """
    if not amounts:
        if total != 0:
            raise ValueError("no amounts to make up a total other than zero")
        return []
    floors = [math.floor(amount) for amount in amounts]
    missing = total - sum(floors)
    rounds, rest = divmod(missing, len(amounts))
    by_remainder = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] - floors[i]), i))
    shown = [floor + rounds for floor in floors]
    for index in by_remainder[:rest]:
        shown[index] += 1
    return shown
