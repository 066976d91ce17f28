"""Reads of web tests: the record under a reference, while it is kept."""

from __future__ import annotations

from kernel import clock
from minasidor.webtest.models import WebTestRecord
from minasidor.webtest.services import KEPT, reference_normalise


def webtest_record_get(*, reference: str) -> WebTestRecord | None:
    return WebTestRecord.objects.filter(
        reference=reference_normalise(reference), created_at__gt=clock.now() - KEPT
    ).first()
