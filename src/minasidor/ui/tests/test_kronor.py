"""Requirement: amounts read as whole kronor, grouped the way each language writes them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from minasidor.ui.templatetags.ui import kronor


def test_amounts_are_whole_kronor_grouped_per_language() -> None:
    with translation.override("sv"):
        assert kronor(Decimal("318600.50")) == "318\u00a0601\u00a0kr"
    with translation.override("en"):
        assert kronor(Decimal("318600.49")) == "318,600\u00a0kr"
    assert kronor(None) == ""
