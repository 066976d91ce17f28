"""Template tags and filters of the UI base: the language navigation, and the formatting of amounts, percentages,
dates and countries (``minasidor.ui.formatting``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from minasidor.ui import formatting

register = template.Library()

_NATIVE_NAMES = {"sv": "Svenska", "en": "English"}


@register.inclusion_tag("ui/components/language_navigation.html", takes_context=True)
def language_navigation(context: template.Context) -> dict[str, Any]:
    """Links to the page the reader is on, in each of the portal's languages."""
    request = context["request"]
    current = get_language()
    languages = [
        {
            "code": code,
            "name": _NATIVE_NAMES[code],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _ in settings.LANGUAGES
    ]
    return {"languages": languages, "current_language": current}


@register.filter
def kronor(value: Decimal | int | None) -> str:
    """``12345.60`` → ``12 346 kr`` in Swedish (no-break spaces), ``12,346 kr`` in English; a true minus sign."""
    return formatting.money(value)


@register.filter
def percent(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """``1.9`` → ``1,9 %`` in Swedish, ``1.9%`` in English (``value`` is already in percent)."""
    return "" if value is None else formatting.percent(value, decimals=decimals)


@register.filter
def number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """A number grouped, with the language's decimal mark and a true minus sign."""
    return "" if value is None else formatting.number(value, decimals=decimals)


@register.filter
def date_long(value: dt.date | None) -> str:
    """``19 oktober 2026`` / ``19 October 2026``."""
    return formatting.date_long(value)


@register.filter
def date_short(value: dt.date | None) -> str:
    """``19 okt. 2026`` / ``19 Oct 2026``."""
    return formatting.date_short(value)


@register.filter
def time_of_day(value: dt.datetime | None) -> str:
    """``14.05`` / ``14:05``."""
    return "" if value is None else formatting.time_of_day(value)


@register.filter
def country(code: str | None) -> str:
    """The name of the country of an ISO 3166 alpha-2 code in the reader's language."""
    return "" if not code else formatting.country_name(code)
