"""The questions of the housing-supplement calculator: what the register knows (prefilled, to be corrected or
completed with a spouse's) and what only the citizen knows (the rent, other incomes, savings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.ui.forms import RadioSelect, kronor_field

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

SINGLE, MARRIED = "single", "married"
MAX_MONTHLY = 1_000_000
MAX_ASSETS = 1_000_000_000


def _kronor_field(
    label: _StrPromise, help_text: _StrPromise | str = "", *, maximum: int = MAX_MONTHLY, required: bool = False
) -> forms.IntegerField:
    return kronor_field(label, help_text, maximum=maximum, required=required)


class HousingForm(forms.Form):
    """One household's housing cost, incomes and savings; for the married, both spouses' together."""

    civil_status = forms.ChoiceField(
        label=_("Do you live alone?"),
        choices=[
            (SINGLE, _("Yes, I am single")),
            (MARRIED, _("No, I am married, a registered partner or live with a partner")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you live alone")},
    )
    housing_cost_per_month = _kronor_field(
        _("Housing cost per month, in kronor"),
        _("Rent or fee for your home, including heating if you pay it yourself."),
        required=True,
    )
    guarantee_pension_per_month = _kronor_field(
        _("Guarantee pension per month before tax"),
        _("From the pension register. If you live with a partner, add theirs."),
    )
    income_based_pension_per_month = _kronor_field(
        _("Other public pension per month before tax"),
        _(
            "Income, premium and supplementary pension and the income pension supplement, from the pension "
            "register. If you live with a partner, add theirs."
        ),
    )
    occupational_pension_per_month = _kronor_field(
        _("Occupational and private pension per month before tax"),
        _("For example from your former employer. If you live with a partner, add theirs."),
    )
    earned_income_per_month = _kronor_field(
        _("Income from work per month before tax"),
        _("If you live with a partner, add theirs."),
    )
    capital_income_per_year = _kronor_field(
        _("Interest and dividends per year"),
        _("If you live with a partner, add theirs."),
        maximum=MAX_ASSETS,
    )
    assets = _kronor_field(
        _("Savings and other assets, in kronor"),
        _(
            "Bank savings, funds and shares, and the value of a home you own above its loans. If you live with a "
            "partner, add theirs."
        ),
        maximum=MAX_ASSETS,
    )

    def amounts(self) -> dict[str, int]:
        """The valid answers as whole kronor (a field left empty counts as 0)."""
        return {name: int(self.cleaned_data.get(name) or 0) for name in self.fields if name != "civil_status"}
