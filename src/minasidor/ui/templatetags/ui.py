"""Template tags and filters of the UI base: the language navigation, and the formatting of amounts, percentages,
dates and countries (``minasidor.ui.formatting``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language

from kernel import clock
from minasidor.ui import formatting
from minasidor.ui.context_processors import phone_uri
from minasidor.ui.menu import menu_entries
from minasidor.ui.opening_hours import opening_hours_text

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


@register.inclusion_tag("ui/components/menu_navigation.html", takes_context=True)
def menu_navigation(
    context: dict[str, Any], *, drawing_pension: bool | None = None, current: str = ""
) -> dict[str, Any]:
    """Links to the citizen's services shown to them (``minasidor.ui.menu``), but the page ``current``; only
    those in ``menu_only`` when a page sets it (a session acting for someone: the pages its power opens)."""
    known = drawing_pension if isinstance(drawing_pension, bool) else None  # a template gives "" when unknown
    only = context.get("menu_only")
    entries = [
        entry
        for entry in menu_entries(drawing_pension=known)
        if entry.url_name != current and (only is None or entry.url_name in only)
    ]
    return {"entries": entries}


@register.inclusion_tag("ui/components/menu_summaries.html")
def menu_summaries() -> dict[str, Any]:
    """What the citizen can do on My pages, one line per service that exists (the start page)."""
    return {"entries": menu_entries(everyone=True)}


@register.inclusion_tag("ui/components/customer_service.html")
def customer_service(*, help_link: bool = True) -> dict[str, Any]:
    """Customer service's phone number (a ``tel:`` link) and opening hours, and the way to the help page.

    Reads the settings, not the request, so the error pages rendered without one can show it too.
    """
    return {
        "phone": settings.CUSTOMER_SERVICE_PHONE,
        "phone_uri": phone_uri(settings.CUSTOMER_SERVICE_PHONE),
        "hours": opening_hours_text(settings.CUSTOMER_SERVICE_HOURS, clock.today()),
        "help_url": _help_url() if help_link else None,
    }


def _help_url() -> str | None:
    """The help page's address; None where the URLs have no help page (the error pages must always render)."""
    try:
        return reverse("ui:help")
    except NoReverseMatch:
        return None


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
