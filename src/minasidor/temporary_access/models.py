"""Temporary permissions and the codes agents entered, in the portal's database (decision 0126).

The person is named by the access log's keyed pseudonym; their subject key (the personal number) is kept
only sealed (encrypted with a key derived from the portal's secret), for the agent's reads through the
registers while the permission is live. The code itself is never stored, only its keyed hash.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.temporary_access.types import EndReason


class TemporaryPermission(models.Model):
    """Tillfällig behörighet: what customer service may see of a citizen, until when, and who holds it."""

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    subject_ref = models.CharField(_("whose data (pseudonym)"), max_length=64, db_index=True)
    subject_sealed = models.TextField(_("whose data (sealed)"))
    scopes = models.CharField(_("what may be seen"), max_length=64)
    granted_at = models.DateTimeField(_("given"))
    expires_at = models.DateTimeField(_("ends"), db_index=True)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64, db_index=True)
    code_expires_at = models.DateTimeField(_("code can be entered until"))
    agent_ref = models.CharField(_("agent (staff number)"), max_length=64, blank=True)
    agent_name = models.CharField(_("agent (name)"), max_length=200, blank=True)
    agent_session_ref = models.CharField(_("agent's console session"), max_length=64, blank=True, db_index=True)
    taken_at = models.DateTimeField(_("code entered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=32, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("temporary permission")
        verbose_name_plural = _("temporary permissions")
        ordering = ("-granted_at",)

    def __str__(self) -> str:
        return f"{self.reference} ({self.scopes})"

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(part for part in self.scopes.split(",") if part)


class CodeAttempt(models.Model):
    """One code an agent entered, right or wrong: the log of attempts and the count the limit is kept by."""

    agent_ref = models.CharField(_("agent (staff number)"), max_length=64)
    attempted_at = models.DateTimeField(_("when"))
    succeeded = models.BooleanField(_("right code"))
    refused = models.BooleanField(_("refused by the limit"), default=False)
    request_id = models.CharField(_("request id"), max_length=64)

    class Meta:
        verbose_name = _("code attempt")
        verbose_name_plural = _("code attempts")
        indexes = (models.Index(fields=("agent_ref", "attempted_at"), name="temp_access_attempt_agent"),)

    def __str__(self) -> str:
        return f"{self.agent_ref} {self.attempted_at:%Y-%m-%d %H:%M}"
