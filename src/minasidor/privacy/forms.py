"""The question of the temporary-permission page: what customer service may see, and for how long."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from minasidor.temporary_access.types import DURATIONS_MINUTES, Scope
from minasidor.ui.forms import CheckboxSelectMultiple, RadioSelect


def _duration_label(minutes: int) -> str:
    if minutes % 60 == 0:
        return str(ngettext_lazy("%(count)d hour", "%(count)d hours", minutes // 60) % {"count": minutes // 60})
    return str(ngettext_lazy("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})


class PermissionForm(forms.Form):
    """The citizen's choice of scope and duration for a temporary permission."""

    scopes = forms.MultipleChoiceField(
        label=_("What may customer service see?"),
        help_text=_("Choose only what the call is about. Customer service can never change anything."),
        choices=Scope.choices,
        widget=CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing customer service may see")},
    )
    minutes = forms.TypedChoiceField(
        label=_("For how long?"),
        help_text=_("The permission ends by itself at this time, or when you end it or log out."),
        coerce=int,
        widget=RadioSelect,
        error_messages={"required": _("Choose how long the permission lasts")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["minutes"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(minutes), _duration_label(minutes)) for minutes in DURATIONS_MINUTES]
