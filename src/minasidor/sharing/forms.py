"""The consent page's one question: which of the scopes a service asked for the citizen lets it read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from minasidor.sharing.types import Scope
from minasidor.ui.forms import CheckboxSelectMultiple


class ConsentForm(forms.Form):
    """Checkboxes of the scopes asked for, each ticked until the citizen unticks it; none ticked is a no."""

    scopes = forms.MultipleChoiceField(
        label=_("What the service may read"),
        help_text=_(
            "Everything the service asked for is ticked. Untick what you do not want to share. "
            "If you untick everything, the service gets nothing."
        ),
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None, *, asked: list[str]) -> None:
        super().__init__(data, initial={"scopes": list(asked)})
        field = self.fields["scopes"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(scope.value, capfirst(scope.label)) for scope in Scope if scope.value in asked]

    def chosen(self) -> list[str]:
        """The scopes ticked, in the order of Scope; empty when the form is not valid (a tampered choice)."""
        if not self.is_valid():
            return []
        ticked = set(self.cleaned_data["scopes"])
        return [scope.value for scope in Scope if scope.value in ticked]
