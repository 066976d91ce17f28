"""Form rendering with the component library's markup: labels, hints, errors and an error summary.

Every form in the portal renders through :class:`AccessibleFormRenderer` (set as ``FORM_RENDERER``): a
field's label is its question, its help text a hint, its errors are announced with the field and linked
from the error summary at the top of the page. Choice fields render as fieldsets with a legend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import widgets
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

_INPUT_CLASSES: dict[type[forms.Widget], tuple[str, str]] = {
    forms.Textarea: ("govuk-textarea", "govuk-textarea--error"),
    forms.Select: ("govuk-select", "govuk-select--error"),
    forms.CheckboxSelectMultiple: ("govuk-checkboxes__input", ""),  # before RadioSelect, its base class
    forms.RadioSelect: ("govuk-radios__input", ""),
    forms.CheckboxInput: ("govuk-checkboxes__input", ""),
    forms.FileInput: ("govuk-file-upload", "govuk-file-upload--error"),  # before Input, its base class
    widgets.Input: ("govuk-input", "govuk-input--error"),
}


def _classes_for(widget: forms.Widget) -> tuple[str, str]:
    for widget_type, classes in _INPUT_CLASSES.items():
        if isinstance(widget, widget_type):
            return classes
    return ("", "")


class AccessibleBoundField(forms.BoundField):
    """A bound field whose widget carries the component library's classes, and its error state."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        base, error = _classes_for(widget or self.field.widget)
        own = (widget or self.field.widget).attrs.get("class", "")  # e.g. a width the form sets
        classes = [str(attrs.get("class", "")), str(own), base, error if self.errors else ""]
        attrs["class"] = " ".join(part for part in classes if part)
        return attrs


class AccessibleFormRenderer(DjangoTemplates):
    """Renders forms and fields with the templates under ``ui/forms/``."""

    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"
    bound_field_class = AccessibleBoundField


class RadioSelect(forms.RadioSelect):
    """Radio buttons in the component library's markup (one per line, label after the input)."""

    template_name = "ui/forms/widgets/radios.html"
    option_template_name = "ui/forms/widgets/radio_option.html"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in the component library's markup (one per line, label after the input)."""

    template_name = "ui/forms/widgets/checkboxes.html"
    option_template_name = "ui/forms/widgets/checkbox_option.html"


def kronor_field(
    label: _StrPromise, help_text: _StrPromise | str = "", *, maximum: int, required: bool = False
) -> forms.IntegerField:
    """A whole number of kronor, 0 to ``maximum``: a numeric keypad on phones, messages that say what to type."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=maximum,
        error_messages={
            "required": _("Enter an amount in kronor, for example 6500"),
            "invalid": _("Enter a whole number of kronor, without spaces or decimals, for example 6500"),
            "min_value": _("The amount cannot be negative"),
            "max_value": _("The amount is larger than this calculator takes"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
