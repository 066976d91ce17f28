"""What the signing step keeps: one row per accepted signature, so that no order or signature is accepted twice."""

from __future__ import annotations

from django.db import models


class AcceptedSignature(models.Model):
    """A signature the step has accepted: its BankID order and the SHA-256 of the signature as received.

    Both are unique: a completion collected again, or the same signature presented with another order, is a
    replay and is refused. No personal data: the signer is kept only as the access log's pseudonym."""

    order_ref = models.CharField(max_length=64, unique=True)
    signature_sha256 = models.CharField(max_length=64, unique=True)
    document_sha256 = models.CharField(max_length=64)
    signer_ref = models.CharField(max_length=64)
    accepted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"signature of {self.document_sha256[:12]} at {self.accepted_at:%Y-%m-%d %H:%M}"
