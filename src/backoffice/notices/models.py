"""The notices' outbox and the one-time tokens that confirm an e-mail address."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.register.models import Person


class NoticeKind(models.TextChoices):
    """Why a notice is sent. The text says only that something waits (or that details changed, or that someone
    logged in from a device not used before)."""

    CASE_STATUS = "case_status", _("a case changed status")
    MESSAGE = "message", _("a message arrived")
    COMPLETION_DUE = "completion_due", _("a completion is asked for or due")
    DECISION_DELAYED = "decision_delayed", _("the expected decision date passed")
    DETAILS_CHANGED = "details_changed", _("contact details, payment account or tax withholding changed")
    NEW_DEVICE_LOGIN = "new_device_login", _("a login from a device not used before")
    DELEGATE_SESSION = "delegate_session", _("someone began to use My pages with the person's power of attorney")
    EMAIL_CONFIRMATION = "email_confirmation", _("the link that confirms a new e-mail address")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("given up")


class Notice(models.Model):
    """A notice on its way to one contact point: an outbox row, written in the transaction of the event.

    ``address`` and ``language`` are those known when the event happened (a notice that details changed
    goes to the old address). The dispatcher claims the row (``claim``, ``claimed_until``) before it sends
    and marks it ``sent`` after, so a retried or concurrent task never sends it twice (decision 0112).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    key = models.CharField(_("idempotency key"), max_length=128, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=2)
    created_at = models.DateTimeField(_("created"))
    status = models.CharField(_("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claim = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = (
            models.UniqueConstraint(
                fields=("key", "channel"), condition=~models.Q(key=""), name="notices_once_per_key_and_channel"
            ),
        )
        indexes = (models.Index(fields=("status", "next_attempt_at"), name="notices_due_idx"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.status}"


class EmailConfirmation(models.Model):
    """A one-time token that confirms ``email`` for ``person``; only its SHA-256 is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="email_confirmations")
    email = models.EmailField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail confirmation")
        verbose_name_plural = _("e-mail confirmations")

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d}"
