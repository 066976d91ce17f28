"""An agent's passkeys (WebAuthn credentials): the phishing-resistant second factor of the console."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentPasskey(models.Model):
    """One registered passkey: its credential id, public key (COSE) and signature counter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(_("credential id (base64url)"), max_length=1024, unique=True)
    public_key = models.BinaryField(_("public key (COSE)"))
    sign_count = models.BigIntegerField(_("signature counter"), default=0)
    created_at = models.DateTimeField(_("registered"))

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self) -> str:
        return f"Passkey of user {self.user_id}"
