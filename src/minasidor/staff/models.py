"""A staff member's second factor (the authenticator app's secret, TOTP, RFC 6238), and failed logins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffTotpDevice(models.Model):
    """The TOTP secret of one staff account, and the last time step accepted (a code works once).

    The secret is as sensitive as a password hash's input; in production the database is encrypted at rest.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(_("secret (base32)"), max_length=64)
    last_used_step = models.BigIntegerField(_("last accepted time step"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP device of user {self.user_id}"


class StaffLoginFailure(models.Model):
    """One failed staff login, for the per-account limit (ASVS 2.2.1) and as the record of the attempt.

    The account is the username as typed, keyed-hashed (a typo of a password in the name field is not kept),
    whether or not such an account exists, so the limit tells nothing about which names exist. Rows older
    than the limit's window are deleted as new failures are recorded.
    """

    account = models.CharField(_("account (keyed hash of the username)"), max_length=64)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("failed staff login")
        verbose_name_plural = _("failed staff logins")
        indexes = (
            models.Index(fields=("account", "at"), name="staff_failure_account_at"),
            models.Index(fields=("at",), name="staff_failure_at"),
        )

    def __str__(self) -> str:
        return f"Failed staff login at {self.at:%Y-%m-%d %H:%M:%S}"
