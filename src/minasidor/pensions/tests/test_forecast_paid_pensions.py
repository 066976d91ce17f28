"""Requirement (left from issue 14's total forecast): an occupational or private pension already paid out stays
in the total at every age shown — also at the ages Min Pension gives no forecast for — while the pensions not
yet paid are unknown there, never counted as zero; the public pension is the engine's, unchanged by them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.minpension.types import (
    BenefitKind,
    Category,
    ForecastPoint,
    MinPensionResult,
    Outcome,
    Payout,
    PensionHoldings,
    PensionItem,
)
from minasidor.pension_data.forecast import default_choice, forecast_compute
from minasidor.pension_data.types import PensionForecast
from minasidor.pensions.explain import forecast_notes
from minasidor.registers.tests.factories import make_snapshot

KARIN = "196201082697"  # 64: ages 64 to 75 are shown
TODAY = dt.date(2026, 11, 28)
MIN_PENSION_AGES = range(64, 71)  # Min Pension forecasts starting ages up to 70


def _item(provider: str, amount: str, *, in_payment: bool, lifelong: bool = True) -> PensionItem:
    def point(age: int) -> ForecastPoint:
        start = 62 if in_payment else age
        end = None if lifelong else start + 5
        return ForecastPoint(withdrawal_age=age, monthly_amount=Decimal(amount), start_age=start, end_age=end)

    return PensionItem(
        item_id=provider,
        category=Category.OCCUPATIONAL,
        agreement="ITP2",
        product_type="defined_benefit",
        provider=provider,
        benefit_kind=BenefitKind.DEFINED_BENEFIT,
        capital_value=None,
        earned_monthly_amount=Decimal(amount),
        value_date=dt.date(2026, 10, 31),
        in_payment=in_payment,
        estimated=False,
        payout=Payout(years=None if lifelong else 5, from_age=62 if in_payment else 65),
        forecast=tuple(point(age) for age in MIN_PENSION_AGES),
    )


PAID = _item("Alecta", "6850", in_payment=True)
NOT_YET = _item("Skandia", "2100", in_payment=False)


def _forecast(holdings: PensionHoldings | None) -> PensionForecast:
    snapshot = make_snapshot(KARIN)
    return forecast_compute(snapshot, default_choice(snapshot, TODAY), today=TODAY, other_pensions=holdings)


def test_a_pension_paid_now_stays_in_the_total_after_the_ages_min_pension_forecasts() -> None:
    public = {row.age: row.expected for row in _forecast(None).ages}
    result = _forecast(PensionHoldings(as_of=TODAY, items=(PAID, NOT_YET)))
    shown = [row for row in result.ages if row.expected is not None]
    assert [row.age for row in shown] == list(range(64, 76))
    for row in shown:
        assert row.expected == public[row.age], "the engine's public pension is not changed by Min Pension's"
        assert row.expected is not None
        if row.age in MIN_PENSION_AGES:
            assert not row.other_pensions_missing
            assert row.total_with_other_pensions == row.expected.total_before_tax + 6850 + 2100
        else:
            assert row.other_pensions_missing, "the pension not yet paid is unknown from 71"
            assert row.total_with_other_pensions == row.expected.total_before_tax + 6850, f"dropped at {row.age}"
    notes = forecast_notes(result)
    assert (notes.other_pensions_until, notes.other_pensions_paid_kept) == (71, True)


def test_when_every_pension_is_paid_now_nothing_is_missing_at_any_age() -> None:
    result = _forecast(PensionHoldings(as_of=TODAY, items=(PAID,)))
    rows = [row for row in result.ages if row.expected is not None]
    assert not any(row.other_pensions_missing for row in rows)
    assert {row.other_pensions_at_start for row in rows} == {Decimal(6850)}
    assert forecast_notes(result).other_pensions_until is None


def test_without_a_pension_paid_now_the_ages_past_min_pensions_forecasts_stay_unknown() -> None:
    result = _forecast(PensionHoldings(as_of=TODAY, items=(NOT_YET,)))
    late = [row for row in result.ages if row.age > 70]
    assert late
    assert all(row.other_pensions_missing and not row.other_pensions for row in late)
    assert all(row.total_with_other_pensions == row.expected.total_before_tax for row in late if row.expected)
    notes = forecast_notes(result)
    assert (notes.other_pensions_until, notes.other_pensions_paid_kept) == (71, False)


def _page(client: Client, prefix: str, monkeypatch: pytest.MonkeyPatch) -> str:
    fetched = MinPensionResult(Outcome.FETCHED, holdings=PensionHoldings(as_of=TODAY, items=(PAID, NOT_YET)))
    monkeypatch.setattr("minasidor.pension_data.sources.min_pension_ask", lambda **_kw: (fetched, None))
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Test"))
    return re.sub(r"\s+", " ", client.get(f"{prefix}/mina-sidor/pension/prognos/").content.decode())


def _cells(page: str, age: int) -> list[str]:
    """The age comparison table's cells for ``age``, as text."""
    table = page[page.index('id="age-comparison"') :]
    row = re.search(rf'data-age="{age}">(.*?)</tr>', table)
    assert row is not None
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]


def _kronor(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.mark.django_db(databases=["default", "backoffice"])
@pytest.mark.usefixtures("demo_backoffice")
@pytest.mark.parametrize(
    ("prefix", "note"),
    [
        ("/en", "so from 71 the last column counts only the pensions paid to you now"),
        ("", "så från 71 år räknar den sista kolumnen bara med de pensioner du får utbetalda nu"),
    ],
)
def test_the_page_keeps_the_pension_paid_now_in_the_last_column_and_says_why_it_is_lower(
    client: Client, monkeypatch: pytest.MonkeyPatch, prefix: str, note: str
) -> None:
    page = _page(client, prefix, monkeypatch)
    assert note in page
    for age in (72, 75):
        before_tax, *_rest, with_others = _cells(page, age)
        assert _kronor(with_others) == _kronor(before_tax) + 6850, f"the pension paid now dropped at {age}"
    chart = page[page.index('id="ages"') : page.index('id="age-comparison"')]
    assert re.search(r'data-age="71"(?:(?!data-age=).)*?data-missing="other-pensions"', chart)
