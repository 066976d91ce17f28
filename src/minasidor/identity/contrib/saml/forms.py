from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber, PersonalNumberError
from minasidor.ui.forms import RadioSelect


class MessageForm(forms.Form):
    """A message to customer service from someone the portal cannot match to a Swedish number."""

    text = forms.CharField(
        label=_("Your message"),
        help_text=_("Tell us what you need help with. Do not write a Swedish personal identity number here."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your message"), "max_length": _("Write at most 4000 characters")},
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        help_text=_("An e-mail address or a phone number with country code."),
        max_length=254,
        required=False,
    )

    def clean_text(self) -> str:
        """The message, refused while it holds something that is a valid Swedish personal identity number."""
        text = str(self.cleaned_data["text"])
        if any(_is_personal_number(candidate) for candidate in _NUMBER_SHAPE.findall(text)):
            raise forms.ValidationError(
                _(
                    "Remove the Swedish personal identity number from your message. We do not need it here, and a "
                    "message is not the place for it."
                ),
                code="personal_number",
            )
        return text


_NUMBER_SHAPE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")


def _is_personal_number(candidate: str) -> bool:
    try:
        PersonalNumber.parse(candidate, today=clock.today())
    except PersonalNumberError:
        return False
    return True


class ProviderForm(forms.Form):
    """Which Swedish e-ID provider to log in with (when more than one is offered)."""

    question_as_heading = True
    provider = forms.ChoiceField(
        label=_("Which e-ID do you want to log in with?"),
        widget=RadioSelect,
        error_messages={"required": _("Choose your e-ID")},
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = choices  # type: ignore[attr-defined]
