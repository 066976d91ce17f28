"""The citizen's own access log: who has read or changed their data, when and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
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
            "who": _who(record.principal_kind, record.principal_ref),
            "what": ACTIONS[record.action].label if record.action in ACTIONS else record.action,
            "why": Purpose(record.purpose).label,
        }
        for record in records
    ]
    return render(request, "privacy/access_log.html", {"rows": rows, "page_title": _("Who has seen your data")})


def _who(kind: str, ref: str) -> str | Promise:
    """Who did it, as the citizen reads it: an agent by their staff number, anyone else by kind alone."""
    label = PrincipalKind(kind).label
    return f"{label} ({ref})" if kind == PrincipalKind.AGENT else label
