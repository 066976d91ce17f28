"""What the forecast's own numbers need said next to them (issue 14.4): where they jump, and where a source ends.

Pure reading of a computed forecast: the age at which guarantee pension and the income-pension supplement
come in (the person's cohort's guarantee-pension age), and the first age for which Min Pension gave no
forecast of the occupational and private pensions, so that the page says so there instead of showing a fall
(and whether the pensions already paid out are still counted there).
"""

from __future__ import annotations

import dataclasses
import itertools

from minasidor.pension_data.types import AgeForecast, PensionForecast
from minasidor.pensions.assumptions import guarantee_age


@dataclasses.dataclass(frozen=True, slots=True)
class ForecastNotes:
    """``guarantee_age``: the cohort's; ``guarantee_from``: the first age shown at which the guarantee
    parts are paid after an age without them (None: no such jump); ``other_pensions_until``: the first age
    shown without Min Pension's forecast after ages with one (None: no such gap); ``other_pensions_paid_kept``:
    from that age the pensions already paid out are still counted (only the others are unknown)."""

    guarantee_age: int
    guarantee_from: int | None
    other_pensions_until: int | None
    other_pensions_paid_kept: bool = False


def _guarantee_parts(item: AgeForecast) -> bool:
    expected = item.expected
    return expected is not None and (expected.guarantee_pension + expected.income_pension_supplement) > 0


def forecast_notes(forecast: PensionForecast) -> ForecastNotes:
    """The notes the forecast page gives with the comparison of ages."""
    shown = [item for item in sorted(forecast.ages, key=lambda item: item.age) if item.expected is not None]
    pairs = list(itertools.pairwise(shown))
    guarantee_from = next(
        (later.age for earlier, later in pairs if _guarantee_parts(later) and not _guarantee_parts(earlier)), None
    )
    gap = None
    if forecast.includes_other_pensions:
        gap = next(
            (later for earlier, later in pairs if not earlier.other_pensions_missing and later.other_pensions_missing),
            None,
        )
    return ForecastNotes(
        guarantee_age(forecast.birth_year),
        guarantee_from,
        None if gap is None else gap.age,
        other_pensions_paid_kept=gap is not None and bool(gap.other_pensions),
    )
