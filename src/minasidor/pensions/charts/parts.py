"""What the charts paint and call each part of a pension, and the languages they are drawn in."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext

from minasidor.pensions.charts.svg import Fill

PUBLIC_PARTS = (
    "income_pension",
    "premium_pension",
    "guarantee_pension",
    "income_pension_supplement",
    "supplementary_pension",
)
OTHER_PARTS = ("occupational", "private")

# Every colour has at least 3:1 contrast against the white background (a test checks); the pattern tells
# the parts apart without colour. Stacked parts are separated by a white line.
FILLS = {
    "income_pension": Fill("income-pension", "#00575a", "solid"),
    "premium_pension": Fill("premium-pension", "#1d70b8", "diagonal"),
    "guarantee_pension": Fill("guarantee-pension", "#6f3c97", "dots"),
    "income_pension_supplement": Fill("income-pension-supplement", "#a3510a", "horizontal"),
    "supplementary_pension": Fill("supplementary-pension", "#505a5f", "cross"),
    "occupational": Fill("occupational", "#a8175c", "back-diagonal"),
    "private": Fill("private", "#6b5d00", "vertical"),
    "public": Fill("public", "#00575a", "solid"),
}


def part_labels() -> dict[str, str]:
    """The legend's name of each part, in the active language."""
    return {
        "income_pension": capfirst(gettext("income pension")),
        "premium_pension": capfirst(gettext("premium pension")),
        "guarantee_pension": capfirst(gettext("guarantee pension")),
        "income_pension_supplement": capfirst(gettext("income pension supplement")),
        "supplementary_pension": capfirst(gettext("supplementary pension")),
        "occupational": gettext("Occupational pension"),
        "private": gettext("Private pension"),
        "public": gettext("Public pension"),
    }


def checked_language(language: str) -> str:
    """``language`` if the portal speaks it; a chart in any other language is a programming error."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"Not one of the portal's languages: {language!r}")
    return language
