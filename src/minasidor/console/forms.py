"""The console's questions: the citizen's code, and the second factor's code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.temporary_access.types import DURATIONS_MINUTES, Scope
from minasidor.ui.forms import CheckboxSelectMultiple, RadioSelect


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The citizen's code"),
        help_text=_("Six digits the citizen reads out from Mina sidor."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={"required": _("Enter the code the citizen reads out")},
    )


class TotpForm(forms.Form):
    otp = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
        error_messages={"required": _("Enter the code from the authenticator app")},
    )


class PhoneIdentifyForm(forms.Form):
    """Who the caller says they are, who called whom, and what the caller lets the agent see."""

    personal_number = forms.CharField(
        label=_("The caller's personal identity number"),
        help_text=_("12 digits, for example 19121212-1212. Nothing is shown until the caller approves in BankID."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter the caller's personal identity number")},
    )
    initiator = forms.ChoiceField(
        label=_("Who called whom?"),
        choices=[("user", _("The citizen called us")), ("RP", _("We called the citizen"))],
        widget=RadioSelect,
        error_messages={"required": _("Choose who called whom")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What does the caller let you see?"),
        choices=Scope.choices,
        widget=CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing")},
    )
    minutes = forms.TypedChoiceField(
        label=_("For how long?"),
        choices=[(str(minutes), str(minutes)) for minutes in DURATIONS_MINUTES],
        coerce=int,
        widget=RadioSelect,
        error_messages={"required": _("Choose how long the permission lasts")},
    )

    def clean_personal_number(self) -> PersonalNumber:
        try:
            return PersonalNumber.parse(self.cleaned_data["personal_number"], today=clock.today())
        except PersonalNumberError as error:
            raise ValidationError(_("Enter a valid personal identity number")) from error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minutes = self.fields["minutes"]
        assert isinstance(minutes, forms.TypedChoiceField)  # noqa: S101 - declared above
        minutes.choices = [(str(value), _("%(count)d minutes") % {"count": value}) for value in DURATIONS_MINUTES]


class PersonalCodeIdentifyForm(forms.Form):
    """The caller's personal number and the personal code they read out from the letter (issue 20.2)."""

    personal_number = forms.CharField(
        label=_("The caller's personal identity number"),
        help_text=_("12 digits, for example 19121212-1212."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter the caller's personal identity number")},
    )
    personal_code = forms.CharField(
        label=_("The personal code the caller reads out"),
        help_text=_("Eight digits, printed on the letter with the yearly pension statement."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the personal code the caller reads out")},
    )

    def clean_personal_number(self) -> PersonalNumber:
        try:
            return PersonalNumber.parse(self.cleaned_data["personal_number"], today=clock.today())
        except PersonalNumberError as error:
            raise ValidationError(_("Enter a valid personal identity number")) from error


class CallNoteForm(forms.Form):
    """What the agent notes of the call in the case; the citizen reads it in the case's history."""

    text = forms.CharField(
        label=_("Note about the call"),
        help_text=_("What the call was about and what you agreed. The citizen sees the note in the case's history."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write what the call was about"),
            "max_length": _("The note can be at most %(limit_value)d characters (it is %(show_value)d)"),
        },
    )
