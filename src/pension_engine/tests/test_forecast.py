"""Requirement: accounts, withdrawal and the forecast follow the rules of issue 3 (items 3–5, 8).

Account roll-forward items, the timing of rights, partial withdrawal, the lowest withdrawal age, the
guarantee-pension age, indexation in payment and the forecast standard's fixed prices.
"""

from __future__ import annotations

import numpy as np
import pytest

from pension_engine.forecast import forecast
from pension_engine.income_pension_account import (
    income_pension_statements,
    roll_forward_balance,
    roll_forward_income_pension,
)
from pension_engine.indexation import income_pension_change_percent
from pension_engine.parameters import Assumptions, load_parameters
from pension_engine.population import Population
from pension_engine.premium_pension import premium_pension_statements, roll_forward_premium_pension
from pension_engine.withdrawal import (
    WithdrawalError,
    check_withdrawal,
    income_pension_annual,
    index_in_payment,
    monthly_amount,
)


def test_statement_items_add_up_to_the_closing_value() -> None:
    statement = roll_forward_income_pension([1_000_000.0], [50_000.0], [1.0002], [1.05], [0.9997])
    items = (
        statement.opening_value
        + statement.new_rights
        + statement.inheritance_gains
        + statement.value_change
        + statement.fees
    )
    assert items[0] == pytest.approx(statement.closing_value[0])
    assert statement.closing_value[0] == pytest.approx(1_050_000 * 1.0002 * 1.05 * 0.9997)
    assert statement.fees[0] < 0 < statement.value_change[0]
    fast = roll_forward_balance(np.array([1_000_000.0]), np.array([50_000.0]), 1.0002, 1.05, 0.9997)
    assert fast[0] == pytest.approx(statement.closing_value[0])


def test_premium_pension_items() -> None:
    statement = roll_forward_premium_pension([100_000.0], [10_000.0], [1.0], 0.10, 0.001)
    assert statement.value_change[0] == pytest.approx(11_000.0)
    assert statement.fees[0] == pytest.approx(-121.0)


def test_withdrawal_below_the_lowest_age_is_refused() -> None:
    with pytest.raises(WithdrawalError, match="lowest withdrawal age 64"):
        check_withdrawal(1965, 63)
    with pytest.raises(WithdrawalError, match="25, 50, 75 or 100"):
        check_withdrawal(1965, 65, 0.6)


def test_income_pension_is_balance_over_divisor_and_partial_withdrawal_scales_it() -> None:
    # Cohort 1938 at 65: divisor 15.56 (reference §2.4).
    full = income_pension_annual(1_556_000.0, 1938, 65)
    half = income_pension_annual(1_556_000.0, 1938, 65, share=0.5)
    assert full[0] == pytest.approx(100_000.0)
    assert half[0] == pytest.approx(50_000.0)
    assert monthly_amount(full)[0] == 8333
    # Six months after the 65th birthday: halfway between 15.56 and 14.99.
    assert income_pension_annual(1_527_500.0, 1938, 65, months=6)[0] == pytest.approx(100_000.0)


def test_indexation_in_payment_uses_the_1_6_percent_norm() -> None:
    changed = index_in_payment(100_000.0, 2025, 2026)
    assert changed[0] == pytest.approx(100_000.0 * (1 + income_pension_change_percent(2026) / 100))
    assert changed[0] == pytest.approx(100_000.0 * (228.08 / 220.23) / 1.016)


def test_forecast_standard_keeps_base_amounts_at_todays_level() -> None:
    params = load_parameters(2027, Assumptions())
    for name in ("price_base_amount", "income_base_amount", "increased_price_base_amount"):
        assert params.at(name, 2040) == params.at(name, 2026)
    assert params.at("premium_pension_return", 2040) == pytest.approx(0.019)


def person(**changes: object) -> Population:
    arguments: dict[str, object] = {
        "birth_year": 1962,
        "income_by_year": dict.fromkeys(range(1985, 2026), 300000.0),
        "residence_years": 40.0,
    }
    arguments.update(changes)
    return Population.of_one(**arguments)  # type: ignore[arg-type]


def test_rights_of_the_last_income_year_count_at_withdrawal() -> None:
    # Income only in 2025: its right (decided and credited in 2026) joins the balance behind a pension from
    # 64 in January 2026 at its own value — no revaluation for the year between (docs/decisions/0120) —
    # divided by the divisor 17.86.
    alone = person(income_by_year={2025: 300_000.0})
    result = forecast(alone, as_of_year=2026, withdrawal_ages=[64], with_band=False)
    right = 0.16 * 279_000  # right on the PGI of 300 000 in 2025
    assert result.expected.income_pension[0, 0] == pytest.approx(right / 17.86 / 12, abs=0.5)


def test_a_balance_closed_last_year_stands_at_this_years_index() -> None:
    # Income only in 2024: the right is credited in the 2025 statement, whose closing value is revalued by
    # the index decided for 2026 (228.08 / 220.23): the pension from January 2026 is in 2026's money.
    alone = person(income_by_year={2024: 300_000.0})
    result = forecast(alone, as_of_year=2026, withdrawal_ages=[64], with_band=False)
    right = 0.16 * 279_000  # PGI of 300 000 in 2024: fee 21 000, PGI 279 000
    cost = 0.999655  # the 2024 cost factor, carried on (inheritance gains at 62 are below 0.1 %)
    expected = right * (228.08 / 220.23) * cost / 17.86 / 12
    assert result.expected.income_pension[0, 0] == pytest.approx(expected, rel=0.002)


def test_guarantee_pension_starts_at_the_guarantee_pension_age() -> None:
    low_income = person(income_by_year=dict.fromkeys(range(1985, 2026), 60000.0))
    result = forecast(low_income, as_of_year=2026, withdrawal_ages=range(64, 70), with_band=False)
    guarantee = result.expected.guarantee_pension[0]
    assert guarantee[:3].tolist() == [0, 0, 0]  # born 1962: guarantee pension from 67
    assert np.all(guarantee[3:] > 0)


def test_partial_withdrawal_gives_no_guarantee_pension() -> None:
    half = forecast(person(withdrawal_share=0.5), as_of_year=2026, withdrawal_ages=[67], with_band=False)
    full = forecast(person(), as_of_year=2026, withdrawal_ages=[67], with_band=False)
    assert half.expected.guarantee_pension[0, 0] == 0
    assert half.expected.income_pension[0, 0] == pytest.approx(full.expected.income_pension[0, 0] / 2, abs=1)


def test_ages_below_the_lowest_or_already_passed_are_masked() -> None:
    result = forecast(person(birth_year=1958), as_of_year=2026, withdrawal_ages=range(61, 71), with_band=False)
    allowed = result.allowed[0]
    assert allowed.tolist() == [False] * 7 + [True] * 3  # 68 in 2026: only 68–70 are still ahead
    assert np.isnan(result.expected.total_before_tax[0, 0])


def test_the_band_orders_the_scenarios() -> None:
    result = forecast(person(birth_year=1985), as_of_year=2026, withdrawal_ages=range(65, 71))
    allowed = result.allowed[0]
    expected = result.expected.total_before_tax[0][allowed]
    assert np.all(result.pessimistic_total[0][allowed] < expected)
    assert np.all(expected < result.optimistic_total[0][allowed])


def test_transition_cohort_gets_supplementary_pension() -> None:
    born_1950 = person(birth_year=1950, income_by_year=dict.fromkeys(range(1975, 2015), 250000.0))
    result = forecast(born_1950, as_of_year=2015, withdrawal_ages=[65], with_band=False)
    assert result.expected.supplementary_pension[0, 0] > 0
    assert result.expected.income_pension[0, 0] > 0


def test_yearly_statements_follow_the_envelope() -> None:
    # Rights for income years 2022–2024; the 2024 right is decided and credited in the 2025 statement.
    statements = income_pension_statements([[40_000.0, 42_000.0, 44_000.0]], 2022, 1980)
    assert sorted(statements) == [2023, 2024, 2025]
    assert statements[2025].new_rights[0] == 44_000.0
    assert statements[2024].closing_value[0] == statements[2025].opening_value[0]
    last = statements[2025]
    items = last.opening_value + last.new_rights + last.inheritance_gains + last.value_change + last.fees
    assert items[0] == pytest.approx(last.closing_value[0])
    # The 2025 value change is the change of the income index decided for 2026, 220.23 → 228.08, on the
    # balance after gains (docs/decisions/0120).
    base = last.opening_value[0] + last.new_rights[0] + last.inheritance_gains[0]
    assert last.value_change[0] == pytest.approx(base * (228.08 / 220.23 - 1))
    assert last.inheritance_gains[0] > 0 > last.fees[0]


def test_each_further_year_of_work_raises_the_pension_by_about_seven_percent() -> None:
    # PM: "för varje ytterligare år du arbetar beräknas den allmänna pensionen öka med 7–8 procent"
    # (reference §2.5, [S4] OmMinPensionSe). An average earner (medel-PGI / 0.93) born 1970, fixed prices.
    params = load_parameters()
    income = {year: params.at("average_pgi", year) / 0.93 for year in range(1990, 2026)}
    result = forecast(person(birth_year=1970, income_by_year=income), as_of_year=2026, withdrawal_ages=range(65, 71))
    totals = result.expected.total_before_tax[0]
    growth = totals[1:] / totals[:-1] - 1
    assert np.all((growth > 0.05) & (growth < 0.09)), growth


def test_premium_pension_statements_use_the_historic_returns() -> None:
    # A 10 000 kr right for income year 2023 is invested in 2024, the year AP7 Såfa returned +27.3 %
    # (reference §6 table B) and the administration fee was 0.0266 %.
    statements = premium_pension_statements([[10_000.0]], 2023, 1980)
    statement = statements[2024]
    base = statement.opening_value[0] + statement.new_rights[0] + statement.inheritance_gains[0]
    assert statement.value_change[0] == pytest.approx(base * 0.273)
    assert statement.fees[0] == pytest.approx(-(base * 1.273) * 0.000266)


def test_rights_earned_after_the_guarantee_pension_age_lower_the_forecast_guarantee_pension() -> None:
    # Born 1962 (guarantee pension from 67) on a low income. Working on until 70 raises the income pension
    # at 70 and lowers the guarantee pension at 70 below that of someone who stopped at 67 (0121).
    history = dict.fromkeys(range(1985, 2026), 120_000.0)
    works_on = person(income_by_year=history, future_income=[120_000.0] * 10)
    stops = person(income_by_year=history, future_income=[120_000.0] * 5 + [0.0] * 5)
    ages = range(67, 71)
    working = forecast(works_on, as_of_year=2026, withdrawal_ages=ages, with_band=False).expected
    stopped = forecast(stops, as_of_year=2026, withdrawal_ages=ages, with_band=False).expected
    assert working.guarantee_pension[0, 0] == stopped.guarantee_pension[0, 0] > 0  # same rights up to 67
    assert working.income_pension[0, -1] > stopped.income_pension[0, -1]
    assert working.guarantee_pension[0, -1] < stopped.guarantee_pension[0, -1]


def test_the_forecast_supplement_counts_years_with_pensionable_income_not_residence() -> None:
    income = dict.fromkeys(range(1985, 2026), 150_000.0)
    full = forecast(person(income_by_year=income), as_of_year=2026, withdrawal_ages=[67], with_band=False)
    short_stay = forecast(
        person(income_by_year=income, residence_years=20.0), as_of_year=2026, withdrawal_ages=[67], with_band=False
    )
    assert full.expected.income_pension_supplement[0, 0] == 600
    assert short_stay.expected.income_pension_supplement[0, 0] == 600
    # Working from 2006 on a higher income puts the underlag on the supplement's plateau, but 2006–2028 are
    # 23 years with pensionable income before the guarantee-pension age (2029): 23/40 of 600 kr.
    late = {year: 500_000.0 if year >= 2006 else 0.0 for year in range(1985, 2026)}
    late_start = forecast(person(income_by_year=late), as_of_year=2026, withdrawal_ages=[67], with_band=False)
    assert late_start.expected.income_pension_supplement[0, 0] == 345


def test_a_parents_forecast_counts_the_child_years_decided_and_still_to_come() -> None:
    # A parent born 1991 with children born 2019 and 2022 (Sara's story): the child-year credits of
    # 2019–2025 are decided; with a third child born 2025, 2026–2028 are still to come (the most
    # favourable of the three methods: here one income base amount, 83 400 in 2026).
    income = {year: (150_000.0 if year in (2019, 2020, 2022, 2023) else 380_000.0) for year in range(2016, 2026)}
    decided = dict.fromkeys(range(2019, 2026), 70_000.0)
    without = Population.of_one(birth_year=1991, income_by_year=income)
    with_decided = Population.of_one(birth_year=1991, income_by_year=income, credits_by_year=decided)
    with_coming = Population.of_one(
        birth_year=1991, income_by_year=income, credits_by_year=decided, youngest_child_birth_year=2025
    )
    ages = [67]
    base = forecast(without, as_of_year=2026, withdrawal_ages=ages, with_band=False).expected
    parent = forecast(with_decided, as_of_year=2026, withdrawal_ages=ages, with_band=False).expected
    more = forecast(with_coming, as_of_year=2026, withdrawal_ages=ages, with_band=False).expected
    # 7 × 70 000 credited: 16 % of it (78 400 kr of rights, in today's money after revaluation), over the
    # divisor: roughly 78 400 × 1.0x / 16.5 / 12 ≈ 400 kr a month more income pension.
    gain = parent.income_pension[0, 0] - base.income_pension[0, 0]
    assert 350 < gain < 500
    assert more.income_pension[0, 0] - parent.income_pension[0, 0] > 2 * 83_400 * 0.16 / 17 / 12
