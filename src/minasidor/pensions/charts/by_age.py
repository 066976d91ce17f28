"""The monthly pension per retirement age: one stacked bar per allowed age, with its band and the chosen age."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from minasidor.pension_data.types import AgeForecast, PensionForecast
from minasidor.pensions.charts import svg
from minasidor.pensions.charts.parts import FILLS, OTHER_PARTS, PUBLIC_PARTS, part_labels
from minasidor.pensions.charts.svg import Element, LegendEntry, ValueAxis, element, text_width
from minasidor.ui.templatetags.ui import kronor

_LEFT = 96.0
_RIGHT = svg.WIDTH - 16.0
_PLOT_HEIGHT = 280.0
_BAR_SHARE = 0.6  # of the room each age has
_WIDEST_BAR = 64.0


@dataclasses.dataclass(frozen=True, slots=True)
class _Bar:
    """What one age's bar shows: the stacked amounts a month, the band, and whether it is the chosen age."""

    age: int
    amounts: dict[str, Decimal]
    total: Decimal
    pessimistic: Decimal | None
    optimistic: Decimal | None
    chosen: bool
    other_pensions_missing: bool = False  # Min Pension gave no forecast at this age: unknown, never zero

    @classmethod
    def of(cls, item: AgeForecast, *, with_other_pensions: bool, chosen: bool) -> _Bar:
        expected = item.expected
        if expected is None:
            raise ValueError(f"No forecast at {item.age}")
        amounts = {part: getattr(expected, part) for part in PUBLIC_PARTS}
        total = expected.total_before_tax
        if with_other_pensions:
            first = item.other_pensions[0] if item.other_pensions else None
            amounts["occupational"] = first.occupational if first else Decimal(0)
            amounts["private"] = first.private if first else Decimal(0)
            total += item.other_pensions_at_start
        missing = with_other_pensions and item.other_pensions_missing
        return cls(item.age, amounts, total, item.pessimistic_total, item.optimistic_total, chosen, missing)

    @property
    def amounts_of_other_pensions(self) -> bool:
        """Whether occupational or private pension is drawn on the bar."""
        return self.amounts.get("occupational", Decimal(0)) + self.amounts.get("private", Decimal(0)) > 0

    @property
    def has_band(self) -> bool:
        return self.pessimistic is not None and self.optimistic is not None

    @property
    def highest(self) -> Decimal:
        return max(self.total, sum(self.amounts.values(), Decimal(0)), self.optimistic or Decimal(0))


def draw(forecast: PensionForecast, *, language: str, id_prefix: str) -> SafeString:
    """The chart's markup; the language is already active."""
    other = forecast.includes_other_pensions
    items = sorted((i for i in forecast.ages if i.allowed and i.expected is not None), key=lambda i: i.age)
    chosen_age = forecast.choice.withdrawal_age
    bars = [_Bar.of(i, with_other_pensions=other, chosen=i.age == chosen_age) for i in items]
    shown = [p for p in (*PUBLIC_PARTS, *OTHER_PARTS) if any(b.amounts.get(p, 0) > 0 for b in bars)]
    root = svg.root(
        id_prefix=id_prefix,
        title=_title(with_other_pensions=other),
        description=_description(items, chosen_age, with_other_pensions=other),
        language=language,
    )
    svg.patterns(root, (FILLS[p] for p in shown), id_prefix)
    labels = part_labels()
    entries = [LegendEntry(labels[p], FILLS[p]) for p in shown]
    if any(bar.has_band for bar in bars):
        entries.append(LegendEntry(gettext("Public pension, pessimistic to optimistic forecast"), None))
    plot_top = svg.legend(root, entries, top=16, id_prefix=id_prefix) + 56
    largest = max((bar.highest for bar in bars), default=Decimal(0))
    axis = ValueAxis.fitting(largest, baseline=plot_top + _PLOT_HEIGHT, height=_PLOT_HEIGHT)
    axis.draw(
        root,
        left=_LEFT,
        right=_RIGHT,
        tick_text={tick: kronor(Decimal(tick)) for tick in axis.ticks()},
    )
    axis.draw_unit(root, gettext("kr a month before tax"))
    group = element(root, "g", {"class": "ms-chart__bars"})
    slot = (_RIGHT - _LEFT) / max(len(bars), 1)
    for index, bar in enumerate(bars):
        _draw_bar(group, bar, axis=axis, centre=_LEFT + slot * (index + 0.5), slot=slot, id_prefix=id_prefix)
    title_y = axis.baseline + 70
    axis_title = gettext("Age when you start drawing your pension")
    element(root, "text", {"x": (_LEFT + _RIGHT) / 2, "y": title_y, "text-anchor": "middle"}, axis_title)
    svg.fit_height(root, title_y + 16)
    return svg.serialise(root)


def _draw_bar(parent: Element, bar: _Bar, *, axis: ValueAxis, centre: float, slot: float, id_prefix: str) -> None:
    group = element(parent, "g", {"class": "ms-chart__age", "data-age": str(bar.age)})
    tooltip = gettext("At %(age)s: %(amount)s a month") % {"age": bar.age, "amount": kronor(bar.total)}
    if bar.other_pensions_missing and bar.amounts_of_other_pensions:
        tooltip += " " + gettext("(only the pensions paid now: Min Pension gives no forecast of the rest at this age)")
    elif bar.other_pensions_missing:
        tooltip += " " + gettext("(public pension only: Min Pension gives no forecast at this age)")
    element(group, "title", None, tooltip)
    width = min(slot * _BAR_SHARE, _WIDEST_BAR)
    left = centre - width / 2
    if bar.chosen:
        group.set("class", "ms-chart__age ms-chart__age--chosen")
        group.set("data-chosen", "true")
        top = axis.baseline - axis.height - 30
        column = {"x": centre - slot / 2 + 2, "y": top, "width": slot - 4, "height": axis.baseline + 48 - top}
        element(group, "rect", {**column, "class": "ms-chart__highlight", "fill": svg.HIGHLIGHT_COLOUR})
    stacked = Decimal(0)
    for part, amount in bar.amounts.items():
        if amount <= 0:
            continue
        low, high = axis.y(stacked), axis.y(stacked + amount)
        segment = {"x": left, "y": high, "width": width, "height": low - high}
        paint = {"fill": FILLS[part].paint(id_prefix), "stroke": svg.BACKGROUND_COLOUR}
        element(group, "rect", {**segment, **paint, "data-part": part})
        stacked += amount
    top_of_bar = axis.y(stacked)
    if bar.chosen:
        outline = {"x": left - 3, "y": top_of_bar - 3, "width": width + 6, "height": axis.baseline - top_of_bar + 3}
        element(group, "rect", {**outline, "class": "ms-chart__outline", "fill": "none", **_heavy_line()})
    label_y = top_of_bar
    if bar.pessimistic is not None and bar.optimistic is not None:
        low, high = axis.y(bar.pessimistic), axis.y(bar.optimistic)
        svg.range_marker(group, x=centre, low=low, high=high, cap=width * 0.5)
        label_y = min(label_y, high)
    if bar.other_pensions_missing:  # a question mark over the bar: the occupational part is unknown, not zero
        mark: svg.Attrs = {"x": centre, "y": label_y - 26, "text-anchor": "middle", "data-missing": "other-pensions"}
        element(group, "text", {**mark, **_bold(True)}, "?")
    value = kronor(bar.total)
    if bar.chosen or text_width(value, svg.SMALL_FONT_SIZE) <= slot - 4:
        text: svg.Attrs = {"x": centre, "y": label_y - 8, "text-anchor": "middle", "font-size": svg.SMALL_FONT_SIZE}
        element(group, "text", {**text, "class": "ms-chart__value", **_bold(bar.chosen)}, value)
    age: svg.Attrs = {"x": centre, "y": axis.baseline + 22, "text-anchor": "middle", **_bold(bar.chosen)}
    element(group, "text", age, str(bar.age))
    if bar.chosen:
        small: svg.Attrs = {
            "x": centre,
            "y": axis.baseline + 40,
            "text-anchor": "middle",
            "font-size": svg.SMALL_FONT_SIZE,
        }
        element(group, "text", {**small, "class": "ms-chart__chosen", **_bold(True)}, gettext("your choice"))


def _bold(bold: bool) -> dict[str, str]:
    return {"font-weight": "bold"} if bold else {}


def _heavy_line() -> dict[str, str | float]:
    return {"stroke": svg.TEXT_COLOUR, "stroke-width": 3}


def _title(*, with_other_pensions: bool) -> str:
    if with_other_pensions:
        return gettext("Public, occupational and private pension a month before tax, by the age you start drawing")
    return gettext("Public pension a month before tax, by the age you start drawing it")


def _description(items: list[AgeForecast], chosen_age: int, *, with_other_pensions: bool) -> str:
    expected = [(item, item.expected) for item in items if item.expected is not None]
    if not expected:
        return gettext("There is no forecast to show.")
    (first, first_amounts), (last, last_amounts) = expected[0], expected[-1]
    values: dict[str, object] = {
        "first": first.age,
        "last": last.age,
        "first_amount": kronor(first_amounts.total_before_tax),
        "last_amount": kronor(last_amounts.total_before_tax),
    }
    if first is last:
        opening = gettext(
            "Bar chart of your public pension a month before tax, in today's money, if you start drawing it "
            "at %(first)s: %(first_amount)s."
        )
    else:
        opening = gettext(
            "Bar chart of your public pension a month before tax, in today's money, if you start drawing it "
            "at each age from %(first)s to %(last)s: %(first_amount)s at %(first)s and %(last_amount)s at "
            "%(last)s."
        )
    sentences = [opening % values]
    sentences.extend(_chosen_sentence(item) for item in items if item.age == chosen_age)
    if with_other_pensions:
        sentences.append(gettext("Occupational and private pensions from Min Pension are stacked on top of each bar."))
        missing = [
            later
            for earlier, later in itertools.pairwise(items)
            if not earlier.other_pensions_missing and later.other_pensions_missing
        ]
        if missing and missing[0].other_pensions_at_start > 0:
            sentences.append(
                gettext(
                    "Min Pension gives no forecast if you start at %(age)s or later; those bars, marked with a "
                    "question mark, show the public pension and the pensions paid to you now only."
                )
                % {"age": missing[0].age}
            )
        elif missing:
            sentences.append(
                gettext(
                    "Min Pension gives no forecast if you start at %(age)s or later; those bars, marked with a "
                    "question mark, show the public pension only."
                )
                % {"age": missing[0].age}
            )
        sentences.extend(_chosen_total_sentence(item) for item in items if item.age == chosen_age)
    sentences.append(gettext("The table after the chart gives every amount."))
    return " ".join(sentences)


def _chosen_sentence(item: AgeForecast) -> str:
    if item.expected is None:
        return ""
    values = {"age": item.age, "amount": kronor(item.expected.total_before_tax)}
    if item.pessimistic_total is None or item.optimistic_total is None:
        return gettext("At the age you chose, %(age)s, it is %(amount)s.") % values
    band = {"pessimistic": kronor(item.pessimistic_total), "optimistic": kronor(item.optimistic_total)}
    return gettext(
        "At the age you chose, %(age)s, it is %(amount)s, between %(pessimistic)s (pessimistic) and "
        "%(optimistic)s (optimistic)."
    ) % {**values, **band}


def _chosen_total_sentence(item: AgeForecast) -> str:
    total = item.total_with_other_pensions
    if total is None:
        return ""
    values = {"age": item.age, "amount": kronor(total)}
    return gettext("With them, at %(age)s you get %(amount)s a month in the first year.") % values
