"""Writes of web tests: make a record with a short reference; delete those older than 24 hours."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from kernel import clock
from minasidor.webtest.models import WebTestRecord

KEPT = dt.timedelta(hours=24)
# Letters and digits that cannot be mistaken for each other when read out on the phone.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def reference_new() -> str:
    """Eight characters in two groups, e.g. ``K7PQ-4X2M`` (40 bits)."""
    text = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{text[:4]}-{text[4:]}"


def reference_normalise(entered: str) -> str:
    text = "".join(ch for ch in entered.upper() if ch.isalnum())
    return f"{text[:4]}-{text[4:]}" if len(text) == 8 else text


def webtest_record_create(*, results: dict[str, Any]) -> WebTestRecord:
    """Keep ``results`` under a new reference (tried again on the rare clash)."""
    for _attempt in range(5):
        try:
            with transaction.atomic(using="default"):
                return WebTestRecord.objects.create(reference=reference_new(), created_at=clock.now(), results=results)
        except IntegrityError:
            continue
    raise RuntimeError("No free web-test reference")


def webtest_expired_delete() -> int:
    """Delete every record made more than 24 hours ago; the number deleted."""
    deleted, _ = WebTestRecord.objects.filter(created_at__lte=clock.now() - KEPT).delete()
    return deleted
