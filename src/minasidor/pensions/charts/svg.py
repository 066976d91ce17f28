"""Building blocks of the forecast charts: an SVG element tree, a value axis, fills with patterns, a legend.

The charts are built as an element tree and serialised once, so every text and attribute is escaped by the
serialiser and the output is the same bytes for the same input. Nothing here uses ``style`` attributes,
``<style>`` or ``<script>`` (the pages' content security policy allows neither inline); colours, patterns and
fonts are SVG presentation attributes.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from xml.etree import ElementTree  # nosec B405 - only builds and writes our own SVG, never parses input

from django.utils.safestring import SafeString, mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
BACKGROUND_COLOUR = "#ffffff"
HIGHLIGHT_COLOUR = "#eef5f4"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FONT_SIZE = 14
SMALL_FONT_SIZE = 12
WIDTH = 640

_ID_PREFIX = re.compile(r"[a-z][a-z0-9-]*\Z")
# Characters XML cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF): dropped from any text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SWATCH = 18
_LEGEND_ROW = 26
_TILE = 8

Element = ElementTree.Element
Attributes = Mapping[str, str | float]
Attrs = dict[str, str | float]  # for attribute dictionaries built in steps


@dataclasses.dataclass(frozen=True, slots=True)
class Fill:
    """How one part of a bar is painted: a colour (at least 3:1 against white) and a pattern over it.

    The pattern lets a reader tell the parts apart without seeing colour (WCAG 1.4.1).
    """

    key: str
    colour: str
    pattern: str  # one of PATTERNS

    def paint(self, id_prefix: str) -> str:
        """The ``fill`` attribute's value."""
        if self.pattern == "solid":
            return self.colour
        return f"url(#{id_prefix}-{self.key})"


PATTERNS = ("solid", "diagonal", "back-diagonal", "dots", "horizontal", "vertical", "cross")


def check_id_prefix(id_prefix: str) -> str:
    """``id_prefix`` if it is a safe start for element ids (lower-case letters, digits, hyphens)."""
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"Not a usable id prefix: {id_prefix!r}")
    return id_prefix


def number(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: ``12.5``, ``300``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (escaping ``<``, ``&`` and quotes is the serialiser's)."""
    return _NOT_XML.sub("", text)


def _values(attributes: Attributes | None) -> dict[str, str]:
    return {name: xml_text(v) if isinstance(v, str) else number(v) for name, v in (attributes or {}).items()}


def element(parent: Element, tag: str, attributes: Attributes | None = None, text: str | None = None) -> Element:
    """A child element; numbers become coordinates, text is escaped when serialised."""
    child = ElementTree.SubElement(parent, tag, _values(attributes))
    if text is not None:
        child.text = xml_text(text)
    return child


def text_width(text: str, size: float = FONT_SIZE, *, bold: bool = False) -> float:
    """A generous estimate of how wide ``text`` is drawn in a sans-serif font (only to lay out labels)."""
    return len(text) * size * (0.64 if bold else 0.56)


def backed_text(parent: Element, attributes: Attributes, text: str, *, bold: bool = False) -> Element:
    """A text on a white box as wide as the text is estimated to be, so no line drawn before cuts through it.

    (A box rather than an outline drawn with ``paint-order``, which not every SVG renderer supports.)
    """
    x, y = float(attributes["x"]), float(attributes["y"])
    width = text_width(text, bold=bold)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[str(attributes.get("text-anchor", "start"))]
    box = {"x": start - 2, "y": y - FONT_SIZE, "width": width + 4, "height": FONT_SIZE + 5}
    element(parent, "rect", {**box, "class": "ms-chart__label-backing", "fill": BACKGROUND_COLOUR})
    return element(parent, "text", {**attributes, **({"font-weight": "bold"} if bold else {})}, text)


def root(*, id_prefix: str, title: str, description: str, language: str) -> Element:
    """The ``<svg>`` element: responsive, named by its title and described by its description.

    Its height is set by :func:`fit_height` once the chart is drawn.
    """
    attributes: Attrs = {
        "xmlns": SVG_NAMESPACE,
        "viewBox": f"0 0 {WIDTH} 0",
        "width": "100%",
        "class": "ms-chart",
        "role": "img",
        "aria-labelledby": f"{id_prefix}-title",
        "aria-describedby": f"{id_prefix}-desc",
        "lang": language,
        "font-family": FONT_FAMILY,
        "font-size": FONT_SIZE,
        "fill": TEXT_COLOUR,
    }
    svg = Element("svg", _values(attributes))
    element(svg, "title", {"id": f"{id_prefix}-title"}, title)
    element(svg, "desc", {"id": f"{id_prefix}-desc"}, description)
    element(svg, "rect", {"class": "ms-chart__background", "width": WIDTH, "height": 0, "fill": BACKGROUND_COLOUR})
    return svg


def fit_height(svg: Element, height: float) -> None:
    """Sets the drawing's height (the view box and the white background behind it)."""
    svg.set("viewBox", f"0 0 {WIDTH} {number(height)}")
    for background in svg.iterfind("rect[@class='ms-chart__background']"):
        background.set("height", number(height))


def serialise(svg: Element) -> SafeString:
    """The markup of ``svg``; safe to put in a page because the serialiser escaped every text."""
    markup = ElementTree.tostring(svg, encoding="unicode", short_empty_elements=True)
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703 - the serialiser escaped every text and value


def patterns(svg: Element, fills: Iterable[Fill], id_prefix: str) -> None:
    """One ``<pattern>`` per patterned fill, in a ``<defs>`` after the title and description."""
    defs = Element("defs")
    for fill in fills:
        if fill.pattern == "solid":
            continue
        pattern = element(
            defs,
            "pattern",
            {
                "id": f"{id_prefix}-{fill.key}",
                "width": _TILE,
                "height": _TILE,
                "patternUnits": "userSpaceOnUse",
                **_PATTERN_TRANSFORMS.get(fill.pattern, {}),
            },
        )
        element(pattern, "rect", {"width": _TILE, "height": _TILE, "fill": fill.colour})
        _pattern_marks(pattern, fill.pattern)
    if len(defs):
        svg.insert(2, defs)


_PATTERN_TRANSFORMS: dict[str, dict[str, str]] = {
    "diagonal": {"patternTransform": "rotate(45)"},
    "back-diagonal": {"patternTransform": "rotate(-45)"},
    "cross": {"patternTransform": "rotate(45)"},
}


def _pattern_marks(pattern: Element, kind: str) -> None:
    line: Attrs = {"stroke": BACKGROUND_COLOUR, "stroke-width": 2.5}
    if kind == "dots":
        element(pattern, "circle", {"cx": 4, "cy": 4, "r": 1.7, "fill": BACKGROUND_COLOUR})
    if kind in {"diagonal", "back-diagonal", "vertical", "cross"}:
        element(pattern, "line", {"x1": 4, "y1": 0, "x2": 4, "y2": _TILE, **line})
    if kind in {"horizontal", "cross"}:
        element(pattern, "line", {"x1": 0, "y1": 4, "x2": _TILE, "y2": 4, **line})


@dataclasses.dataclass(frozen=True, slots=True)
class LegendEntry:
    """A legend item: a swatch painted like the bars (or the range marker) and its label."""

    label: str
    fill: Fill | None  # None: the range marker


def legend(svg: Element, entries: Iterable[LegendEntry], *, top: float, id_prefix: str) -> float:
    """Draws the legend in rows from ``top`` and returns the y just below it."""
    group = element(svg, "g", {"class": "ms-chart__legend"})
    x, y, left, right = 16.0, top, 16.0, WIDTH - 16.0
    for entry in entries:
        width = _SWATCH + 8 + text_width(entry.label)
        if x > left and x + width > right:
            x, y = left, y + _LEGEND_ROW
        item = element(group, "g", {"class": "ms-chart__legend-item"})
        if entry.fill is None:
            range_marker(item, x=x + _SWATCH / 2, low=y + _SWATCH, high=y, cap=_SWATCH * 0.7)
        else:
            swatch: Attrs = {"x": x, "y": y, "width": _SWATCH, "height": _SWATCH, "fill": entry.fill.paint(id_prefix)}
            element(item, "rect", {**swatch, "stroke": TEXT_COLOUR, "stroke-width": 1})
        element(item, "text", {"x": x + _SWATCH + 8, "y": y + _SWATCH - 4}, entry.label)
        x += width + 24
    return y + _LEGEND_ROW


def range_marker(parent: Element, *, x: float, low: float, high: float, cap: float) -> Element:
    """A dark error-bar shape from ``low`` to ``high`` (y coordinates) on a white halo, visible on any fill."""
    group = element(parent, "g", {"class": "ms-chart__band", "fill": "none", "stroke-linecap": "square"})
    half = cap / 2
    shape = f"M{number(x)} {number(low)}V{number(high)}M{number(x - half)} {number(high)}H{number(x + half)}"
    shape += f"M{number(x - half)} {number(low)}H{number(x + half)}"
    element(group, "path", {"d": shape, "stroke": BACKGROUND_COLOUR, "stroke-width": 6})
    element(group, "path", {"d": shape, "stroke": TEXT_COLOUR, "stroke-width": 2.5})
    return group


@dataclasses.dataclass(frozen=True, slots=True)
class ValueAxis:
    """The vertical axis: kronor from 0 to ``top`` in round steps, drawn over ``height`` from ``baseline`` up."""

    top: int
    step: int
    baseline: float
    height: float

    @classmethod
    def fitting(cls, largest: Decimal, *, baseline: float, height: float) -> ValueAxis:
        """An axis from 0 to the first round number at or above ``largest``, in at most five round steps."""
        largest_float = max(float(largest), 1.0)
        raw = largest_float / 5
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
        step = max(int(step), 1)
        top = step * math.ceil(largest_float / step)
        return cls(top=top, step=step, baseline=baseline, height=height)

    def y(self, amount: Decimal | float) -> float:
        """The y coordinate of ``amount`` kronor."""
        return self.baseline - self.height * float(amount) / self.top

    def ticks(self) -> tuple[int, ...]:
        return tuple(range(0, self.top + 1, self.step))

    def draw(self, svg: Element, *, left: float, right: float, tick_text: Mapping[int, str]) -> None:
        """Grid lines with their amounts at the left, and the base line."""
        group = element(svg, "g", {"class": "ms-chart__value-axis"})
        for tick in self.ticks():
            y = self.y(tick)
            element(group, "line", {"x1": left, "y1": y, "x2": right, "y2": y, "stroke": GRID_COLOUR})
            element(group, "text", {"x": left - 8, "y": y + 5, "text-anchor": "end"}, tick_text[tick])
        base = {"x1": left, "y1": self.baseline, "x2": right, "y2": self.baseline}
        element(group, "line", {**base, "class": "ms-chart__baseline", "stroke": TEXT_COLOUR, "stroke-width": 2})

    def draw_unit(self, svg: Element, label: str) -> None:
        """What the amounts are ("kr a month before tax"), above the axis; drawn after any line crossing it."""
        group = element(svg, "g", {"class": "ms-chart__unit"})
        backed_text(group, {"x": 16, "y": self.baseline - self.height - 32}, label)
