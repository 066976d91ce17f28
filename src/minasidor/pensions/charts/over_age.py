"""The total monthly income over the person's age: the public pension flat, other pensions as steps.

Where a time-limited payout ends the total drops; a dashed line at that age carries a label naming the
providers ("Tjänstepension från X upphör vid 70").
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext

from minasidor.minpension.income import IncomeStep
from minasidor.pensions.charts import svg
from minasidor.pensions.charts.parts import FILLS, part_labels
from minasidor.pensions.charts.svg import Element, LegendEntry, ValueAxis, element, text_width
from minasidor.ui.templatetags.ui import kronor

_LEFT = 96.0
_RIGHT = svg.WIDTH - 24.0
_PLOT_HEIGHT = 240.0
_ANNOTATION_ROW = 22.0
_TICK_GAP = 28.0  # the least room between two age labels
_LAYERS = ("public", "occupational", "private")

_Scale = Callable[[float], float]


@dataclasses.dataclass(frozen=True, slots=True)
class _Span:
    """Ages ``from_age`` up to ``until_age`` (both within the chart) with these amounts a month."""

    from_age: int
    until_age: int
    occupational: Decimal
    private: Decimal
    ending: tuple[str, ...] = ()

    def total(self, public: Decimal) -> Decimal:
        return public + self.occupational + self.private

    def layers(self, public: Decimal) -> dict[str, tuple[Decimal, Decimal]]:
        """Each layer's base and height in kronor: the public pension at the bottom, private at the top."""
        return {
            "public": (Decimal(0), public),
            "occupational": (public, self.occupational),
            "private": (public + self.occupational, self.private),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class _Drop:
    """A payout that ends at ``age``, and the words that say so."""

    age: int
    label: str


def spans(steps: tuple[IncomeStep, ...], *, start_age: int, end_age: int) -> list[_Span]:
    """The steps cut to the chart's ages, in order, with any gap filled by a span without other pensions."""
    result: list[_Span] = []
    cursor = start_age
    for step in sorted(steps, key=lambda s: s.from_age):
        low = max(step.from_age, cursor)
        high = min(step.until_age if step.until_age is not None else end_age, end_age)
        if low >= high:
            continue
        if low > cursor:
            result.append(_Span(cursor, low, Decimal(0), Decimal(0)))
        ending = step.ending if step.until_age is not None and step.until_age < end_age else ()
        result.append(_Span(low, high, step.occupational, step.private, ending))
        cursor = high
    if cursor < end_age:
        result.append(_Span(cursor, end_age, Decimal(0), Decimal(0)))
    return result


def _drops(parts: list[_Span]) -> list[_Drop]:
    drops = []
    for before, after in itertools.pairwise(parts):
        if not before.ending:
            continue
        providers = get_text_list(list(before.ending), gettext("and"))
        values = {"providers": providers, "age": before.until_age}
        occupational_drop = after.occupational < before.occupational
        private_drop = after.private < before.private
        if occupational_drop and not private_drop:
            label = gettext("Occupational pension from %(providers)s ends at %(age)s") % values
        elif private_drop and not occupational_drop:
            label = gettext("Private pension from %(providers)s ends at %(age)s") % values
        else:
            label = gettext("Payout from %(providers)s ends at %(age)s") % values
        drops.append(_Drop(before.until_age, label))
    return drops


def draw(
    public_monthly: Decimal,
    steps: tuple[IncomeStep, ...],
    *,
    start_age: int,
    end_age: int,
    language: str,
    id_prefix: str,
) -> SafeString:
    """The chart's markup; the language is already active."""
    if end_age <= start_age:
        raise ValueError(f"The chart needs ages after {start_age}, up to {end_age}")
    parts = spans(steps, start_age=start_age, end_age=end_age)
    drops = _drops(parts)
    runs = _total_runs(parts, public_monthly)
    root = svg.root(
        id_prefix=id_prefix,
        title=gettext("Your income a month before tax from age %(age)s") % {"age": start_age},
        description=_description(public_monthly, runs, drops, start_age=start_age, end_age=end_age),
        language=language,
    )
    shown = ["public"] if public_monthly > 0 else []
    shown += [p for p in ("occupational", "private") if any(getattr(s, p) > 0 for s in parts)]
    svg.patterns(root, (FILLS[p] for p in shown), id_prefix)
    labels = part_labels()
    legend_bottom = svg.legend(root, [LegendEntry(labels[p], FILLS[p]) for p in shown], top=16, id_prefix=id_prefix)
    plot_top = legend_bottom + 8 + _ANNOTATION_ROW * len(drops) + 48
    largest = max((run[2] for run in runs), default=public_monthly)
    axis = ValueAxis.fitting(largest, baseline=plot_top + _PLOT_HEIGHT, height=_PLOT_HEIGHT)
    tick_text = {tick: kronor(Decimal(tick)) for tick in axis.ticks()}
    axis.draw(root, left=_LEFT, right=_RIGHT, tick_text=tick_text)

    def x(age: float) -> float:
        return _LEFT + (_RIGHT - _LEFT) * (age - start_age) / (end_age - start_age)

    _draw_layers(root, parts, public_monthly, axis=axis, x=x, id_prefix=id_prefix)
    _draw_total(root, runs, axis=axis, x=x)
    _draw_drops(root, drops, top=legend_bottom + 8, baseline=axis.baseline, x=x)
    axis.draw_unit(root, gettext("kr a month before tax"))
    wanted = sorted({start_age, end_age, *(d.age for d in drops)})
    _draw_ages(root, wanted, start_age=start_age, end_age=end_age, baseline=axis.baseline, x=x)
    title_y = axis.baseline + 48
    element(root, "text", {"x": (_LEFT + _RIGHT) / 2, "y": title_y, "text-anchor": "middle"}, gettext("Your age"))
    svg.fit_height(root, title_y + 16)
    return svg.serialise(root)


def _total_runs(parts: list[_Span], public: Decimal) -> list[tuple[int, int, Decimal]]:
    """Consecutive spans with the same total merged: (from age, until age, total a month)."""
    runs: list[tuple[int, int, Decimal]] = []
    for part in parts:
        total = part.total(public)
        if runs and runs[-1][2] == total:
            runs[-1] = (runs[-1][0], part.until_age, total)
        else:
            runs.append((part.from_age, part.until_age, total))
    return runs


def _draw_layers(
    root: Element, parts: list[_Span], public: Decimal, *, axis: ValueAxis, x: _Scale, id_prefix: str
) -> None:
    group = element(root, "g", {"class": "ms-chart__layers"})
    for layer in _LAYERS:
        runs: list[tuple[int, int, Decimal, Decimal]] = []
        for part in parts:
            base, amount = part.layers(public)[layer]
            if runs and runs[-1][1] == part.from_age and runs[-1][2:] == (base, amount):
                runs[-1] = (runs[-1][0], part.until_age, base, amount)
            else:
                runs.append((part.from_age, part.until_age, base, amount))
        for from_age, until_age, base, amount in runs:
            if amount <= 0:
                continue
            low, high = axis.y(base), axis.y(base + amount)
            area = {"x": x(from_age), "y": high, "width": x(until_age) - x(from_age), "height": low - high}
            paint = {"fill": FILLS[layer].paint(id_prefix), "stroke": svg.BACKGROUND_COLOUR}
            span = {"data-from-age": str(from_age), "data-until-age": str(until_age)}
            element(group, "rect", {**area, **paint, "data-layer": layer, **span})


def _draw_total(root: Element, runs: list[tuple[int, int, Decimal]], *, axis: ValueAxis, x: _Scale) -> None:
    group = element(root, "g", {"class": "ms-chart__total"})
    path = f"M{svg.number(x(runs[0][0]))} {svg.number(axis.y(runs[0][2]))}"
    for index, (_from_age, until_age, total) in enumerate(runs):
        path += (f"V{svg.number(axis.y(total))}" if index else "") + f"H{svg.number(x(until_age))}"
    line: svg.Attrs = {"d": path, "fill": "none", "stroke": svg.TEXT_COLOUR, "stroke-width": 2.5}
    element(group, "path", {**line, "stroke-linejoin": "miter"})
    for from_age, until_age, total in runs:
        value = kronor(total)
        room = x(until_age) - x(from_age)
        if text_width(value, svg.SMALL_FONT_SIZE) > room - 6:
            continue
        middle = (x(from_age) + x(until_age)) / 2
        text: svg.Attrs = {
            "x": middle,
            "y": axis.y(total) - 8,
            "text-anchor": "middle",
            "font-size": svg.SMALL_FONT_SIZE,
        }
        element(group, "text", {**text, "class": "ms-chart__value", "data-from-age": str(from_age)}, value)


def _draw_drops(root: Element, drops: list[_Drop], *, top: float, baseline: float, x: _Scale) -> None:
    """A dashed line down from each drop's label, one label a row; labels avoid the lines of rows above."""
    group = element(root, "g", {"class": "ms-chart__drops"})
    lines_above: list[float] = []
    for row, drop in enumerate(drops):
        text_y = top + 16 + _ANNOTATION_ROW * row
        at = x(drop.age)
        item = element(group, "g", {"class": "ms-chart__drop", "data-age": str(drop.age)})
        dashes: svg.Attrs = {"stroke": svg.TEXT_COLOUR, "stroke-width": 1.5, "stroke-dasharray": "5 4"}
        element(item, "line", {"x1": at, "y1": text_y + 6, "x2": at, "y2": baseline, **dashes})
        place = _label_place(at, text_width(drop.label, bold=True), lines_above)
        svg.backed_text(item, {**place, "y": text_y}, drop.label, bold=True)
        lines_above.append(at)


def _label_place(at: float, width: float, lines_above: list[float]) -> svg.Attrs:
    """Where a drop's label goes: beside its line if there is room, else along an edge; not across a line."""
    low, high = 8.0, svg.WIDTH - 8.0
    candidates: list[tuple[float, svg.Attrs]] = [
        (at + 6, {"x": at + 6}),
        (at - 6 - width, {"x": at - 6, "text-anchor": "end"}),
        (high - width, {"x": high, "text-anchor": "end"}),
        (low, {"x": low}),
    ]
    fitting = [(start, place) for start, place in candidates if start >= low and start + width <= high]
    for start, place in fitting:
        if not any(start - 4 <= line <= start + width + 4 for line in lines_above):
            return place
    return fitting[0][1] if fitting else {"x": low}


def _draw_ages(root: Element, wanted: list[int], *, start_age: int, end_age: int, baseline: float, x: _Scale) -> None:
    """Age labels under the axis: start, end and drops first, then every fifth year where there is room."""
    kept: list[int] = []
    fives = [age for age in range(start_age, end_age + 1) if age % 5 == 0]
    for age in [*wanted, *fives]:
        if all(abs(x(age) - x(other)) >= _TICK_GAP for other in kept):
            kept.append(age)
    group = element(root, "g", {"class": "ms-chart__ages"})
    for age in sorted(kept):
        at = x(age)
        element(group, "line", {"x1": at, "y1": baseline, "x2": at, "y2": baseline + 6, "stroke": svg.TEXT_COLOUR})
        element(group, "text", {"x": at, "y": baseline + 22, "text-anchor": "middle"}, str(age))


def _description(
    public: Decimal, runs: list[tuple[int, int, Decimal]], drops: list[_Drop], *, start_age: int, end_age: int
) -> str:
    values = {"start": start_age, "end": end_age, "public": kronor(public)}
    if len(runs) == 1 and runs[0][2] == public:
        opening = gettext(
            "Chart of your income a month before tax, in today's money, from age %(start)s to %(end)s: the "
            "public pension, %(public)s a month for life."
        )
    else:
        opening = gettext(
            "Step chart of your total income a month before tax, in today's money, from age %(start)s to "
            "%(end)s: the public pension, %(public)s a month for life, and your occupational and private "
            "pensions on top."
        )
    sentences = [opening % values]
    for from_age, _until_age, total in runs:
        values = {"age": from_age, "amount": kronor(total)}
        sentences.extend(f"{drop.label}." for drop in drops if drop.age == from_age)
        sentences.append(gettext("From %(age)s: %(amount)s a month in total.") % values)
    sentences.append(gettext("The table after the chart gives every amount."))
    return " ".join(sentences)
