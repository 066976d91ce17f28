"""The web test's question: consent, and whether the BankID app started from the link."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.ui.forms import RadioSelect

BANKID_ANSWERS = (
    ("yes", _("Yes, the BankID app started")),
    ("no", _("No, nothing happened")),
    ("untried", _("I did not try")),
)


class WebTestForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I want to make the web test and let customer service see the result for 24 hours"),
        error_messages={"required": _("Tick the box to make the web test")},
    )
    bankid = forms.ChoiceField(
        label=_("Did the BankID app start when you chose the link above?"),
        choices=BANKID_ANSWERS,
        widget=RadioSelect,
        initial="untried",
        required=False,
    )
