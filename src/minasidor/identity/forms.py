"""The login page's one question."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.identity.providers import LOGIN_OPTIONS
from minasidor.ui.forms import RadioSelect


class LoginMethod(forms.Form):
    """One question: how the citizen wants to identify themself."""

    question_as_heading = True
    method = forms.ChoiceField(
        label=_("How do you want to log in?"),
        help_text=_("You need an e-ID. Use only your own."),
        choices=[(option.value, option.label) for option in LOGIN_OPTIONS],
        widget=RadioSelect,
        error_messages={"required": _("Choose how you want to log in")},
    )
