"""Messages to customer service from people logged in with a foreign eID and no Swedish number.

The back office has no inbox yet, so the portal keeps these messages itself, with the sender's eIDAS
identity (country, prid, eIDAS person identifier, names, date of birth, transaction id) and never a
guessed Swedish number. When the back office gets an inbox they move there (see decision 0057).
"""

from __future__ import annotations

from django.db import models


class ForeignEidMessage(models.Model):
    """One message a foreign-eID user without a Swedish number sent from the explanation page."""

    sent_at = models.DateTimeField()
    subject_key = models.CharField(max_length=80, db_index=True)
    country = models.CharField(max_length=2)
    prid = models.CharField(max_length=40)
    prid_persistence = models.CharField(max_length=1)
    eidas_person_identifier = models.CharField(max_length=256)
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    birth_date = models.DateField(null=True)
    transaction_id = models.CharField(max_length=128)
    language = models.CharField(max_length=5)
    contact = models.CharField(max_length=254, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"Message from {self.subject_key} at {self.sent_at:%Y-%m-%d %H:%M}"
