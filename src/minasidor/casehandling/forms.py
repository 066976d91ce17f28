"""The case handler's forms: an answer, a completion request with its last day, a decision, a closing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel import clock
from minasidor.ui.forms import RadioSelect

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_TEXT = 10_000
COMPLETION_DAYS = 14


def _text(label: StrPromise, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the text")},
    )


class TakeUpForm(forms.Form):
    """Take up a received case (nothing to fill in)."""


class AnswerForm(forms.Form):
    text = _text(_("Message to the citizen"))


class CompletionRequestForm(forms.Form):
    text = _text(_("What the citizen is to send or answer"))
    due = forms.DateField(
        label=_("Last day to answer"),
        help_text=_("For example 2026-12-31."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the last day"), "invalid": _("Give the day as YYYY-MM-DD")},
    )

    def clean_due(self) -> dt.date:
        due: dt.date = self.cleaned_data["due"]
        if due <= clock.today():
            raise forms.ValidationError(_("The last day must be after today"))
        return due


def completion_initial() -> dict[str, dt.date]:
    """Two weeks from today, the usual time to answer."""
    return {"due": clock.today() + dt.timedelta(days=COMPLETION_DAYS)}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("granted", _("Grant")), ("rejected", _("Reject"))],
        widget=RadioSelect,
        error_messages={"required": _("Choose grant or reject")},
    )
    text = _text(_("Reasons (required for a rejection)"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "rejected" and not str(cleaned.get("text", "")).strip():
            self.add_error("text", _("A rejection gives its reasons"))
        return cleaned


class CloseForm(forms.Form):
    text = _text(_("Why the case is closed (the citizen sees it)"))
