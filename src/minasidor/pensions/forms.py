"""The questions of the pension pages: the forecast's (when to start, how much to draw, and whether and how to
keep working) and the consent page's (register with Min Pension).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.pension_data.types import WITHDRAWAL_SHARES, AgeWindow, ForecastChoice
from minasidor.ui.forms import RadioSelect

MAX_YEARLY_INCOME = 20_000_000

WORK_CURRENT = "current"
WORK_OTHER = "other"
WORK_NONE = "none"


class ForecastForm(forms.Form):
    """The citizen's forecast choice, at an age of the ``window`` (the cohort's lowest, or today's age, on)."""

    # Questions whose label is styled as the fieldsets' legends are, so that the three questions look alike.
    headline_fields = ("withdrawal_age",)

    withdrawal_age = forms.IntegerField(
        label=_("At what age do you want to start drawing your pension?"),
        error_messages={
            "required": _("Enter the age at which you want to start drawing your pension"),
            "invalid": _("Enter the age as a whole number, for example 67"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3", "autocomplete": "off"}),
    )
    withdrawal_share = forms.TypedChoiceField(
        label=_("How much of your pension do you want to draw?"),
        help_text=_("Drawing a part means a lower amount now and a higher amount later."),
        choices=[(str(share), f"{share}\u00a0%") for share in WITHDRAWAL_SHARES],
        coerce=int,
        widget=RadioSelect,
        error_messages={"required": _("Choose how much of your pension you want to draw")},
    )
    work = forms.ChoiceField(
        label=_("Will you keep working until then?"),
        choices=[
            (WORK_CURRENT, _("Yes, with about the income I have today")),
            (WORK_OTHER, _("Yes, with another income")),
            (WORK_NONE, _("No, I stop working now")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you will keep working")},
    )
    yearly_income = forms.IntegerField(
        label=_("Income per year before tax, in kronor"),
        help_text=_("Only if you chose another income. In today's money, for example 420000."),
        required=False,
        min_value=0,
        max_value=MAX_YEARLY_INCOME,
        error_messages={
            "invalid": _("Enter the income as a whole number of kronor, for example 420000"),
            "min_value": _("The income cannot be negative"),
            "max_value": _("Enter an income of at most 20 000 000 kronor a year"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, window: AgeWindow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lowest_age = window.lowest
        self.first_age = window.first
        self.last_age = window.last
        self.fields["withdrawal_age"].help_text = _(
            "You can start drawing your pension at %(lowest)d at the earliest. We show ages up to %(last)d."
        ) % {"lowest": window.first, "last": window.last}

    def clean_withdrawal_age(self) -> int:
        age = int(self.cleaned_data["withdrawal_age"])
        if age < self.lowest_age:
            raise forms.ValidationError(
                _("You can start drawing your pension at %(lowest)d at the earliest. Enter %(lowest)d or higher."),
                code="below_lowest",
                params={"lowest": self.lowest_age},
            )
        if age < self.first_age:
            raise forms.ValidationError(
                _("You are already %(age)d. Enter %(age)d or higher."), code="past", params={"age": self.first_age}
            )
        if age > self.last_age:
            raise forms.ValidationError(
                _("We show forecasts up to %(last)d. Enter %(last)d or lower."),
                code="above_last",
                params={"last": self.last_age},
            )
        return age

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("work") == WORK_OTHER and data.get("yearly_income") is None and "yearly_income" not in self.errors:
            self.add_error("yearly_income", _("Enter your income per year, or choose another answer"))
        return data

    def choice(self) -> ForecastChoice:
        """The valid form as a choice."""
        data = self.cleaned_data
        work = data["work"]
        return ForecastChoice(
            withdrawal_age=data["withdrawal_age"],
            withdrawal_share=data["withdrawal_share"],
            keeps_working=work != WORK_NONE,
            yearly_income=Decimal(data["yearly_income"]) if work == WORK_OTHER else None,
        )


def initial_of(choice: ForecastChoice) -> dict[str, Any]:
    """The form's initial values for a choice."""
    if not choice.keeps_working:
        work = WORK_NONE
    elif choice.yearly_income is not None:
        work = WORK_OTHER
    else:
        work = WORK_CURRENT
    return {
        "withdrawal_age": choice.withdrawal_age,
        "withdrawal_share": str(choice.withdrawal_share),
        "work": work,
        "yearly_income": None if choice.yearly_income is None else int(choice.yearly_income),
    }


class ConsentForm(forms.Form):
    """Whether the citizen accepts Min Pension's terms and wants Mina sidor to register them."""

    consent = forms.ChoiceField(
        label=_("Do you want us to register you with Min Pension and accept its terms on your behalf?"),
        help_text=_("You can stop using Min Pension at any time on minpension.se."),
        choices=[("yes", _("Yes, register me and accept the terms")), ("no", _("No, not now"))],
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you want us to register you with Min Pension")},
    )


PAUSED = 0  # the share choice "pause": nothing paid from that part


def share_choices(*, pause: bool) -> list[tuple[str, str]]:
    """The shares a pensioner may draw (25, 50, 75 or 100 %), and a pause when ``pause``."""
    choices = [(str(share), f"{share}\u00a0%") for share in WITHDRAWAL_SHARES]
    if pause:
        choices.append((str(PAUSED), str(_("Pause (nothing paid)"))))
    return choices


class DrawingForecastForm(forms.Form):
    """A pensioner's forecast: the income they expect to keep earning each year, and a share per part drawn
    (``parts``: the part codes, with their names, of the parts the register has granted)."""

    yearly_income = forms.IntegerField(
        label=_("Income from work per year before tax, in kronor"),
        help_text=_("What you expect to earn each year from now on. Enter 0 if you no longer work."),
        min_value=0,
        max_value=MAX_YEARLY_INCOME,
        error_messages={
            "required": _("Enter your income per year, or 0 if you no longer work"),
            "invalid": _("Enter the income as a whole number of kronor, for example 420000"),
            "min_value": _("The income cannot be negative"),
            "max_value": _("Enter an income of at most 20 000 000 kronor a year"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, parts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in parts:
            self.fields[f"share_{code}"] = forms.TypedChoiceField(
                label=_("How much of your %(part)s do you want to draw?") % {"part": name},
                choices=share_choices(pause=True),
                coerce=int,
                widget=RadioSelect,
                error_messages={"required": _("Choose how much of your %(part)s you want to draw") % {"part": name}},
            )
        self.part_codes = [code for code, _name in parts]

    def shares(self) -> dict[str, int]:
        """The share chosen per part (0: paused)."""
        return {code: int(self.cleaned_data[f"share_{code}"]) for code in self.part_codes}
