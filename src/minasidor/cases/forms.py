"""The questions of the case pages: a new question to the authority, a message in a case, the answer to a
completion request, and withdrawing a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_SUBJECT = 200
MAX_TEXT = 10_000


class _TextField(forms.CharField):
    """Plain text of at most 10 000 characters, in a text area; stored as text and always shown escaped."""

    def __init__(self, *, label: StrPromise, required_message: StrPromise, **kwargs: object) -> None:
        super().__init__(
            label=label,
            max_length=MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={
                "required": required_message,
                "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)"),
            },
            **kwargs,  # type: ignore[arg-type]
        )

    def clean(self, value: object) -> str:
        text: str = super().clean(value)
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains a character that cannot be stored"))
        return text


class QuestionForm(forms.Form):
    """A new question to the authority: a subject line and the question."""

    subject = forms.CharField(
        label=_("What is your question about?"),
        help_text=_("A few words, for example “My payment in March”."),
        max_length=MAX_SUBJECT,
        error_messages={
            "required": _("Write what your question is about"),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)"),
        },
    )
    message = _TextField(
        label=_("Your question"),
        required_message=_("Write your question"),
        help_text=_("Do not write your personal identity number: we know who you are."),
    )
    submission_id = forms.CharField(
        widget=forms.HiddenInput, validators=[RegexValidator(r"^[0-9a-f]{32}$")], error_messages={"required": ""}
    )


class MessageForm(forms.Form):
    """A message in a case."""

    text = _TextField(label=_("Write to us about this case"), required_message=_("Write your message"))


class CompletionForm(forms.Form):
    """The answer to a completion request."""

    text = _TextField(label=_("Your answer"), required_message=_("Write your answer"))


class WithdrawForm(forms.Form):
    """Withdraw a case, optionally saying why."""

    reason = forms.CharField(
        label=_("Why do you withdraw it? (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)")},
    )
