"""Requirement (issue 14.2): rows rounded to whole kronor add up to the total shown with them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minasidor.ui.formatting import whole_kronor
from minasidor.ui.sums import apportioned, sum_of_shown

ore = st.integers(min_value=-(10**11), max_value=10**11).map(lambda n: Decimal(n) / 100)


def test_the_examples_of_the_issue_add_up() -> None:
    # Rounded one by one, 428 511.6 + 179 000.6 shows 428 512 + 179 001 under a total of 607 512.
    rows = [Decimal("428511.60"), Decimal("179000.60")]
    total = whole_kronor(sum(rows, Decimal(0)))
    assert [whole_kronor(row) for row in rows] == [428512, 179001]
    assert sum(whole_kronor(row) for row in rows) != total
    assert sum(apportioned(rows, total=total)) == total == 607512
    assert sum_of_shown(rows) == 607513


@given(st.lists(ore, min_size=1, max_size=8))
def test_apportioned_rows_add_up_and_stay_within_a_krona(rows: list[Decimal]) -> None:
    total = whole_kronor(sum(rows, Decimal(0)))
    shown = apportioned(rows, total=total)
    assert sum(shown) == total
    assert all(abs(row - amount) < 1 for row, amount in zip(rows, shown, strict=True))


@given(st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=8))
def test_whole_amounts_are_kept_as_they_are(rows: list[int]) -> None:
    assert apportioned([Decimal(row) for row in rows], total=sum(rows)) == rows


def test_rows_that_do_not_add_up_to_begin_with_still_add_up_as_shown() -> None:
    shown = apportioned([Decimal("1.2"), Decimal("2.2"), Decimal("3.2")], total=10)
    assert sum(shown) == 10
    with pytest.raises(ValueError, match="no amounts"):
        apportioned([], total=1)
