"""A pensioner's pension after a change of withdrawal, and while still working (decision 0150)."""

from __future__ import annotations

import datetime as dt

import pytest

from pension_engine.applied import (
    GUARANTEE_PENSION,
    INCOME_PENSION,
    INCOME_PENSION_SUPPLEMENT,
    PREMIUM_PENSION,
    IncomeHistory,
    PartChoice,
    application_amounts,
    history_with_work,
    withdrawal_amounts,
)

BORN = dt.date(1958, 1, 8)
START = dt.date(2023, 2, 1)


def _history(income: float = 420_000.0) -> IncomeHistory:
    rows = [(year, income, 0.16 * income, 0.025 * income) for year in range(1977, 2025)]
    return IncomeHistory.of_years(BORN, rows)


def _drawn(income_share: int, premium_share: int) -> dict[str, PartChoice]:
    return {
        INCOME_PENSION: PartChoice(INCOME_PENSION, START, income_share),
        PREMIUM_PENSION: PartChoice(PREMIUM_PENSION, START, premium_share),
    }


def _amounts(
    history: IncomeHistory, drawn: dict[str, PartChoice], *, guarantee: bool = False
) -> dict[str, dict[int, float]]:
    return withdrawal_amounts(
        history, drawn, guarantee=guarantee, years=[2026, 2027], married=True, residence_years=40.0
    )


def test_the_same_shares_pay_what_the_application_pays() -> None:
    history = _history()
    drawn = _drawn(100, 100)
    expected = application_amounts(history, drawn, years=[2026, 2027], married=True, residence_years=40.0)
    assert _amounts(history, drawn) == expected


def test_half_the_income_pension_is_about_half_of_the_whole() -> None:
    whole = _amounts(_history(), _drawn(100, 100))
    half = _amounts(_history(), _drawn(50, 100))
    for year in (2026, 2027):
        assert whole[INCOME_PENSION][year] > 0
        assert half[INCOME_PENSION][year] == pytest.approx(whole[INCOME_PENSION][year] / 2, rel=1e-3)
        assert half[PREMIUM_PENSION][year] == whole[PREMIUM_PENSION][year]


def test_a_paused_part_pays_nothing_and_the_other_part_is_unchanged() -> None:
    whole = _amounts(_history(), _drawn(100, 100))
    paused = _amounts(_history(), _drawn(100, 0))
    assert paused[PREMIUM_PENSION] == {2026: 0.0, 2027: 0.0}
    assert paused[INCOME_PENSION] == whole[INCOME_PENSION]


def test_guarantee_pension_is_paid_only_with_both_parts_whole() -> None:
    low = _history(income=120_000.0)
    whole = _amounts(low, _drawn(100, 100), guarantee=True)
    assert whole[GUARANTEE_PENSION][2026] > 0
    for shares in ((75, 100), (100, 0), (0, 0)):
        partial = _amounts(low, _drawn(*shares), guarantee=True)
        assert partial[GUARANTEE_PENSION] == {2026: 0.0, 2027: 0.0}
        assert partial[INCOME_PENSION_SUPPLEMENT] == {2026: 0.0, 2027: 0.0}


def test_work_while_drawing_raises_the_pension_two_years_later() -> None:
    decided = _history()
    working = history_with_work(decided, income_per_year=500_000.0, until_year=2026)
    assert len(working.income) == len(decided.income) + 2  # income years 2025 and 2026
    idle = withdrawal_amounts(
        decided, _drawn(100, 100), guarantee=False, years=[2026, 2027, 2028], married=True, residence_years=40.0
    )
    busy = withdrawal_amounts(
        working, _drawn(100, 100), guarantee=False, years=[2026, 2027, 2028], married=True, residence_years=40.0
    )
    assert busy[INCOME_PENSION][2026] == idle[INCOME_PENSION][2026]  # the 2025 right is credited in 2026
    assert busy[INCOME_PENSION][2027] > idle[INCOME_PENSION][2027]
    gained = {year: busy[INCOME_PENSION][year] - idle[INCOME_PENSION][year] for year in (2027, 2028)}
    assert gained[2028] > gained[2027]  # the 2026 right comes on top in 2028


def test_no_work_leaves_the_history_as_decided() -> None:
    decided = _history()
    assert history_with_work(decided, income_per_year=0.0, until_year=2024) is decided
    assert history_with_work(decided, income_per_year=-5.0, until_year=2025).income[-1] == pytest.approx(0.0)
