"""The questions of My details: how we reach the citizen (e-mail, phone, notices), the language of letters, and
the special postal address. Each is checked here first, politely and in the page's language; the back office
checks again (``errors_from_register`` turns what it refuses into the same sentences)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.ui.forms import RadioSelect, kronor_field

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}$")
_POSTAL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]{1,9}$")

EMAIL_INVALID = _("Enter an e-mail address in the right form, like name@example.com")
PHONE_INVALID = _("Enter a phone number with digits only, like 070-123 45 67 or +46 70 123 45 67")
SMS_NEEDS_PHONE = _("To get notices by text message, give your phone number")
EMAIL_NEEDS_ADDRESS = _("To get notices by e-mail, give your e-mail address")


class ContactForm(forms.Form):
    """E-mail, phone, and how notices reach the citizen."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send a link to a new address. It is used once you have confirmed it by that link."),
        required=False,
        max_length=254,
        error_messages={"invalid": EMAIL_INVALID, "max_length": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        help_text=_("For notices by text message, for example 070-123 45 67."),
        required=False,
        max_length=20,
        error_messages={"max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
    )
    notice_choice = forms.ChoiceField(
        label=_("How do you want to hear that something is waiting for you on My pages?"),
        help_text=_("The notice says only that something is waiting. It never says what."),
        choices=[
            ("email", _("By e-mail")),
            ("sms", _("By text message")),
            ("email_and_sms", _("By e-mail and text message")),
            ("none", _("No notices")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose how you want notices")},
    )

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data.get("phone", "").strip()
        if phone and not _PHONE.fullmatch(phone):
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("notice_choice")
        if choice in ("sms", "email_and_sms") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", SMS_NEEDS_PHONE)
        if choice in ("email", "email_and_sms") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", EMAIL_NEEDS_ADDRESS)
        return data


class LanguageForm(forms.Form):
    """The language of letters and notices."""

    language = forms.ChoiceField(
        label=_("Which language do you want our letters and notices in?"),
        choices=[("sv", _("Swedish")), ("en", _("English"))],
        widget=RadioSelect,
        error_messages={"required": _("Choose a language")},
    )


class PostalAddressForm(forms.Form):
    """A special postal address (särskild postadress): where letters go instead of the registered address."""

    street_address = forms.CharField(
        label=_("Street address or box"),
        max_length=120,
        error_messages={"required": _("Enter the street address or box")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        error_messages={"required": _("Enter the postal code")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=60,
        error_messages={"required": _("Enter the city")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "class": "govuk-input--width-20"}),
    )
    country = forms.CharField(
        label=_("Country, if not Sweden"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "country-name", "class": "govuk-input--width-20"}),
    )

    def clean_postal_code(self) -> str:
        code: str = self.cleaned_data["postal_code"].strip()
        if not _POSTAL_CODE.fullmatch(code):
            raise forms.ValidationError(_("Enter the postal code with digits and letters only, like 123 45"))
        return code


# The back office takes at most this much extra tax a month (backoffice.register.services.MAX_EXTRA_WITHHOLDING).
MAX_EXTRA_TAX = 100_000
EXTRA_TAX_NEEDED = _("Enter how many kronor of extra tax you want withheld each month, for example 500")
EXTRA_TAX_TOO_LARGE = _("The extra tax can be at most 100,000 kronor a month")
ADJUSTMENT_REFERENCE_INVALID = _(
    "Enter the reference as it is on the decision, with at most 30 letters, digits, hyphens or slashes"
)
_ADJUSTMENT_REFERENCE = re.compile(r"[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö /\-]*")


class TaxWithholdingForm(forms.Form):
    """Tax withholding from the pension: the tax table as usual, or the table plus an extra amount each month."""

    withholding = forms.ChoiceField(
        label=_("How much tax do you want withheld from your pension?"),
        choices=[
            ("table", _("Tax by the tax table, as usual")),
            ("extra", _("Tax by the tax table plus an extra amount each month")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose how much tax you want withheld")},
    )
    extra_per_month = kronor_field(
        _("Extra tax each month, in kronor"),
        _("Only if you chose an extra amount. Whole kronor, for example 500."),
        maximum=MAX_EXTRA_TAX,
    )

    adjustment_reference = forms.CharField(
        label=_("Reference of a decision on adjusted tax (jämkning), if you have one"),
        help_text=_("Optional. The reference number on the decision from Skatteverket, for example J-2026/1234."),
        required=False,
        max_length=30,
        error_messages={"max_length": ADJUSTMENT_REFERENCE_INVALID},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_per_month"].error_messages["max_value"] = EXTRA_TAX_TOO_LARGE

    def clean_adjustment_reference(self) -> str:
        reference: str = self.cleaned_data.get("adjustment_reference", "").strip()
        if reference and not _ADJUSTMENT_REFERENCE.fullmatch(reference):
            raise forms.ValidationError(ADJUSTMENT_REFERENCE_INVALID)
        return reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants_extra = data.get("withholding") == "extra"
        if wants_extra and not data.get("extra_per_month") and "extra_per_month" not in self.errors:
            self.add_error("extra_per_month", EXTRA_TAX_NEEDED)
        return data


# What the back office refuses, said as the forms say it (it checks again; a refusal here is rare).
_REGISTER_ERRORS = {
    "email": EMAIL_INVALID,
    "phone": PHONE_INVALID,
    "special_postal_address.street_address": _("Enter the street address or box"),
    "special_postal_address.postal_code": _("Enter the postal code with digits and letters only, like 123 45"),
    "special_postal_address.city": _("Enter the city"),
    "special_postal_address.country": _("Enter the country in at most 60 characters"),
    "extra_withholding": EXTRA_TAX_TOO_LARGE,
    "adjustment_reference": ADJUSTMENT_REFERENCE_INVALID,
}


def errors_from_register(form: forms.Form, errors: dict[str, str]) -> None:
    """Put the back office's refusals on the form's fields, in the page's language."""
    for field, _message in errors.items():
        name = "extra_per_month" if field == "extra_withholding" else field.removeprefix("special_postal_address.")
        if field == "adjustment_reference":
            name = field
        if field == "notice_choice":
            form.add_error(None, _("Check how you want notices: we need an address or number for the way you chose"))
        elif name in form.fields:
            form.add_error(name, _REGISTER_ERRORS.get(field, _("Check this answer")))
        else:
            form.add_error(None, _("We could not save this. Check your answers and try again"))
