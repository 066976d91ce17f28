"""The questions of the application for housing supplement: from which month, civil status, the home, and the
household's amounts (the public pension is the register's and is not asked)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.applications.forms import month_label
from minasidor.registers.types import HOUSEHOLD_AMOUNTS, CivilStatusAnswer, HousingKind
from minasidor.ui.forms import RadioSelect, kronor_field

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MONTHS_BACK = 3  # housing supplement is paid at most three months before the application arrives
MONTHS_AHEAD = 2
MAX_AMOUNT = 1_000_000_000


def months_offered(today: dt.date) -> list[dt.date]:
    """The months an application made ``today`` may ask for: three back to two ahead."""
    first = today.replace(day=1)
    index = first.year * 12 + first.month - 1
    return [dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]


def _amount(label: _StrPromise, help_text: _StrPromise) -> forms.IntegerField:
    return kronor_field(label, help_text, maximum=MAX_AMOUNT)


class HousingSupplementForm(forms.Form):
    """The whole application on one page; the household's amounts are the couple's together."""

    from_month = forms.ChoiceField(
        label=_("From which month do you apply?"),
        help_text=_(
            "Housing supplement can be paid for at most three months before the month we get your application."
        ),
        error_messages={"required": _("Choose the month you apply from")},
    )
    civil_status = forms.ChoiceField(
        label=_("What is your civil status?"),
        choices=CivilStatusAnswer.choices,
        widget=RadioSelect,
        error_messages={"required": _("Choose your civil status")},
    )
    housing_kind = forms.ChoiceField(
        label=_("What kind of home do you live in?"),
        choices=HousingKind.choices,
        widget=RadioSelect,
        error_messages={"required": _("Choose the kind of home you live in")},
    )
    housing_cost_per_month = _amount(
        _("Housing cost per month, in kronor"),
        _("Rent or fee for your home, including heating if you pay it yourself."),
    )
    occupational_pension_per_month = _amount(
        _("Occupational and private pension per month before tax"),
        _("For example from your former employer. If you live with a partner, add theirs."),
    )
    earned_income_per_month = _amount(
        _("Income from work per month before tax"), _("If you live with a partner, add theirs.")
    )
    capital_income_per_year = _amount(
        _("Interest and dividends per year"), _("If you live with a partner, add theirs.")
    )
    assets = _amount(
        _("Savings and other assets, in kronor"),
        _(
            "Bank savings, funds and shares, and the value of a home you own above its loans. If you live with a "
            "partner, add theirs."
        ),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = months_offered(today)
        field = self.fields["from_month"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(f"{m:%Y-%m}", month_label(m)) for m in months]
        self.fields["housing_cost_per_month"].required = True
        self.fields["housing_cost_per_month"].error_messages["required"] = _(
            "Enter your housing cost per month, for example 6500"
        )

    def amounts(self) -> dict[str, int]:
        """The household's amounts as whole kronor (an empty field is 0)."""
        return {name: int(self.cleaned_data.get(name) or 0) for name in HOUSEHOLD_AMOUNTS}

    def month(self) -> dt.date:
        text = self.cleaned_data["from_month"]
        return dt.date(int(text[:4]), int(text[5:]), 1)
