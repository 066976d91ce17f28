"""Requirement (issue 14.5): one way of writing money, percentages, dates and countries per language.

Swedish: a decimal comma, no-break spaces between thousands, the minus sign U+2212, "19 oktober 2026" or
"19 okt. 2026", country names. English: English separators and the minus sign too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from minasidor.ui import formatting

MINUS = "\u2212"
NBSP = "\u00a0"


def test_swedish_writes_decimal_commas_minus_signs_and_spaces() -> None:
    with translation.override("sv"):
        assert formatting.money(Decimal("318600.50")) == f"318{NBSP}601{NBSP}kr"
        assert formatting.money(Decimal("-1234.49")) == f"{MINUS}1{NBSP}234{NBSP}kr"
        assert formatting.percent(Decimal("1.90")) == f"1,9{NBSP}%"
        assert formatting.percent(-0.5) == f"{MINUS}0,5{NBSP}%"
        assert formatting.percent(Decimal("0.14"), decimals=2) == f"0,14{NBSP}%"
        assert formatting.number(Decimal("422.59"), decimals=4) == "422,5900"


def test_english_writes_english_separators_and_the_minus_sign() -> None:
    with translation.override("en"):
        assert formatting.money(Decimal("318600.49")) == f"318,600{NBSP}kr"
        assert formatting.money(Decimal("-1234")) == f"{MINUS}1,234{NBSP}kr"
        assert formatting.percent(Decimal("1.9")) == "1.9%"
        assert formatting.percent(-0.5) == f"{MINUS}0.5%"


@pytest.mark.parametrize(
    ("language", "day", "long", "short"),
    [
        ("sv", dt.date(2026, 10, 19), "19 oktober 2026", "19 okt. 2026"),
        ("sv", dt.date(2026, 5, 2), "2 maj 2026", "2 maj 2026"),
        ("sv", dt.date(2026, 3, 2), "2 mars 2026", "2 mars 2026"),
        ("en", dt.date(2026, 10, 19), "19 October 2026", "19 Oct 2026"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language: str, day: dt.date, long: str, short: str) -> None:
    with translation.override(language):
        assert formatting.date_long(day) == long
        assert formatting.date_short(day) == short


def test_times_and_countries_per_language() -> None:
    moment = dt.datetime(2026, 10, 19, 14, 5, tzinfo=dt.UTC)
    with translation.override("sv"):
        assert formatting.time_of_day(moment) == "14.05"
        assert formatting.country_name("FR") == "Frankrike"
        assert formatting.country_name("de") == "Tyskland"
        assert formatting.country_name("XX") == "XX"
    with translation.override("en"):
        assert formatting.time_of_day(moment) == "14:05"
        assert formatting.country_name("FR") == "France"


def test_the_template_filters_use_the_module() -> None:
    template = Template(
        "{% load ui %}{{ amount|kronor }}|{{ share|percent }}|{{ day|date_long }}|{{ day|date_short }}"
        "|{{ code|country }}"
    )
    context = Context({"amount": Decimal("-5.5"), "share": Decimal("1.9"), "day": dt.date(2026, 10, 19), "code": "FR"})
    with translation.override("sv"):
        assert template.render(context) == f"{MINUS}6{NBSP}kr|1,9{NBSP}%|19 oktober 2026|19 okt. 2026|Frankrike"
    with translation.override("en"):
        assert template.render(context) == f"{MINUS}6{NBSP}kr|1.9%|19 October 2026|19 Oct 2026|France"


@pytest.mark.django_db
def test_the_start_page_quotes_as_each_language_does(client: Client) -> None:
    swedish = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "”hjälpa till”" in swedish
    assert '"hjälpa till"' not in swedish
    assert "“help”" in english
