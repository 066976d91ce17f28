"""The staff administration: Django's admin on its own, non-obvious path, with password and a TOTP code.

It is not the citizens' portal: no BankID, its own login, and only staff accounts (``is_staff``) with a
registered authenticator app get in. The path is the setting ``STAFF_ADMIN_PATH``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minasidor.staff.services import staff_login_failure_record, staff_login_locked, totp_code_check


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and the authenticator app's code; a failure never says which was wrong.

    Every attempt checks the password and the code (the code is used up only when the password is right too),
    and every failure gets the same message, so the password cannot be guessed without the second factor.
    An account with ``STAFF_LOGIN_FAILURES_PER_HOUR`` failures in the last hour, from any session and any
    address, is not tried at all until they age out (ASVS 2.2.1).
    """

    otp = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        self.user_cache = None
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not username or not password:
            return self.cleaned_data  # the fields' own errors say what is missing
        if staff_login_locked(username=username):
            raise ValidationError(
                _("This account has had too many failed logins. Try again in an hour."), code="locked"
            )
        user = authenticate(self.request, username=username, password=password)
        allowed = user is not None and user.is_active and user.is_staff
        named = user if user is not None else get_user_model().objects.filter(username=username).first()
        code = self.cleaned_data.get("otp") or ""
        code_right = named is not None and totp_code_check(user=named, code=code, use=allowed)
        if not (allowed and code_right):
            staff_login_failure_record(username=username)
            raise ValidationError(
                _("Enter a correct username, password and code from the authenticator app."), code="invalid_login"
            )
        self.user_cache = user
        return self.cleaned_data


class StaffAdminSite(AdminSite):
    site_header = _("Staff administration")
    site_title = _("Staff administration")
    index_title = _("Staff administration")
    login_form = StaffLoginForm
    login_template = "staff/login.html"
    enable_nav_sidebar = False


staff_site = StaffAdminSite(name="staff")
