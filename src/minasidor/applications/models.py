"""What the application keeps in the portal's database: the signed applications on their way to the back office.

An outbox: a signed application is written here (with the document's canonical bytes and the signature's
evidence) before it is sent, in the transaction of its access record, so that it is never lost when the back
office does not answer; it is sent under its idempotency key until the back office has opened the case, and
shown as sent only then.
"""

from __future__ import annotations

import json
import uuid

from django.db import models


class SubmissionStatus(models.TextChoices):
    """Where a signed application is on its way to the back office."""

    PENDING = "pending", "pending"  # kept, not yet accepted by the back office
    SENT = "sent", "sent"  # the back office opened (or had opened) its case
    REFUSED = "refused", "refused"  # the back office refused it: customer service takes over


class SignedApplication(models.Model):
    """A signed application (or change) kept until the back office has its case.

    ``subject_ref`` is the person's access-log pseudonym (the page shows a row to that person only); the
    personal number is inside the signed bytes, where it was signed. ``principal_ref`` is the citizen's
    principal, in whose name it is sent again by the background task.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=128, unique=True)
    subject_ref = models.CharField(max_length=64, db_index=True)
    principal_ref = models.CharField(max_length=64)
    case_type = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)
    version = models.PositiveSmallIntegerField()
    canonical_bytes = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    summary = models.TextField()
    evidence = models.JSONField()
    language = models.CharField(max_length=8, default="sv")
    signed_at = models.DateTimeField()
    kept_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_problem = models.CharField(max_length=200, blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Signed by a delegate under the person's power of attorney (decision 0216): the power's signed document and
    # the grantor's evidence, sent with the application; ``principal_ref`` is then the delegate's.
    power_canonical = models.BinaryField(null=True, blank=True)
    power_evidence = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=("status", "next_attempt_at"), name="applications_due"),)

    def __str__(self) -> str:
        return f"signed {self.kind} {self.sha256[:12]} ({self.status})"

    @property
    def by_delegate(self) -> bool:
        return self.power_canonical is not None

    @property
    def signed_by_delegate(self) -> str:
        """The name of the delegate who signed it for the person under a power of attorney (from the signed
        content's ``on_behalf``, decision 0216); empty when the person signed it themself."""
        if not self.by_delegate:
            return ""
        on_behalf = json.loads(bytes(self.canonical_bytes))["content"].get("on_behalf") or {}
        return str(on_behalf.get("delegate_name", ""))
