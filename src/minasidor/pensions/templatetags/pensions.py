"""Template filters of the Min pension pages: names of benefits and statement items in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

_BENEFITS = {
    "income_pension": _("Income pension"),
    "premium_pension": _("Premium pension"),
    "supplementary_pension": _("Supplementary pension"),
    "guarantee_pension": _("Guarantee pension"),
    "income_pension_supplement": _("Income pension supplement"),
}


@register.filter
def benefit_name(code: str) -> str:
    """The name of a part of the public pension (an unknown code is shown as it is)."""
    return str(_BENEFITS.get(code, code))


@register.filter
def add_amount(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    """``value + other`` for amounts (Django's ``add`` turns Decimals into text)."""
    if value is None:
        return None
    return value + (other or Decimal(0))
