"""Requirement: the first overview after login does only the work the page shows, and does it while Min Pension
answers (issue 21, decision 0246).

- The engine's forecast at the chosen age alone (no band, no other ages) is, at that age, the full forecast's.
- Min Pension is asked on another thread while the page does the work that needs only the register's
  snapshot; its calls are still recorded in the access log, after they have answered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from decimal import Decimal

import pytest

from minasidor.audit.models import AccessRecord
from minasidor.identity.tests.factories import make_identity
from minasidor.minpension.selectors import MIN_PENSION_VIEWED
from minasidor.minpension.types import MinPensionResult, Outcome, PensionHoldings
from minasidor.pension_data.forecast import age_window, default_choice, forecast_compute
from minasidor.pension_data.sources import sources_ask
from minasidor.pension_data.types import ForecastChoice
from minasidor.registers.tests.factories import make_snapshot
from minasidor.registers.types import PersonSnapshot

TODAY = dt.date(2026, 11, 28)
PERSONS = ("196201082697", "198001139297", "199101012384")


def _choices(snapshot: PersonSnapshot) -> list[ForecastChoice]:
    default = default_choice(snapshot, TODAY)
    return [
        default,
        dataclasses.replace(default, withdrawal_share=50),
        dataclasses.replace(default, keeps_working=False),
        dataclasses.replace(default, yearly_income=Decimal(250_000)),
    ]


@pytest.mark.parametrize("number", PERSONS)
def test_the_forecast_at_the_chosen_age_alone_is_the_full_forecasts_at_that_age(number: str) -> None:
    snapshot = make_snapshot(number, yearly_income=380_000)
    window = age_window(snapshot, TODAY)
    assert window is not None
    assert len(window.ages) > 1
    ages = sorted({window.first, window.target, window.last, (window.first + window.last) // 2})
    for choice in _choices(snapshot):
        full = forecast_compute(snapshot, choice, today=TODAY, window=window)
        assert full.covers(window)
        for age in ages:
            at_age = dataclasses.replace(choice, withdrawal_age=age)
            alone = forecast_compute(snapshot, at_age, today=TODAY, window=window, chosen_only=True)
            whole = forecast_compute(snapshot, at_age, today=TODAY, window=window)
            assert [row.age for row in alone.ages] == [age]
            assert not alone.covers(window), "the overview's forecast is never taken for the forecast page's"
            row, expected = alone.ages[0], whole.at(age)
            assert expected is not None
            assert row.expected == expected.expected, (choice, age)
            assert row.expected == full.at(age).expected  # type: ignore[union-attr]
            assert (row.pessimistic_total, row.optimistic_total) == (None, None), "no band computed, none shown"
            assert (alone.choice, alone.price_level_year, alone.target_age) == (
                whole.choice,
                whole.price_level_year,
                whole.target_age,
            )


def test_a_window_of_one_age_gets_the_whole_forecast_with_its_band() -> None:
    """As for a person of 75 (the last age shown): the chosen age is the whole window, so the band is made."""
    snapshot = make_snapshot("196201082697")
    window = age_window(snapshot, TODAY)
    assert window is not None
    one = dataclasses.replace(window, ages=range(window.last, window.last + 1))
    alone = forecast_compute(snapshot, default_choice(snapshot, TODAY), today=TODAY, window=one, chosen_only=True)
    assert alone.covers(one)
    assert alone.ages[0].pessimistic_total is not None


@pytest.mark.django_db
def test_min_pension_is_asked_while_the_page_does_its_own_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Min Pension's calls wait (on their thread) for the page's own work to begin: made one after the
    other, they would wait in vain and Min Pension would count as unavailable."""
    identity = make_identity("198001139297", given_name="Lena", family_name="Berg")
    snapshot = make_snapshot("198001139297")
    monkeypatch.setattr("minasidor.pension_data.sources._snapshot", lambda _identity: (snapshot, False, False))
    begun = threading.Event()
    threads: list[str] = []
    fetched = MinPensionResult(Outcome.FETCHED, holdings=PensionHoldings(as_of=TODAY, items=()))

    def ask(**_kw: object) -> tuple[MinPensionResult, object]:
        threads.append(threading.current_thread().name)
        if not begun.wait(timeout=5):
            return MinPensionResult(Outcome.UNAVAILABLE), None
        return fetched, MIN_PENSION_VIEWED

    monkeypatch.setattr("minasidor.pension_data.sources.min_pension_ask", ask)
    seen: list[PersonSnapshot] = []

    def meanwhile(given: PersonSnapshot) -> None:
        seen.append(given)
        begun.set()

    data = sources_ask(identity, None, meanwhile=meanwhile)
    assert data.min_pension is fetched
    assert seen == [snapshot]
    assert threads[0] != threading.current_thread().name
    actions = list(AccessRecord.objects.values_list("action", flat=True).order_by("id"))
    assert actions == ["pension.fetched", "minpension.viewed"], "both reads recorded, Min Pension's once answered"


@pytest.mark.django_db
def test_what_the_page_does_meanwhile_fails_and_min_pensions_calls_are_still_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    identity = make_identity("198001139297", given_name="Lena", family_name="Berg")
    snapshot = make_snapshot("198001139297")
    monkeypatch.setattr("minasidor.pension_data.sources._snapshot", lambda _identity: (snapshot, False, False))
    fetched = MinPensionResult(Outcome.FETCHED, holdings=PensionHoldings(as_of=TODAY, items=()))
    monkeypatch.setattr("minasidor.pension_data.sources.min_pension_ask", lambda **_kw: (fetched, MIN_PENSION_VIEWED))

    def meanwhile(_snapshot: PersonSnapshot) -> None:
        raise RuntimeError("the page's own work failed")

    with pytest.raises(RuntimeError, match="own work failed"):
        sources_ask(identity, None, meanwhile=meanwhile)
    assert AccessRecord.objects.filter(action="minpension.viewed").count() == 1
