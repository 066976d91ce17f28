"""The security store's table on the embedded default (no Redis): entries that are never culled."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEntry(models.Model):
    """One entry of the security store: a value (JSON) or a counter, until it expires.

    Rate-limit counters, BankID's device blocks, outstanding SAML requests and assertion replay marks live
    here when the portal runs without Redis (``minasidor.security.store``). Unlike a cache, nothing is
    evicted before it expires; expired rows are deleted by the periodic job ``security.expired_delete``.
    """

    key = models.CharField(_("key"), max_length=250, primary_key=True)
    value = models.JSONField(_("value"), null=True)
    count = models.BigIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires"), null=True, db_index=True)

    class Meta:
        verbose_name = _("security store entry")
        verbose_name_plural = _("security store entries")

    def __str__(self) -> str:
        return self.key
