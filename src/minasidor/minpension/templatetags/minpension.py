"""Template filters for Min Pension pages: amounts in kronor as people write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()


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
