"""Requirement: the forecast charts are honest, readable without colour, described in words, safe and stable.

The pension per retirement age: one bar per allowed age, its parts' heights proportional to their amounts,
the band from pessimistic to optimistic, the chosen age outlined and named, other pensions stacked on top
when included. The income over age: the public pension flat, other pensions as steps, and a labelled drop
where a time-limited payout ends. Both: a title and description in the page's language, amounts written as
kronor are in that language, every text escaped, no style or script, ids unique, the same bytes every time.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString
from lxml import etree

from minasidor.minpension.income import IncomeStep
from minasidor.pension_data.types import AgeForecast, ForecastChoice, PartAmounts, PensionForecast
from minasidor.pensions.charts import forecast_by_age_svg, income_over_age_svg
from minasidor.pensions.charts.parts import FILLS, PUBLIC_PARTS

NS = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
TOLERANCE = 0.02  # coordinates are written with two decimals


def _parts(income: int, premium: int, guarantee: int = 0, supplement: int = 0) -> PartAmounts:
    total = Decimal(income + premium + guarantee + supplement)
    return PartAmounts(
        income_pension=Decimal(income),
        premium_pension=Decimal(premium),
        guarantee_pension=Decimal(guarantee),
        income_pension_supplement=Decimal(supplement),
        supplementary_pension=Decimal(0),
        total_before_tax=total,
        total_after_tax=(total * Decimal("0.75")).quantize(Decimal(1)),
    )


def _age(
    age: int, parts: PartAmounts, *, band: tuple[int, int] | None = None, other: tuple[IncomeStep, ...] = ()
) -> AgeForecast:
    return AgeForecast(
        age=age,
        allowed=True,
        expected=parts,
        pessimistic_total=Decimal(band[0]) if band else None,
        optimistic_total=Decimal(band[1]) if band else None,
        other_pensions=other,
    )


def _forecast(
    *, chosen: int = 65, includes_other_pensions: bool = False, ages: tuple[AgeForecast, ...] | None = None
) -> PensionForecast:
    if ages is None:
        ages = (
            AgeForecast(age=62, allowed=False, expected=None, pessimistic_total=None, optimistic_total=None),
            _age(63, _parts(9000, 2500, 1200, 600), band=(11000, 16000), other=_other(63)),
            _age(64, _parts(10000, 2800, 800), band=(11800, 16900), other=_other(64)),
            _age(65, _parts(11000, 3100), band=(12100, 17000), other=_other(65)),
            _age(66, _parts(12000, 3400), band=(12900, 18500), other=_other(66)),
            _age(67, _parts(13000, 3700), band=(13800, 20100), other=_other(67)),
        )
    return PensionForecast(
        price_level_year=2026,
        birth_year=1962,
        lowest_age=63,
        target_age=67,
        choice=ForecastChoice(withdrawal_age=chosen, withdrawal_share=100, keeps_working=False, yearly_income=None),
        ages=ages,
        includes_other_pensions=includes_other_pensions,
    )


def _other(age: int) -> tuple[IncomeStep, ...]:
    return (
        IncomeStep(from_age=age, until_age=age + 5, occupational=Decimal(6000), private=Decimal(1500), ending=("X",)),
        IncomeStep(from_age=age + 5, until_age=None, occupational=Decimal(2000), private=Decimal(0)),
    )


Element = etree._Element
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(markup: str) -> Element:
    root = etree.fromstring(markup.encode(), _PARSER)
    assert root.tag == f"{NS}svg"
    return root


def _all(root: Element, tag: str, **attributes: str) -> list[Element]:
    found = root.iter(f"{NS}{tag}")
    return [e for e in found if all(e.get(k.replace("_", "-")) == v for k, v in attributes.items())]


def _class(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def _text(element: Element) -> str:
    return "".join(str(part) for part in element.itertext())


def _baseline(root: Element) -> float:
    (line,) = _class(root, "ms-chart__baseline")
    return float(line.get("y1", "nan"))


def _number(element: Element, name: str) -> float:
    return float(element.get(name, "nan"))


def _scale(root: Element, pairs: list[tuple[Element, Decimal]]) -> float:
    """Pixels per krona, asserted the same for every (rectangle, amount) pair."""
    scales = [_number(rect, "height") / float(amount) for rect, amount in pairs]
    assert scales
    assert max(scales) - min(scales) < 0.001, scales
    return scales[0]


# --- The pension per retirement age -----------------------------------------------------------------------


def test_one_bar_per_allowed_age_in_order() -> None:
    forecast = _forecast()
    shuffled = _forecast(ages=tuple(reversed(forecast.ages)))

    root = _parse(forecast_by_age_svg(shuffled, language="en"))

    assert [g.get("data-age") for g in _class(root, "ms-chart__age")] == ["63", "64", "65", "66", "67"]


def test_each_part_is_as_tall_as_its_amount_and_the_parts_stack_from_the_base_line() -> None:
    forecast = _forecast()
    root = _parse(forecast_by_age_svg(forecast, language="en"))
    baseline = _baseline(root)
    pairs = []
    for group in _class(root, "ms-chart__age"):
        item = forecast.at(int(group.get("data-age", "0")))
        assert item is not None
        assert item.expected is not None
        segments = [r for r in _all(group, "rect") if r.get("data-part")]
        drawn = [r.get("data-part") for r in segments]
        assert drawn == [p for p in PUBLIC_PARTS if getattr(item.expected, p) > 0]
        bottom = baseline
        for rect in segments:
            assert abs(_number(rect, "y") + _number(rect, "height") - bottom) < TOLERANCE
            bottom = _number(rect, "y")
            pairs.append((rect, getattr(item.expected, rect.get("data-part", ""))))
    _scale(root, pairs)
    heights = {
        g.get("data-age"): sum(_number(r, "height") for r in _all(g, "rect") if r.get("data-part"))
        for g in _class(root, "ms-chart__age")
    }
    assert heights["67"] > heights["63"]


def test_parts_are_told_apart_by_pattern_and_the_legend_shows_each_drawn_part_as_drawn() -> None:
    root = _parse(forecast_by_age_svg(_forecast(includes_other_pensions=True), language="en"))

    bar_fills = {r.get("data-part", ""): r.get("fill", "") for r in _all(root, "rect") if r.get("data-part")}
    legend_fills = [r.get("fill", "") for r in _class(root, "ms-chart__legend")[0].iter(f"{NS}rect")]
    assert sorted(legend_fills) == sorted(bar_fills.values())
    assert "supplementary_pension" not in bar_fills  # zero everywhere: neither drawn nor in the legend
    patterns = [FILLS[part].pattern for part in bar_fills]
    assert len(set(patterns)) == len(patterns)
    pattern_ids = {p.get("id") for p in _all(root, "pattern")}
    for fill in bar_fills.values():
        assert fill.startswith("#") or fill.removeprefix("url(#").removesuffix(")") in pattern_ids


def _contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("part", sorted(FILLS))
def test_every_fill_has_three_to_one_contrast_against_the_background(part: str) -> None:
    assert _contrast(FILLS[part].colour) >= 3


def test_the_band_runs_from_pessimistic_to_optimistic_at_every_age() -> None:
    forecast = _forecast()
    root = _parse(forecast_by_age_svg(forecast, language="en"))
    baseline = _baseline(root)
    pairs = []
    for group in _class(root, "ms-chart__age"):
        item = forecast.at(int(group.get("data-age", "0")))
        assert item is not None
        assert item.expected is not None
        pairs += [
            (r, getattr(item.expected, r.get("data-part", ""))) for r in _all(group, "rect") if r.get("data-part")
        ]
    scale = _scale(root, pairs)
    for group in _class(root, "ms-chart__age"):
        item = forecast.at(int(group.get("data-age", "0")))
        assert item is not None
        assert item.pessimistic_total is not None
        assert item.optimistic_total is not None
        (band,) = _class(group, "ms-chart__band")
        match = re.match(r"M([\d.]+) ([\d.]+)V([\d.]+)", band[-1].get("d", ""))
        assert match is not None
        low, high = float(match[2]), float(match[3])
        assert abs(baseline - low - scale * float(item.pessimistic_total)) < TOLERANCE
        assert abs(baseline - high - scale * float(item.optimistic_total)) < TOLERANCE


def test_the_chosen_age_is_outlined_and_named_not_only_coloured() -> None:
    root = _parse(forecast_by_age_svg(_forecast(chosen=66), language="en"))

    chosen = [g for g in _class(root, "ms-chart__age") if g.get("data-chosen") == "true"]
    assert [g.get("data-age") for g in chosen] == ["66"]
    (outline,) = _class(chosen[0], "ms-chart__outline")
    assert outline.get("fill") == "none"
    assert float(outline.get("stroke-width", "0")) >= 2
    texts = {_text(t): t.get("font-weight") for t in _all(chosen[0], "text")}
    assert texts["your choice"] == "bold"
    assert texts["66"] == "bold"
    assert texts[f"15,400{NBSP}kr"] == "bold"  # its total is written out
    others = [g for g in _class(root, "ms-chart__age") if g.get("data-chosen") != "true"]
    assert others
    assert not any(_class(g, "ms-chart__outline") or _class(g, "ms-chart__chosen") for g in others)


def test_a_chosen_age_that_is_not_allowed_marks_no_bar() -> None:
    root = _parse(forecast_by_age_svg(_forecast(chosen=62), language="en"))

    assert not [g for g in _class(root, "ms-chart__age") if g.get("data-chosen")]
    assert "you chose" not in _text(_all(root, "desc")[0])


def test_occupational_and_private_pensions_are_stacked_on_top_only_when_included() -> None:
    forecast = _forecast(includes_other_pensions=True)
    with_other = _parse(forecast_by_age_svg(forecast, language="en"))
    without = _parse(forecast_by_age_svg(_forecast(includes_other_pensions=False), language="en"))

    assert not [r for r in _all(without, "rect") if r.get("data-part") in {"occupational", "private"}]
    pairs = []
    for group in _class(with_other, "ms-chart__age"):
        item = forecast.at(int(group.get("data-age", "0")))
        assert item is not None
        assert item.expected is not None
        segments = [r for r in _all(group, "rect") if r.get("data-part")]
        assert [r.get("data-part") for r in segments[-2:]] == ["occupational", "private"]
        public_top = min(_number(r, "y") for r in segments[:-2])
        occupational, private = segments[-2:]
        assert abs(_number(occupational, "y") + _number(occupational, "height") - public_top) < TOLERANCE
        pairs += [(occupational, Decimal(6000)), (private, Decimal(1500))]
        pairs += [(r, getattr(item.expected, r.get("data-part", ""))) for r in segments[:-2]]
    _scale(with_other, pairs)
    description = _text(_all(with_other, "desc")[0])
    assert "Occupational and private pensions from Min Pension are stacked on top of each bar." in description
    assert f"With them, at 65 you get 21,600{NBSP}kr a month in the first year." in description


def test_english_title_description_and_amounts() -> None:
    markup = forecast_by_age_svg(_forecast(chosen=65), language="en")
    root = _parse(markup)

    assert isinstance(markup, SafeString)
    assert root.get("role") == "img"
    assert root.get("lang") == "en"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox", ""))
    (title,) = [e for e in root if e.tag == f"{NS}title"]
    (desc,) = [e for e in root if e.tag == f"{NS}desc"]
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert list(root)[:2] == [title, desc]
    assert _text(title) == "Public pension a month before tax, by the age you start drawing it"
    description = _text(desc)
    assert f"from 63 to 67: 13,300{NBSP}kr at 63 and 16,700{NBSP}kr at 67" in description
    assert f"At the age you chose, 65, it is 14,100{NBSP}kr, between 12,100{NBSP}kr (pessimistic)" in description
    assert description.endswith("The table after the chart gives every amount.")
    texts = [_text(t) for t in _class(root, "ms-chart__value-axis")[0].iter(f"{NS}text")]
    assert f"5,000{NBSP}kr" in texts
    assert [_text(t) for t in _class(root, "ms-chart__unit")[0].iter(f"{NS}text")] == ["kr a month before tax"]


def test_swedish_title_description_and_amounts() -> None:
    root = _parse(forecast_by_age_svg(_forecast(chosen=65, includes_other_pensions=True), language="sv"))

    assert root.get("lang") == "sv"
    assert _text(_all(root, "title")[0]).startswith("Allmän pension, tjänstepension och privat pension per månad")
    description = _text(_all(root, "desc")[0])
    assert f"från 63 till 67 år: 13{NBSP}300{NBSP}kr vid 63 år" in description
    assert f"Vid den ålder du valt, 65 år, blir den 14{NBSP}100{NBSP}kr" in description
    assert f"Med dem får du vid 65 år 21{NBSP}600{NBSP}kr per månad det första året." in description
    assert description.endswith("Tabellen efter diagrammet visar alla belopp.")
    texts = [_text(t) for t in root.iter(f"{NS}text")]
    assert f"5{NBSP}000{NBSP}kr" in texts
    assert {"ditt val", "Inkomstpension", "Tjänstepension", "kr per månad före skatt"} <= set(texts)


def test_no_allowed_age_gives_an_empty_chart_that_says_so() -> None:
    empty = AgeForecast(age=62, allowed=False, expected=None, pessimistic_total=None, optimistic_total=None)

    root = _parse(forecast_by_age_svg(_forecast(ages=(empty,)), language="en"))

    assert not _class(root, "ms-chart__age")
    assert _text(_all(root, "desc")[0]) == "There is no forecast to show."


# --- The income over age ----------------------------------------------------------------------------------

STEPS = (
    IncomeStep(from_age=65, until_age=67, occupational=Decimal(6000), private=Decimal(2000), ending=("Folksam",)),
    IncomeStep(from_age=67, until_age=70, occupational=Decimal(6000), private=Decimal(0), ending=("Alecta",)),
    IncomeStep(from_age=70, until_age=None, occupational=Decimal(2500), private=Decimal(0)),
)


def _age_x(root: Element) -> dict[int, float]:
    return {int(_text(t)): _number(t, "x") for t in _class(root, "ms-chart__ages")[0].iter(f"{NS}text")}


def _x_of(root: Element, age: float, *, start: int = 65, end: int = 90) -> float:
    ticks = _age_x(root)
    return ticks[start] + (ticks[end] - ticks[start]) * (age - start) / (end - start)


def test_public_pension_is_flat_and_other_pensions_are_steps_of_the_right_height() -> None:
    root = _parse(income_over_age_svg(Decimal(14000), STEPS, start_age=65, language="en"))

    layers = [
        (r.get("data-layer", ""), int(r.get("data-from-age", "0")), int(r.get("data-until-age", "0")), r)
        for r in _all(root, "rect")
        if r.get("data-layer")
    ]
    expected = {
        ("public", 65, 90): Decimal(14000),
        ("occupational", 65, 70): Decimal(6000),
        ("occupational", 70, 90): Decimal(2500),
        ("private", 65, 67): Decimal(2000),
    }
    assert {(layer, start, end) for layer, start, end, _ in layers} == set(expected)
    _scale(root, [(rect, expected[(layer, start, end)]) for layer, start, end, rect in layers])
    for layer, start, end, rect in layers:
        assert abs(_number(rect, "x") - _x_of(root, start)) < TOLERANCE, layer
        assert abs(_number(rect, "x") + _number(rect, "width") - _x_of(root, end)) < TOLERANCE, layer
    baseline = _baseline(root)
    (public,) = [rect for layer, *_, rect in layers if layer == "public"]
    assert abs(_number(public, "y") + _number(public, "height") - baseline) < TOLERANCE


def test_each_drop_is_drawn_and_labelled_at_the_age_the_payout_ends() -> None:
    root = _parse(income_over_age_svg(Decimal(14000), STEPS, start_age=65, language="en"))

    drops = {int(g.get("data-age", "0")): g for g in _class(root, "ms-chart__drop")}
    assert sorted(drops) == [67, 70]
    for age, group in drops.items():
        (line,) = _all(group, "line")
        assert abs(_number(line, "x1") - _x_of(root, age)) < TOLERANCE
        assert line.get("x1") == line.get("x2")
        assert line.get("stroke-dasharray")
    assert _text(_all(drops[67], "text")[0]) == "Private pension from Folksam ends at 67"
    assert _text(_all(drops[70], "text")[0]) == "Occupational pension from Alecta ends at 70"
    (total,) = _all(_class(root, "ms-chart__total")[0], "path")
    levels = [float(v) for v in re.findall(r"V([\d.]+)", total.get("d", ""))]
    assert levels == sorted(levels)  # every step lower than the one before (a larger y)
    assert len(levels) == 2


def test_drop_labels_in_swedish_name_every_provider() -> None:
    steps = (
        IncomeStep(from_age=65, until_age=70, occupational=Decimal(6000), private=Decimal(0), ending=("Alecta", "AMF")),
        IncomeStep(from_age=70, until_age=None, occupational=Decimal(0), private=Decimal(0)),
    )

    root = _parse(income_over_age_svg(Decimal(14000), steps, start_age=65, language="sv"))

    (drop,) = _class(root, "ms-chart__drop")
    assert _text(_all(drop, "text")[0]) == "Tjänstepension från Alecta och AMF upphör vid 70"
    assert root.get("lang") == "sv"
    assert _text(_all(root, "title")[0]) == "Din inkomst per månad före skatt från 65 års ålder"
    description = _text(_all(root, "desc")[0])
    assert f"Från 65 år: 20{NBSP}000{NBSP}kr per månad totalt." in description
    assert f"Tjänstepension från Alecta och AMF upphör vid 70. Från 70 år: 14{NBSP}000{NBSP}kr" in description


def test_a_drop_label_does_not_cross_the_line_of_a_drop_above_it() -> None:
    # The second label fits neither right of its line (89, near the edge) nor left of it without crossing
    # the line at 75 from the row above; it goes along the right edge, clear of that line.
    steps = (
        IncomeStep(from_age=65, until_age=75, occupational=Decimal(6000), private=Decimal(2000), ending=("Folksam",)),
        IncomeStep(from_age=75, until_age=89, occupational=Decimal(0), private=Decimal(2000), ending=("SEB",)),
        IncomeStep(from_age=89, until_age=None, occupational=Decimal(0), private=Decimal(0)),
    )

    root = _parse(income_over_age_svg(Decimal(14000), steps, start_age=65, language="en"))

    first, second = _class(root, "ms-chart__drop")
    (line_above,) = _all(first, "line")
    (box,) = _class(second, "ms-chart__label-backing")
    left, right = _number(box, "x"), _number(box, "x") + _number(box, "width")
    assert not left <= _number(line_above, "x1") <= right
    assert _number(box, "y") > _number(line_above, "y1")  # the line above does reach down through this row


def test_a_drop_of_both_kinds_is_called_a_payout() -> None:
    steps = (
        IncomeStep(from_age=66, until_age=71, occupational=Decimal(3000), private=Decimal(900), ending=("Skandia",)),
        IncomeStep(from_age=71, until_age=None, occupational=Decimal(1000), private=Decimal(0)),
    )

    root = _parse(income_over_age_svg(Decimal(12000), steps, start_age=66, end_age=85, language="en"))

    (drop,) = _class(root, "ms-chart__drop")
    assert _text(_all(drop, "text")[0]) == "Payout from Skandia ends at 71"


def test_a_payout_ending_after_the_last_age_shown_gets_no_drop() -> None:
    steps = (IncomeStep(from_age=65, until_age=95, occupational=Decimal(3000), private=Decimal(0), ending=("SPP",)),)

    root = _parse(income_over_age_svg(Decimal(12000), steps, start_age=65, language="en"))

    assert not _class(root, "ms-chart__drop")
    (occupational,) = [r for r in _all(root, "rect") if r.get("data-layer") == "occupational"]
    assert occupational.get("data-until-age") == "90"


def test_income_chart_description_gives_each_step_in_order() -> None:
    root = _parse(income_over_age_svg(Decimal(14000), STEPS, start_age=65, language="en"))

    description = _text(_all(root, "desc")[0])
    assert description.index(f"From 65: 22,000{NBSP}kr") < description.index("Private pension from Folksam ends at 67.")
    assert description.index(f"From 67: 20,000{NBSP}kr") < description.index(f"From 70: 16,500{NBSP}kr")
    assert f"the public pension, 14,000{NBSP}kr a month for life" in description
    assert description.endswith("The table after the chart gives every amount.")


def test_income_chart_refuses_an_age_range_without_ages() -> None:
    with pytest.raises(ValueError, match="ages after"):
        income_over_age_svg(Decimal(1), (), start_age=90, end_age=90, language="en")


# --- Both charts ------------------------------------------------------------------------------------------


def _both(language: str = "en", provider: str = "Alecta") -> list[str]:
    steps = (
        IncomeStep(from_age=65, until_age=70, occupational=Decimal(5000), private=Decimal(0), ending=(provider,)),
        IncomeStep(from_age=70, until_age=None, occupational=Decimal(0), private=Decimal(0)),
    )
    return [
        forecast_by_age_svg(_forecast(includes_other_pensions=True), language=language),
        income_over_age_svg(Decimal(14000), steps, start_age=65, language=language),
    ]


def test_provider_names_are_escaped() -> None:
    provider = '<script>alert("x")</script> & <b>Co</b>'

    markup = _both(provider=provider)[1]

    assert "<script" not in markup
    assert "<b>" not in markup
    (drop,) = _class(_parse(markup), "ms-chart__drop")
    assert _text(_all(drop, "text")[0]) == f"Occupational pension from {provider} ends at 70"


def test_characters_xml_cannot_carry_are_dropped_so_the_markup_stays_well_formed() -> None:
    markup = _both(provider="Bad\x00Na\x0bme\ufffe")[1]

    (drop,) = _class(_parse(markup), "ms-chart__drop")
    assert _text(_all(drop, "text")[0]) == "Occupational pension from BadName ends at 70"


def test_no_style_no_script_no_external_reference_and_unique_ids() -> None:
    ids: list[str] = []
    for markup in _both():
        root = _parse(markup)
        prefix = root.get("aria-labelledby", "").removesuffix("-title")
        for element in root.iter():
            assert element.tag.removeprefix(NS) not in {"style", "script", "foreignObject", "image", "a", "use"}
            assert "style" not in element.attrib
            names = [str(name) for name in element.attrib]
            assert not [name for name in names if name.startswith("on") or name.endswith("href")]
            for value in map(str, element.attrib.values()):
                assert "url(" not in value or re.fullmatch(r"url\(#[a-z0-9-]+\)", value)
            if element.get("id"):
                assert element.get("id", "").startswith(f"{prefix}-")
                ids.append(element.get("id", ""))
    assert len(ids) == len(set(ids))


def test_the_same_input_gives_the_same_bytes() -> None:
    assert _both() == _both()
    assert _both("sv") == _both("sv")
    assert _both("sv") != _both("en")


def test_a_second_chart_on_the_page_gets_its_own_ids() -> None:
    first = _parse(forecast_by_age_svg(_forecast(), language="en"))
    second = _parse(forecast_by_age_svg(_forecast(), language="en", id_prefix="compare-chart"))

    def ids(root: Element) -> set[str]:
        return {e.get("id", "") for e in root.iter() if e.get("id")}

    assert ids(second)
    assert not ids(first) & ids(second)
    assert second.get("aria-labelledby") == "compare-chart-title"


@pytest.mark.parametrize(("language", "id_prefix"), [("de", "chart"), ("en", "Chart 1"), ("en", 'x"><script>')])
def test_unknown_language_or_unsafe_id_prefix_is_refused(language: str, id_prefix: str) -> None:
    with pytest.raises(ValueError, match="Not"):
        forecast_by_age_svg(_forecast(), language=language, id_prefix=id_prefix)
    with pytest.raises(ValueError, match="Not"):
        income_over_age_svg(Decimal(1), (), start_age=65, language=language, id_prefix=id_prefix)
