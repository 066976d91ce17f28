"""The staff administration: Django's admin on its own, non-obvious path, with password and a TOTP code.

It is not the citizens' portal: no BankID, its own login, and only staff accounts (``is_staff``) with a
registered authenticator app get in. The path is the setting ``STAFF_ADMIN_PATH``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minasidor.staff.services import totp_code_accept


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and the authenticator app's code; a failure never says which was wrong."""

    otp = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not totp_code_accept(user=user, code=cleaned.get("otp", "")):
            self.user_cache = None
            raise ValidationError(
                _("Enter a correct username, password and code from the authenticator app."), code="invalid_login"
            )
        return cleaned


class StaffAdminSite(AdminSite):
    site_header = _("Staff administration")
    site_title = _("Staff administration")
    index_title = _("Staff administration")
    login_form = StaffLoginForm
    login_template = "staff/login.html"
    enable_nav_sidebar = False


staff_site = StaffAdminSite(name="staff")
