"""The one question of the consent page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.ui.forms import RadioSelect


class ConsentForm(forms.Form):
    """Whether the citizen accepts Min Pension's terms and wants Mina sidor to register them."""

    consent = forms.ChoiceField(
        label=_("Do you want us to register you with Min Pension and accept its terms on your behalf?"),
        help_text=_("You can stop using Min Pension at any time on minpension.se."),
        choices=[("yes", _("Yes, register me and accept the terms")), ("no", _("No, not now"))],
        widget=RadioSelect,
        error_messages={"required": _("Choose whether you want us to register you with Min Pension")},
    )
