"""The citizen's own access log: who has read or changed their data, when and why."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.selectors import access_records_for_subject, principal_names
from minasidor.audit.types import ACTIONS, PrincipalKind, Purpose
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity

GROUPING_WINDOW = dt.timedelta(minutes=1)


@require_safe
@citizen_required
def access_log(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The newest records about the logged-in citizen, in words they can read."""
    records = access_records_for_subject(
        principal=identity.principal, subject_key=identity.subject_key, principal_key=identity.principal_key
    )
    delegates = principal_names(
        kind=PrincipalKind.DELEGATE,
        subject_ref=pseudonym_for(identity.subject_key),
        refs=(record.principal_ref for record in records if record.principal_kind == PrincipalKind.DELEGATE),
    )
    rows = [
        LogRow(
            when=record.occurred_at,
            who=_who(record.principal_kind, record.principal_ref, own=identity.pseudonym, delegates=delegates),
            what=ACTIONS[record.action].label if record.action in ACTIONS else record.action,
            why=Purpose(record.purpose).label,
        )
        for record in records
    ]
    context = {"rows": rows_grouped(rows), "page_title": _("Who has seen your data")}
    return render(request, "privacy/access_log.html", context)


@dataclasses.dataclass(frozen=True, slots=True)
class LogRow:
    """One line of the access log as the citizen reads it; ``times``: how many alike records it stands for."""

    when: dt.datetime
    who: str | Promise
    what: str | Promise
    why: str | Promise
    times: int = 1


def rows_grouped(rows: list[LogRow]) -> list[LogRow]:
    """``rows`` (newest first) with records alike (who, what, why) within a minute of each other as one line.

    The line keeps the newest time and says how many records it stands for (issue 14.8: seven identical
    reads of one page load are one line, "7 times").
    """
    grouped: list[LogRow] = []
    for row in rows:
        last = grouped[-1] if grouped else None
        alike = last is not None and (last.who, last.what, last.why) == (row.who, row.what, row.why)
        if last is not None and alike and abs(last.when - row.when) < GROUPING_WINDOW:
            grouped[-1] = dataclasses.replace(last, times=last.times + 1)
        else:
            grouped.append(row)
    return grouped


def _who(kind: str, ref: str, *, own: str, delegates: Mapping[str, str]) -> str | Promise:
    """Who did it, as the citizen reads it: an agent by their staff number, a service given access by its client
    id, a person the citizen gave a power of attorney by name (``delegates``, decision 0215), the person themself
    logged in with a foreign eID bound to their number (a principal of its own, ``Identity.principal_key``) as
    such, anyone else by kind alone."""
    if kind == PrincipalKind.CITIZEN and ref != own:
        return _("You, with a foreign e-ID")
    if kind == PrincipalKind.DELEGATE and ref in delegates:
        return gettext("%(name)s, whom you gave a power of attorney") % {"name": delegates[ref]}
    label = PrincipalKind(kind).label
    return f"{label} ({ref})" if kind in (PrincipalKind.AGENT, PrincipalKind.THIRD_PARTY) else label
