"""Requirement: the tax estimate follows the 2025–2026 deduction rules of reference §8 (issue 3, rule 7)."""

from __future__ import annotations

import pytest

from pension_engine.tax import basic_deductions, entitled_to_increased_deduction, income_tax

PBB_2026 = 59_200


def test_basic_deduction_in_its_flat_segment() -> None:
    # 180 000 kr is 3.04 PBB: 0.77 PBB = 45 584, rounded up to 45 600.
    assert basic_deductions(180_000, 2026, False)[0] == 45_600


def test_basic_deduction_above_7_88_pbb() -> None:
    # Above 7.88 PBB: 0.293 PBB = 17 345.6, rounded up to 17 400.
    assert basic_deductions(600_000, 2026, False)[0] == 17_400


def test_basic_deduction_on_the_falling_segment() -> None:
    # 200 000 kr: x = 3.378; 0.77 − 0.1 (x − 3.11) = 0.7432 PBB = 43 997 → 44 000.
    assert basic_deductions(200_000, 2026, False)[0] == 44_000


def test_increased_deduction_is_added_for_the_entitled() -> None:
    # 2026, x = 3.378 (segment < 5): −0.073 + 0.356 x = 1.1296 PBB = 66 872 → 66 900; plus 44 000.
    assert basic_deductions(200_000, 2026, True)[0] == 110_900


def test_who_gets_the_increased_deduction() -> None:
    assert entitled_to_increased_deduction(1957, 67)[0]
    assert not entitled_to_increased_deduction(1957, 66)[0]
    assert not entitled_to_increased_deduction(1960, 67)[0]  # born 1960: from the year they turn 68
    assert entitled_to_increased_deduction(1960, 68)[0]


def test_income_tax_uses_the_average_municipal_rate_by_default() -> None:
    # 200 000, no increased deduction: taxable 156 000 × 32.38 % = 50 512.80; no state tax.
    assert income_tax(200_000, 2026, False)[0] == pytest.approx(50_512.80)
    assert income_tax(200_000, 2026, False, 0.30)[0] == pytest.approx(46_800.0)


def test_state_tax_above_the_threshold() -> None:
    # 800 000: deduction 17 400, taxable 782 600; state tax 20 % of (782 600 − 643 000) = 27 920.
    tax = income_tax(800_000, 2026, False, 0.30)[0]
    assert tax == pytest.approx(0.30 * 782_600 + 27_920)
