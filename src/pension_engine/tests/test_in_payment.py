"""Requirement: after withdrawal starts the accounts pay out (decision 0075) and pensioners are paid by the
rules (decision 0076): the account falls by what is paid, a pensioner who still works earns rights that
recalculate the pension, pensions in payment follow the index each January, and the pension parts —
tilläggspension, guarantee pension, income-pension supplement and the tax — come from the engine's rules.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pension_engine.annuity_divisor import income_pension_divisor, premium_pension_divisor
from pension_engine.guarantee_pension import guarantee_pension
from pension_engine.in_payment import BENEFITS, Pensioners, pensions_in_payment, years_with_pensionable_income
from pension_engine.income_pension_account import (
    income_pension_history,
    income_pension_statements,
    roll_forward_income_pension,
)
from pension_engine.indexation import in_payment_factor
from pension_engine.parameters import FIRST_YEAR, load_parameters
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.premium_pension import premium_pension_history, roll_forward_premium_pension
from pension_engine.rounding import round_kronor
from pension_engine.tax import entitled_to_increased_deduction, income_tax
from pension_engine.withdrawal import NOT_DRAWING, Withdrawal, WithdrawalError

HISTORY = np.arange(1960, 2026)


def items_sum(statement: object, row: int = 0) -> float:
    names = ("opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out")
    return float(sum(getattr(statement, name)[row] for name in names))


def rights_of(income: np.ndarray, birth_year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rights by income year (persons × 1960–2025) from gross income, by the engine's rules."""
    ip, pp = np.zeros_like(income), np.zeros_like(income)
    for column, year in enumerate(HISTORY.tolist()):
        pgi = pensionable_income(income[:, column], year).pensionable_income
        rights = pension_rights(pgi, year, birth_year=birth_year)
        ip[:, column], pp[:, column] = rights.income_pension_right, rights.premium_pension_right
    return ip, pp


def career(birth_year: int, level: float, *, until: int, from_age: int = 22, after: float = 0.0) -> np.ndarray:
    """Gross income 1960–2025: ``level`` × the average PGI from ``from_age`` until ``until``, ``after`` × it later."""
    average = load_parameters().series("average_pgi")[HISTORY - FIRST_YEAR]
    working = HISTORY - birth_year >= from_age
    factor = np.where(until > HISTORY, level, after)
    return np.asarray(np.round(np.where(working, average * factor, 0.0), -2))


def test_a_payout_leaves_the_account_before_the_value_change_and_the_items_add_up() -> None:
    statement = roll_forward_income_pension(
        [1_000_000.0], [20_000.0], [1.004], [1.03], [0.9997], paid_out=[60_000.0], share_drawn=[1.0]
    )
    assert statement.paid_out[0] == -60_000.0
    assert statement.inheritance_gains[0] == 0.0  # the drawn part: mortality is in the divisor
    assert statement.value_change[0] == pytest.approx(960_000.0 * 0.03)
    assert statement.closing_value[0] == pytest.approx(960_000.0 * 1.03 * 0.9997)
    assert items_sum(statement) == pytest.approx(statement.closing_value[0])
    half = roll_forward_premium_pension([100_000.0], [0.0], [1.01], 0.05, 0.001, paid_out=[3_000.0], share_drawn=[0.5])
    assert half.inheritance_gains[0] == pytest.approx(100_000.0 * 0.5 * 0.01)  # gains on the part not drawn
    assert half.value_change[0] == pytest.approx((100_000.0 + 500.0 - 3_000.0) * 0.05)
    assert items_sum(half) == pytest.approx(half.closing_value[0])


amounts = st.floats(min_value=0, max_value=5_000_000, allow_nan=False)


@settings(deadline=None)
@given(
    opening=amounts,
    rights=st.floats(min_value=0, max_value=120_000),
    paid=st.floats(min_value=0, max_value=400_000),
    share=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
    index=st.floats(min_value=0.9, max_value=1.1),
)
def test_the_items_always_add_up_and_paying_out_never_raises_the_balance(
    opening: float, rights: float, paid: float, share: float, index: float
) -> None:
    kept = roll_forward_income_pension(
        [opening], [rights], [1.001], [index], [0.9997], paid_out=[paid], share_drawn=[share]
    )
    unpaid = roll_forward_income_pension([opening], [rights], [1.001], [index], [0.9997], share_drawn=[share])
    assert items_sum(kept) == pytest.approx(kept.closing_value[0], abs=1e-6 * (opening + rights + paid + 1))
    assert kept.closing_value[0] <= unpaid.closing_value[0] + 1e-6
    assert kept.paid_out[0] == -paid


def test_savers_statements_are_unchanged_by_the_withdrawal_machinery() -> None:
    rights = np.array([[40_000.0, 42_000.0, 44_000.0, 45_000.0]])
    plain = income_pension_statements(rights, 2021, 1980)
    with_none = income_pension_statements(rights, 2021, 1980, withdrawal=Withdrawal.none(1))
    for year, statement in plain.items():
        assert np.array_equal(statement.closing_value, with_none[year].closing_value)
        assert statement.paid_out[0] == 0.0
    opening = plain[2024].closing_value
    factor = plain[2025].closing_value / (opening + rights[:, 3])
    assert plain[2025].inheritance_gains[0] > 0
    cost = load_parameters().series("income_pension_cost_factor")[2025 - FIRST_YEAR]
    gains = 1 + plain[2025].inheritance_gains[0] / (opening[0] + rights[0, 3])
    # (B + R) · a · i · k, i the change of the index decided for the next year (docs/decisions/0120)
    assert factor[0] == pytest.approx(gains * (228.08 / 220.23) * cost)


def test_the_pension_starts_as_balance_over_divisor_and_then_follows_the_index() -> None:
    born = np.array([1955])
    ip, _ = rights_of(career(1955, 1.0, until=2019)[np.newaxis, :], born)  # the last right is in the balance
    history = income_pension_history(ip, 1960, born, withdrawal=Withdrawal.of(2020, 1, 1.0))
    balance = history.statements[2019].closing_value[0]
    started = balance / income_pension_divisor(1955, 65)[0]
    assert history.monthly_pension[2019][0] == 0.0
    assert history.monthly_pension[2020][0] == round_kronor(np.array([started / 12]))[0]
    factors = in_payment_factor()
    later = started * factors[2021 - FIRST_YEAR] * factors[2022 - FIRST_YEAR]
    assert history.monthly_pension[2022][0] == round_kronor(np.array([later / 12]))[0]  # no rights after 2019
    assert history.statements[2022].paid_out[0] == -12 * history.monthly_pension[2022][0]
    for year in range(2020, 2026):
        statement = history.statements[year]
        assert items_sum(statement) == pytest.approx(statement.closing_value[0])
    assert history.statements[2025].closing_value[0] < history.statements[2020].opening_value[0]


def test_a_pensioner_who_still_works_has_the_pension_recalculated_each_year() -> None:
    born = np.array([1958, 1958])
    income = np.stack([career(1958, 1.3, until=2023, after=0.5), career(1958, 1.3, until=2023)])
    ip, _ = rights_of(income, born)
    history = income_pension_history(ip, 1960, born, withdrawal=Withdrawal.of([2023, 2023], 1, 1.0))
    monthly = {year: history.monthly_pension[year] for year in (2024, 2025, 2026)}
    # The right for income year 2023 is credited in 2024 and raises the pension from January 2025.
    assert monthly[2024][0] == monthly[2024][1]
    credited = history.statements[2024].new_rights[0]
    assert credited > 0
    extra_yearly = (monthly[2025][0] - monthly[2025][1]) * 12
    # Worth its revaluation at the end of 2024 (the index decided for 2025) and the cost deduction, over
    # the divisor at 67 in 2025.
    assert extra_yearly == pytest.approx(
        credited * (220.23 / 208.41) * 0.999655 / income_pension_divisor(1958, 67)[0], rel=0.02
    )
    assert np.all(monthly[2026][0] > monthly[2026][1])


def test_the_start_month_and_a_partial_withdrawal_set_what_is_paid_out() -> None:
    born = np.array([1959, 1959])
    ip, _ = rights_of(np.stack([career(1959, 1.0, until=2024)] * 2), born)
    history = income_pension_history(ip, 1960, born, withdrawal=Withdrawal.of([2024, 2024], [10, 1], [1.0, 0.5]))
    first = history.statements[2024]
    assert first.paid_out[0] == -3 * history.monthly_pension[2024][0]  # October to December
    assert history.monthly_pension[2024][1] == pytest.approx(history.monthly_pension[2024][0] / 2, abs=1)
    assert first.paid_out[1] == -12 * history.monthly_pension[2024][1]
    assert first.inheritance_gains[1] > 0 == first.inheritance_gains[0]


def test_the_premium_pension_is_recalculated_from_the_capital_each_year() -> None:
    born = np.array([1957])
    _, pp = rights_of(career(1957, 1.0, until=2030, after=1.0)[np.newaxis, :], born)
    history = premium_pension_history(pp, 1960, born, withdrawal=Withdrawal.of(2022, 1, 1.0))
    for year in (2022, 2023, 2024, 2025):
        capital = history.statements[year - 1].closing_value
        yearly = capital / premium_pension_divisor(1957, year - 1957)
        assert history.monthly_pension[year][0] == round_kronor(yearly / 12)[0]
        assert history.statements[year].paid_out[0] == -12 * history.monthly_pension[year][0]


def test_withdrawals_refuse_bad_shares_and_months() -> None:
    with pytest.raises(WithdrawalError, match="25, 50, 75 or 100"):
        Withdrawal.of(2020, 1, 0.6)
    with pytest.raises(WithdrawalError, match="start_month"):
        Withdrawal.of(2020, 13, 1.0)
    saver = Withdrawal.none(2)
    assert not saver.drawing(2100).any()
    assert np.array_equal(saver.start_year, [NOT_DRAWING, NOT_DRAWING])
    assert Withdrawal.of(2020, 4).months_paid(2020)[0] == 9


def pensioners(
    birth_year: list[int],
    level: list[float],
    start: list[int],
    *,
    residence: float | list[float] = 40.0,
    share: float = 1.0,
    after: list[float] | None = None,
    from_age: int = 22,
) -> Pensioners:
    born = np.array(birth_year)
    later = after or [0.0] * born.size
    income = np.stack(
        [
            career(b, lv, until=s, after=a, from_age=from_age)
            for b, lv, s, a in zip(birth_year, level, start, later, strict=True)
        ]
    )
    ip, pp = rights_of(income, born)
    size = born.size
    return Pensioners(
        birth_year=born,
        history_first_year=1960,
        income=income,
        income_pension_rights=ip,
        premium_pension_rights=pp,
        withdrawal=Withdrawal.of(np.array(start), 1, share),
        married=np.zeros(size, dtype=np.bool_),
        residence_years=np.broadcast_to(np.asarray(residence, dtype=np.float64), (size,)).copy(),
        municipal_tax_rate=np.full(size, 0.32),
    )


def test_transition_cohorts_get_supplementary_pension_and_it_lowers_the_guarantee_pension() -> None:
    group = pensioners([1945, 1960], [0.6, 0.6], [2010, 2025])
    paid = pensions_in_payment(group, [2026]).by_year[2026].parts
    assert paid.supplementary_pension[0] > 0 == paid.supplementary_pension[1]
    # The same person without the tilläggspension history: more guarantee pension.
    without = pensioners([1945], [0.6], [2010])
    born_later = Pensioners(**{**vars(without), "income": np.zeros_like(without.income)})
    alone = pensions_in_payment(born_later, [2026]).by_year[2026].parts
    assert alone.supplementary_pension[0] == 0
    assert alone.guarantee_pension[0] > paid.guarantee_pension[0]


def test_guarantee_pension_needs_full_withdrawal_and_the_guarantee_pension_age() -> None:
    early = pensioners([1956, 1956], [0.3, 0.3], [2018, 2018])
    history = pensions_in_payment(early, [2019, 2026])
    assert history.by_year[2019].parts.guarantee_pension[0] == 0  # 63: too young
    assert history.first_year["guarantee_pension"][0] == 2021  # born 1956: from 65
    assert history.by_year[2026].parts.guarantee_pension[0] > 0
    half = pensioners([1956], [0.3], [2018], share=0.5)
    assert pensions_in_payment(half, [2026]).by_year[2026].parts.guarantee_pension[0] == 0


def test_the_guarantee_pension_and_the_supplement_follow_the_rules_of_each_year() -> None:
    group = pensioners([1950, 1952], [0.25, 0.7], [2015, 2017], residence=30.0)
    history = pensions_in_payment(group, [2025, 2026])
    for year, paid in history.by_year.items():
        parts = paid.parts
        assert np.all(parts.income_pension_supplement <= 600)
        assert np.all(parts.guarantee_pension >= 0)
        increased = entitled_to_increased_deduction(group.birth_year, year - group.birth_year)
        tax = income_tax(12 * paid.total_before_tax, year, increased, group.municipal_tax_rate)
        assert np.array_equal(paid.tax, round_kronor(tax / 12))
        assert np.array_equal(paid.total_before_tax, sum(getattr(parts, name) for name in BENEFITS))
    gp_2025 = history.by_year[2025].parts.guarantee_pension[0]
    assert gp_2025 > 0
    assert gp_2025 <= round_kronor(guarantee_pension(0.0, 2025, False, 30.0) / 12)[0]


def test_payments_change_with_the_indexation_of_each_january() -> None:
    group = pensioners([1948, 1955, 1958], [1.0, 1.2, 0.8], [2012, 2020, 2023])
    history = pensions_in_payment(group, [2025, 2026])
    before, after = history.by_year[2025].parts, history.by_year[2026].parts
    change = in_payment_factor()[2026 - FIRST_YEAR]
    assert after.income_pension == pytest.approx(before.income_pension * change, abs=1.0)
    assert after.supplementary_pension[0] == pytest.approx(before.supplementary_pension[0] * change, abs=1.0)
    assert np.all(history.first_year["income_pension"] == [2012, 2020, 2023])


def test_a_group_of_pensioners_is_paid_like_each_of_them_alone() -> None:
    group = pensioners([1941, 1950, 1956, 1960], [0.4, 1.0, 2.5, 0.2], [2004, 2015, 2021, 2025], residence=25.0)
    together = pensions_in_payment(group, [2026])
    for row in range(group.birth_year.size):
        pick = slice(row, row + 1)
        alone = Pensioners(
            birth_year=group.birth_year[pick],
            history_first_year=group.history_first_year,
            income=group.income[pick],
            income_pension_rights=group.income_pension_rights[pick],
            premium_pension_rights=group.premium_pension_rights[pick],
            withdrawal=Withdrawal.of(group.withdrawal.start_year[pick], 1, 1.0),
            married=group.married[pick],
            residence_years=group.residence_years[pick],
            municipal_tax_rate=group.municipal_tax_rate[pick],
        )
        by_one = pensions_in_payment(alone, [2026])
        for name in BENEFITS:
            assert getattr(by_one.by_year[2026].parts, name)[0] == getattr(together.by_year[2026].parts, name)[row]
            assert by_one.first_year[name][0] == together.first_year[name][row]


def test_rights_earned_after_the_guarantee_pension_age_lower_the_guarantee_pension() -> None:
    # Born 1956 (guarantee pension from 65, in 2021), both drawing from 2021 on a low income; the first
    # keeps working at the same level. The right of income year 2021 is credited in 2022 and recalculates
    # the income pension — and the guarantee-pension underlag — from January 2023 (docs/decisions/0121).
    group = pensioners([1956, 1956], [0.35, 0.35], [2021, 2021], after=[0.35, 0.0])
    history = pensions_in_payment(group, [2022, 2023, 2026])
    same, later = history.by_year[2022].parts, history.by_year[2026].parts
    assert same.guarantee_pension[0] == same.guarantee_pension[1] > 0
    assert later.income_pension[0] > later.income_pension[1]
    assert later.guarantee_pension[0] < later.guarantee_pension[1]
    # Below the threshold the guarantee pension falls krona for krona with the underlag, which counts all
    # 18.5 % of the new rights (the premium-pension part as if it were income pension): 18.5/16 of the rise
    # in the income pension.
    rise = later.income_pension[0] - later.income_pension[1]
    fall = later.guarantee_pension[1] - later.guarantee_pension[0]
    assert fall == pytest.approx(rise * 18.5 / 16, abs=2)


def test_the_supplement_is_scaled_by_years_with_pensionable_income_not_by_residence() -> None:
    # Same income-based pension; 20 or 40 years of residence: the same supplement (the guarantee pension
    # differs). A career of 20 years instead of 43: half the supplement (SFB 74 a kap., 0121).
    long_career = pensioners([1956, 1956], [0.8, 0.8], [2021, 2021], residence=[40.0, 20.0])
    short_career = pensioners([1956], [0.8], [2021], from_age=45)
    long_paid = pensions_in_payment(long_career, [2026]).by_year[2026].parts
    short_paid = pensions_in_payment(short_career, [2026]).by_year[2026].parts
    assert long_paid.income_pension_supplement[0] == long_paid.income_pension_supplement[1] > 0
    first = 1956 + 45  # years 2001–2020 with pensionable income: 20
    assert short_career.income[0, first - 1960 - 1] == 0 < short_career.income[0, first - 1960]
    years_ratio = 20 / 40
    assert short_paid.income_pension_supplement[0] <= long_paid.income_pension_supplement[0]
    supplement_if_full = (
        pensions_in_payment(
            Pensioners(**{**vars(short_career), "pensionable_income": np.where(HISTORY < 2021, 1.0, 0.0)[None, :]}),
            [2026],
        )
        .by_year[2026]
        .parts.income_pension_supplement[0]
    )
    assert short_paid.income_pension_supplement[0] == pytest.approx(supplement_if_full * years_ratio, abs=1)


def test_years_with_pensionable_income_count_from_16_to_the_year_before_the_guarantee_pension_age() -> None:
    pgi = np.ones((2, HISTORY.size))
    counted = years_with_pensionable_income(pgi, 1960, np.array([1956, 1990]), np.array([2021, 2057]))
    assert counted.tolist() == [2020 - 1972 + 1, 2025 - 2006 + 1]  # 49 (from 16 in 1972), 20 (data to 2025)
