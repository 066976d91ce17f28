"""The console's questions: the citizen's code, and the second factor's code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
