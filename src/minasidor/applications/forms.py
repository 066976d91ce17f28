"""The application's questions, one page each: the parts, each income-based part's start and share, civil
status, survivor protection, living abroad, tax withholding and the payment account."""

from __future__ import annotations

import gettext
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import pycountry
from django import forms
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minasidor.applications.draft import GUARANTEE_PARTS, month_text
from minasidor.pension_data.application import ApplicationWindow
from minasidor.registers.types import CivilStatusAnswer, PensionPart, TaxWithholdingKind
from minasidor.ui.forms import CheckboxSelectMultiple, RadioSelect

SHARES = (100, 75, 50, 25)
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
MAX_EXTRA_TAX = 100_000

PART_LABELS = {
    PensionPart.INCOME_PENSION: _("Income pension (inkomstpension)"),
    PensionPart.PREMIUM_PENSION: _("Premium pension (premiepension)"),
    PensionPart.GUARANTEE_PENSION: _("Guarantee pension (garantipension)"),
    PensionPart.INCOME_PENSION_SUPPLEMENT: _("Income-pension supplement (inkomstpensionstillägg)"),
}


def month_label(month: Any) -> str:
    """A month as the pages show it, in the page's language ("januari 2027", "January 2027")."""
    return str(formats.date_format(month, "F Y"))


class PartsForm(forms.Form):
    """Which parts of the old-age pension the person applies for."""

    question_as_heading = True
    parts = forms.MultipleChoiceField(
        label=_("Which parts of your pension do you apply for?"),
        widget=CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one part of your pension")},
    )

    def __init__(self, *args: Any, window: ApplicationWindow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = [PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION]
        help_text: Any = _(
            "You can start income pension and premium pension at different times and with different shares."
        )
        if window.guarantee_possible:
            parts += list(GUARANTEE_PARTS)
            help_text = _(
                "You can start income pension and premium pension at different times and with different shares. "
                "Guarantee pension and the income-pension supplement are paid from %(month)s at the earliest, "
                "only if you take both income pension and premium pension in full, and only to people living in "
                "Sweden, the EU/EEA or Switzerland. We work out whether you are entitled to them."
            ) % {"month": month_label(window.guarantee_from)}
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(part), PART_LABELS[part]) for part in parts]
        field.help_text = help_text

    def clean_parts(self) -> list[str]:
        parts: list[str] = self.cleaned_data["parts"]
        if not {PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION} & set(parts):
            raise forms.ValidationError(_("Choose income pension, premium pension or both"), code="no_income_based")
        if set(GUARANTEE_PARTS) & set(parts) and not {PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION} <= set(
            parts
        ):
            raise forms.ValidationError(
                _("Guarantee pension and the supplement are paid only with both income pension and premium pension"),
                code="guarantee_needs_both",
            )
        return parts


class PartStartForm(forms.Form):
    """From which month, and how much of, one income-based part."""

    start_month = forms.ChoiceField(
        label=_("From which month?"),
        error_messages={
            "required": _("Choose the month you want the pension from"),
            "invalid_choice": _("Choose one of the months in the list"),
        },
    )
    share = forms.TypedChoiceField(
        label=_("How much do you want to take?"),
        help_text=_("Taking a part means a lower amount now and a higher amount later. You can change it later."),
        choices=[(str(share), f"{share}\u00a0%") for share in SHARES],
        coerce=int,
        widget=RadioSelect,
        error_messages={
            "required": _("Choose how much you want to take"),
            "invalid_choice": _("Choose how much you want to take"),
        },
    )

    def __init__(self, *args: Any, window: ApplicationWindow, whole_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["start_month"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(month_text(m), month_label(m)) for m in window.months]
        field.help_text = _(
            "The earliest month is %(first)s: not before the month your application reaches us, and not before "
            "your age allows. You can choose up to %(last)s."
        ) % {"first": month_label(window.first_month), "last": month_label(window.last_month)}
        self.whole_only = whole_only

    def clean_share(self) -> int:
        share = int(self.cleaned_data["share"])
        if self.whole_only and share != 100:
            raise forms.ValidationError(
                _(
                    "You applied for guarantee pension, which is paid only in full. "
                    "Choose 100 per cent or change the parts."
                ),
                code="whole_only",
            )
        return share


class CivilStatusForm(forms.Form):
    """Civil status: it sets the guarantee pension's level and who may choose survivor protection."""

    question_as_heading = True
    civil_status = forms.ChoiceField(
        label=_("What is your civil status?"),
        help_text=_(
            "It affects guarantee pension and housing supplement, and whether you can choose survivor protection."
        ),
        choices=CivilStatusAnswer.choices,
        widget=RadioSelect,
        error_messages={"required": _("Choose your civil status")},
    )


class SurvivorProtectionForm(forms.Form):
    """Whether the premium pension gets survivor protection (efterlevandeskydd)."""

    question_as_heading = True
    survivor_protection = forms.ChoiceField(
        label=_("Do you want survivor protection for your premium pension?"),
        choices=[
            ("yes", _("Yes, my spouse or partner gets my premium pension if I die")),
            ("no", _("No, my premium pension is paid only to me")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you want survivor protection")},
    )


@cache
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    names = [
        (country.alpha_2, translation.gettext(getattr(country, "common_name", None) or country.name))
        for country in pycountry.countries
        if country.alpha_2 != "SE"
    ]
    return tuple(sorted(names, key=lambda item: item[1].casefold()))


def country_name(code: str) -> str:
    """A country's name in the page's language."""
    return dict(_country_names(get_language() or "sv")).get(code, code)


class LivingAbroadForm(forms.Form):
    """Whether the person lives outside Sweden, and where."""

    living_abroad = forms.ChoiceField(
        label=_("Do you live outside Sweden?"),
        choices=YES_NO,
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you live outside Sweden")},
    )
    country = forms.ChoiceField(
        label=_("Which country do you live in?"),
        help_text=_("Only if you live outside Sweden."),
        required=False,
        error_messages={"invalid_choice": _("Choose a country in the list")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("Choose a country")), *_country_names(get_language() or "sv")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("living_abroad") == "yes" and not data.get("country") and "country" not in self.errors:
            self.add_error("country", _("Choose the country you live in"))
        return data


class TaxForm(forms.Form):
    """How tax is withheld from the pension."""

    tax_kind = forms.ChoiceField(
        label=_("How do you want tax to be withheld?"),
        widget=RadioSelect,
        error_messages={"required": _("Choose how tax is withheld")},
    )
    extra_per_month = forms.CharField(
        label=_("Extra tax per month, in kronor"),
        help_text=_("Only if you chose extra tax. For example 500."),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, living_abroad: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tax_kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        choices = [
            (TaxWithholdingKind.TABLE, _("By the tax table (the usual choice)")),
            (TaxWithholdingKind.EXTRA, _("By the tax table, plus an extra amount each month")),
            (TaxWithholdingKind.THIRTY_PERCENT, _("30 per cent")),
        ]
        if living_abroad:
            choices.append(
                (TaxWithholdingKind.SINK, _("SINK, the special income tax for people living abroad (25 per cent)"))
            )
        field.choices = [(str(value), label) for value, label in choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = re.sub(r"[\s\u00a0]", "", str(data.get("extra_per_month") or "")).replace(",", ".")
        if data.get("tax_kind") != TaxWithholdingKind.EXTRA:
            data["extra_per_month"] = Decimal(0)
            return data
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal(-1)
        if (
            not text
            or not amount.is_finite()
            or not Decimal(1) <= amount <= MAX_EXTRA_TAX
            or amount != amount.quantize(Decimal("0.01"))
        ):
            self.add_error("extra_per_month", _("Enter an amount from 1 to 100 000 kronor, for example 500"))
        else:
            data["extra_per_month"] = amount.quantize(Decimal("0.01"))
        return data


# The account questions are shared with My details' change of payment account (the ui's, decision 0161).
