"""A web test's record: a short reference, when it was made, and what was seen (no personal data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebTestRecord(models.Model):
    """What a visitor's browser showed, kept for customer service for 24 hours under a short reference."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("made"), db_index=True)
    results = models.JSONField(_("results"))

    class Meta:
        verbose_name = _("web test")
        verbose_name_plural = _("web tests")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.reference
