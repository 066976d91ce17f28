"""Template filters of the Min pension pages: names of benefits in the reader's language, and totals as shown."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from minasidor.ui.sums import sum_of_shown

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


@register.simple_tag
def shown_sum(*amounts: Decimal | int | None) -> int:
    """The sum of ``amounts`` as they are shown, in whole kronor, so that a total adds up on the page."""
    return sum_of_shown([amount for amount in amounts if amount is not None])
