"""Server-rendered SVG charts for the forecast pages (decision 0083).

Two pure functions, each returning the ``<svg>`` markup to put in a page next to the table that gives the
same numbers: the monthly pension per retirement age (:func:`forecast_by_age_svg`) and the total monthly
income over the person's age from the withdrawal age on (:func:`income_over_age_svg`). Parts are told apart
by pattern as well as colour, the chosen age by an outline and words, the band by a range marker, and the
title and description say in words what the chart shows. No script, no ``style``; same input, same bytes.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.safestring import SafeString

from minasidor.minpension.income import IncomeStep
from minasidor.pension_data.types import PensionForecast
from minasidor.pensions.charts import by_age, over_age
from minasidor.pensions.charts.parts import checked_language
from minasidor.pensions.charts.svg import check_id_prefix

__all__ = ["chosen_income_over_age_svg", "forecast_by_age_svg", "income_over_age_svg"]


def forecast_by_age_svg(
    forecast: PensionForecast, *, language: str, id_prefix: str = "ms-forecast-chart"
) -> SafeString:
    """A bar per allowed age: the public pension a month before tax, stacked by part, with its band.

    The chosen age is outlined and labelled. When ``forecast.includes_other_pensions``, occupational and
    private pensions in the first year of drawing are stacked on top. ``id_prefix`` starts every element
    id, so two charts on one page need two prefixes.
    """
    check_id_prefix(id_prefix)
    with translation.override(checked_language(language)):
        return by_age.draw(forecast, language=language, id_prefix=id_prefix)


def income_over_age_svg(
    public_monthly: Decimal,
    steps: tuple[IncomeStep, ...],
    *,
    start_age: int,
    end_age: int = 90,
    language: str,
    id_prefix: str = "ms-income-chart",
) -> SafeString:
    """The total income a month before tax from ``start_age`` to ``end_age``: public pension and steps.

    ``steps`` are Min Pension's occupational and private pensions for this withdrawal age
    (:func:`minasidor.minpension.income.income_steps`); each payout that ends is labelled at its age.
    """
    check_id_prefix(id_prefix)
    with translation.override(checked_language(language)):
        return over_age.draw(
            public_monthly, steps, start_age=start_age, end_age=end_age, language=language, id_prefix=id_prefix
        )


def chosen_income_over_age_svg(
    forecast: PensionForecast, *, language: str, id_prefix: str = "ms-income-chart"
) -> SafeString | None:
    """The income over age from the chosen withdrawal age, or None when there is nothing to add to it.

    Drawn only when the chosen age is allowed and Min Pension has occupational or private pensions for it:
    without them the income would be one flat line, which the forecast already states in words.
    """
    chosen = forecast.chosen
    if chosen is None or chosen.expected is None or not chosen.other_pensions:
        return None
    return income_over_age_svg(
        chosen.expected.total_before_tax,
        chosen.other_pensions,
        start_age=chosen.age,
        language=language,
        id_prefix=id_prefix,
    )
