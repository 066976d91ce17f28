"""The citizen's own access log: who has read or changed their data, when and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from minasidor.audit.selectors import access_records_for_subject
from minasidor.audit.types import ACTIONS, PrincipalKind, Purpose
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity


@require_safe
@citizen_required
def access_log(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The newest records about the logged-in citizen, in words they can read."""
    records = access_records_for_subject(principal=identity.principal, subject_key=identity.subject_key)
    rows = [
        {
            "when": record.occurred_at,
            "who": PrincipalKind(record.principal_kind).label,
            "what": ACTIONS[record.action].label if record.action in ACTIONS else record.action,
            "why": Purpose(record.purpose).label,
        }
        for record in records
    ]
    return render(request, "privacy/access_log.html", {"rows": rows, "page_title": _("Who has seen your data")})
