"""Template tags and filters of the UI base: the language navigation, and amounts in kronor."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

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
def kronor(value: Decimal | None) -> str:
    """``12345.60`` → ``12 346 kr`` in Swedish (no-break spaces), ``12,346 kr`` in English."""
    if value is None:
        return ""
    whole = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    grouped = f"{whole:,}"
    if get_language() != "en":
        grouped = grouped.replace(",", "\u00a0").replace("-", "\u2212")
    return f"{grouped}\u00a0kr"
