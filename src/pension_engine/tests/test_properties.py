"""Requirement: the rules behave sensibly for any input (issue 3, property tests with Hypothesis).

More income never lowers rights or the forecast; a later withdrawal age never lowers the monthly amount;
guarantee pension is never negative and is zero above its upper limit; a population forecast equals the
forecasts of each person alone.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pension_engine.forecast import forecast
from pension_engine.guarantee_pension import guarantee_pension, upper_limit
from pension_engine.income_pension_supplement import income_pension_supplement
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income, pgi_ceiling
from pension_engine.population import Population

incomes = st.floats(min_value=0, max_value=2_000_000, allow_nan=False)
years = st.integers(min_value=1960, max_value=2026)
FORECAST_SETTINGS = settings(max_examples=25, deadline=None)
RULE_SETTINGS = settings(deadline=None)
ROUNDING_SLACK = 2.0  # each part is rounded to whole kronor; a total may move by a krona or two


@RULE_SETTINGS
@given(income=incomes, extra=st.floats(min_value=0, max_value=500_000), year=years)
def test_more_income_never_lowers_pgi_or_rights(income: float, extra: float, year: int) -> None:
    low = pensionable_income(income, year)
    high = pensionable_income(income + extra, year)
    assert high.pensionable_income[0] >= low.pensionable_income[0]
    low_rights = pension_rights(low.pensionable_income, year)
    high_rights = pension_rights(high.pensionable_income, year)
    assert high_rights.income_pension_right[0] >= low_rights.income_pension_right[0]
    assert high_rights.premium_pension_right[0] >= low_rights.premium_pension_right[0]


@RULE_SETTINGS
@given(income=incomes, year=years)
def test_pgi_stays_within_its_limits(income: float, year: int) -> None:
    result = pensionable_income(income, year)
    assert 0 <= result.pensionable_income[0] <= pgi_ceiling(year)[0]
    assert 0 <= result.general_pension_fee[0] <= 0.07 * income + 50


@RULE_SETTINGS
@given(
    underlag=st.floats(min_value=0, max_value=1_000_000),
    year=st.integers(min_value=2003, max_value=2026),
    married=st.booleans(),
    residence=st.floats(min_value=0, max_value=45),
)
def test_guarantee_pension_is_never_negative_and_zero_above_its_limit(
    underlag: float, year: int, married: bool, residence: float
) -> None:
    amount = guarantee_pension(underlag, year, married, residence)[0]
    assert amount >= 0
    if underlag >= upper_limit(year, married, residence)[0]:
        assert amount == 0


@RULE_SETTINGS
@given(
    underlag=st.floats(min_value=0, max_value=500_000),
    more=st.floats(min_value=0, max_value=100_000),
    year=st.integers(min_value=2003, max_value=2026),
    married=st.booleans(),
)
def test_income_based_pension_plus_guarantee_pension_never_falls(
    underlag: float, more: float, year: int, married: bool
) -> None:
    low = underlag + guarantee_pension(underlag, year, married, 40)[0]
    high = underlag + more + guarantee_pension(underlag + more, year, married, 40)[0]
    assert high >= low - 1e-6


@RULE_SETTINGS
@given(underlag=st.floats(min_value=0, max_value=1_000_000), year=st.integers(min_value=2021, max_value=2026))
def test_income_pension_supplement_is_between_zero_and_its_maximum(underlag: float, year: int) -> None:
    amount = income_pension_supplement(underlag, year, 40)[0]
    assert 0 <= amount <= 7200


def one_person(birth_year: int, yearly_income: float, married: bool = False, residence: float = 40) -> Population:
    return Population.of_one(
        birth_year=birth_year,
        income_by_year=dict.fromkeys(range(birth_year + 20, 2026), yearly_income),
        residence_years=residence,
        married=married,
    )


@FORECAST_SETTINGS
@given(
    birth_year=st.integers(min_value=1958, max_value=1995),
    income=st.floats(min_value=0, max_value=900_000),
    extra=st.floats(min_value=1_000, max_value=300_000),
)
def test_more_income_never_lowers_the_forecast(birth_year: int, income: float, extra: float) -> None:
    ages = range(66, 71)
    low = forecast(one_person(birth_year, income), as_of_year=2026, withdrawal_ages=ages, with_band=False)
    high = forecast(one_person(birth_year, income + extra), as_of_year=2026, withdrawal_ages=ages, with_band=False)
    allowed = low.allowed[0]
    assert np.all(
        high.expected.total_before_tax[0][allowed] >= low.expected.total_before_tax[0][allowed] - ROUNDING_SLACK
    )


@FORECAST_SETTINGS
@given(
    birth_year=st.integers(min_value=1957, max_value=2000),
    income=st.floats(min_value=0, max_value=900_000),
    married=st.booleans(),
    residence=st.integers(min_value=0, max_value=40),
)
def test_a_later_withdrawal_age_never_lowers_the_monthly_amount(
    birth_year: int, income: float, married: bool, residence: int
) -> None:
    result = forecast(
        one_person(birth_year, income, married, residence), as_of_year=2026, withdrawal_ages=range(61, 76)
    )
    for amounts in (result.expected.total_before_tax[0], result.expected.total_after_tax[0]):
        allowed = amounts[result.allowed[0]]
        assert np.all(np.diff(allowed) >= 0), allowed


@FORECAST_SETTINGS
@given(
    people=st.lists(
        st.tuples(
            st.integers(min_value=1955, max_value=2005),
            st.floats(min_value=0, max_value=900_000),
            st.booleans(),
            st.integers(min_value=0, max_value=40),
        ),
        min_size=2,
        max_size=6,
    )
)
def test_a_population_forecast_equals_each_person_alone(people: list[tuple[int, float, bool, int]]) -> None:
    singles = [one_person(born, income, married, residence) for born, income, married, residence in people]
    history = np.zeros((len(people), 2026 - 1960))
    for row, single in enumerate(singles):
        first = single.history_first_year - 1960
        history[row, first : first + single.income_history.shape[1]] = single.income_history[0]
    population = Population(
        birth_year=np.array([born for born, *_ in people]),
        income_history=history,
        history_first_year=1960,
        residence_years=np.array([float(residence) for *_, residence in people]),
        married=np.array([married for _, _, married, _ in people]),
        withdrawal_share=np.ones(len(people)),
        municipal_tax_rate=np.full(len(people), np.nan),
    )
    ages = range(64, 72)
    together = forecast(population, as_of_year=2026, withdrawal_ages=ages)
    for row, single in enumerate(singles):
        alone = forecast(single, as_of_year=2026, withdrawal_ages=ages)
        np.testing.assert_array_equal(together.expected.total_after_tax[row], alone.expected.total_after_tax[0])
        np.testing.assert_array_equal(together.expected.guarantee_pension[row], alone.expected.guarantee_pension[0])
        np.testing.assert_array_equal(together.optimistic_total[row], alone.optimistic_total[0])
