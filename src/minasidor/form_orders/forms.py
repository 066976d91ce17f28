"""The one question of ordering a form: which one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.registers.types import PaperForm
from minasidor.ui.forms import RadioSelect


class FormChoiceForm(forms.Form):
    """Which paper form to send by post; the choices are the back office's catalogue."""

    question_as_heading = True
    form = forms.ChoiceField(
        label=_("Which form do you want by post?"),
        widget=RadioSelect,
        error_messages={"required": _("Choose a form"), "invalid_choice": _("Choose a form")},
    )

    def __init__(self, *args: Any, catalogue: tuple[PaperForm, ...], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["form"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(entry.code, entry.title(language)) for entry in catalogue]
