"""Powers of attorney in the portal's database (decision 0180).

The two people are named by the access log's keyed pseudonyms (``grantor_ref``, ``delegate_ref``); their
numbers and the grantor's names are kept only sealed (``sealing``). The grant is kept with the document the
grantor signed (its canonical bytes and hash) and the signature's evidence, so it can be shown years later
what was granted and that the grantor signed it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.delegation.types import EndedBy


class PowerOfAttorney(models.Model):
    """Fullmakt: the grantor lets the delegate use parts of Mina sidor for them, from one time to another."""

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    grantor_ref = models.CharField(_("grantor (pseudonym)"), max_length=64, db_index=True)
    grantor_sealed = models.TextField(_("grantor (sealed number and names)"))
    delegate_ref = models.CharField(_("delegate (pseudonym)"), max_length=64, db_index=True)
    delegate_sealed = models.TextField(_("delegate (sealed number)"))
    scopes = models.CharField(_("what it covers"), max_length=64)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), db_index=True)
    document_sha256 = models.CharField(_("signed document (SHA-256)"), max_length=64, unique=True)
    document_canonical = models.TextField(_("signed document (canonical, base64)"))
    document_summary = models.TextField(_("text shown to the signer"))
    evidence = models.JSONField(_("signature evidence"))
    created_at = models.DateTimeField(_("signed"))
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)
    ended_by = models.CharField(_("ended by"), max_length=16, choices=EndedBy.choices, blank=True)

    class Meta:
        verbose_name = _("power of attorney")
        verbose_name_plural = _("powers of attorney")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.reference} ({self.scopes})"

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(part for part in self.scopes.split(",") if part)
