"""The questions of a new power of attorney, one a page: who, what, until when."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.delegation.services import age_on
from minasidor.delegation.types import DELEGATE_MIN_AGE, LENGTHS_MONTHS, OFFERED_SCOPES
from minasidor.ui.forms import CheckboxSelectMultiple, RadioSelect


class WhoForm(forms.Form):
    """The person who may act for the grantor, by personal number."""

    question_as_heading = True

    delegate = forms.CharField(
        label=_("What is the personal identity number of the person you want to give a power of attorney?"),
        help_text=_("12 digits, for example 19740812-1234. They log in with their own e-ID."),
        max_length=20,
        error_messages={"required": _("Enter the personal identity number of the person")},
    )

    def __init__(self, *args: Any, own_number: PersonalNumber, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_number = own_number
        self.fields["delegate"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean_delegate(self) -> PersonalNumber:
        try:
            number = PersonalNumber.parse(self.cleaned_data["delegate"], today=clock.today())
        except PersonalNumberError as error:
            raise ValidationError(_("Enter a valid personal identity number, for example 19740812-1234")) from error
        if number == self.own_number:
            raise ValidationError(_("Enter the number of someone else: you already use My pages yourself"))
        if age_on(number, clock.today()) < DELEGATE_MIN_AGE:
            raise ValidationError(_("The person must be at least 18 years old"))
        return number


class WhatForm(forms.Form):
    """What the delegate may do."""

    question_as_heading = True

    scopes = forms.MultipleChoiceField(
        label=_("What may the person do for you on My pages?"),
        help_text=_("Choose only what they need. They can never give the power of attorney on to anyone else."),
        choices=[(scope.value, scope.label) for scope in OFFERED_SCOPES],
        widget=CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the person may do")},
    )


def length_label(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


class UntilForm(forms.Form):
    """For how long."""

    question_as_heading = True

    months = forms.TypedChoiceField(
        label=_("For how long should the power of attorney last?"),
        help_text=_("It ends by itself then. You and the person can end it earlier at any time."),
        coerce=int,
        widget=RadioSelect,
        error_messages={"required": _("Choose how long the power of attorney lasts")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["months"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(months), length_label(months)) for months in LENGTHS_MONTHS]
