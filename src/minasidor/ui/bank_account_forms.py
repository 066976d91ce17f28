"""The questions of a bank account, shared by the application for pension and My details' change of payment
account: a Swedish account checked by the banks' published rules, or an account abroad by IBAN and BIC (decision
0103). The messages say what is wrong in the page's language; nothing typed is lost."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.bank_accounts import BankAccountError, BankAccountProblem, foreign_account, swedish_account
from minasidor.ui.forms import CheckboxSelectMultiple

_CLEARING_PROBLEMS = {
    BankAccountProblem.CLEARING_MISSING: _("Enter the clearing number"),
    BankAccountProblem.CLEARING_NOT_DIGITS: _("The clearing number can only have digits"),
    BankAccountProblem.CLEARING_LENGTH: _("The clearing number has four digits, or five for some Swedbank accounts"),
    BankAccountProblem.CLEARING_UNKNOWN: _("No bank has this clearing number. Check it on your bank statement"),
    BankAccountProblem.CLEARING_CHECK_DIGIT: _("The fifth digit of the clearing number is not right. Check it"),
}
_ACCOUNT_PROBLEMS = {
    BankAccountProblem.ACCOUNT_MISSING: _("Enter the account number"),
    BankAccountProblem.ACCOUNT_NOT_DIGITS: _("The account number can only have digits"),
    BankAccountProblem.ACCOUNT_LENGTH: _("The account number has the wrong number of digits for this bank"),
    BankAccountProblem.ACCOUNT_CHECK_DIGIT: _("The account number is not right for this clearing number. Check it"),
    BankAccountProblem.ACCOUNT_CHECK_DIGIT_UNCERTAIN: _(
        "We cannot check this account number. Check it, and tick the box below if it is right"
    ),
}


class SwedishAccountForm(forms.Form):
    """A Swedish bank account, checked by the banks' published rules (decision 0103)."""

    clearing_number = forms.CharField(
        label=_("Clearing number"),
        help_text=_("Four digits, five for some Swedbank accounts. For example 8327-9."),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5", "autocomplete": "off"}),
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    confirmed = forms.MultipleChoiceField(
        label=_("Only if we cannot check your account number"),
        help_text=_(
            "Some banks' account numbers cannot be checked by their digits. Check the number against your bank."
        ),
        choices=[("yes", _("I have checked the account number and it is right"))],
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clearing_number"].error_messages["required"] = _("Enter the clearing number")
        self.fields["account_number"].error_messages["required"] = _("Enter the account number")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            account = swedish_account(
                data["clearing_number"],
                data["account_number"],
                accept_unverifiable="yes" in (data.get("confirmed") or []),
            )
        except BankAccountError as error:
            if error.problem in _CLEARING_PROBLEMS:
                self.add_error("clearing_number", _CLEARING_PROBLEMS[error.problem])
            else:
                self.add_error("account_number", _ACCOUNT_PROBLEMS.get(error.problem, _("Check the account number")))
            return data
        data["account"] = {
            "kind": "swedish",
            "bank_name": account.bank_name,
            "clearing_number": account.clearing_number,
            "account_number": account.account_number,
        }
        return data


_IBAN_PROBLEMS = {
    BankAccountProblem.IBAN_MISSING: _("Enter the IBAN"),
    BankAccountProblem.IBAN_COUNTRY: _("The IBAN must start with the code of a country that uses IBAN"),
    BankAccountProblem.IBAN_SWEDISH: _(
        "For a Swedish account, say that you live in Sweden and give the clearing number"
    ),
    BankAccountProblem.IBAN_LENGTH: _("The IBAN has the wrong number of characters for its country"),
    BankAccountProblem.IBAN_STRUCTURE: _("The IBAN is not in the form its country uses"),
    BankAccountProblem.IBAN_CHECK_DIGITS: _("The IBAN's check digits are not right. Check it"),
}


class ForeignAccountForm(forms.Form):
    """An account abroad: IBAN and BIC, checked with schwifty (decision 0103)."""

    iban = forms.CharField(
        label=_("IBAN"),
        help_text=_("The international account number, for example DE89 3704 0044 0532 0130 00."),
        max_length=50,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC (SWIFT code)"),
        help_text=_("8 or 11 characters, for example COBADEFFXXX."),
        max_length=15,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iban"].error_messages["required"] = _("Enter the IBAN")
        self.fields["bic"].error_messages["required"] = _("Enter the BIC")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            account = foreign_account(data["iban"], data["bic"])
        except BankAccountError as error:
            if error.problem == BankAccountProblem.BIC_COUNTRY:
                self.add_error("bic", _("The BIC must be of a bank in the IBAN's country"))
            elif error.problem == BankAccountProblem.BIC_INVALID:
                self.add_error("bic", _("The BIC is not right. Check it"))
            else:
                self.add_error("iban", _IBAN_PROBLEMS.get(error.problem, _("Check the IBAN")))
            return data
        data["account"] = {"kind": "foreign", "iban": account.iban, "bic": account.bic or ""}
        return data
