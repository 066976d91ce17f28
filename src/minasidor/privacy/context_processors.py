"""Tells every citizen page that a temporary permission is live, in every session of the citizen (0130, 0172).

The database is asked only while the cache's mark for the citizen (``temporary_access.marks``) says a
permission may be live, or, when the cache cannot answer, in the session that gave one (a mark in the
session). A page of a citizen without a live permission costs no query.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from minasidor.identity.session import current_identity
from minasidor.temporary_access.marks import live_mark, live_mark_clear
from minasidor.temporary_access.selectors import permission_live_for_citizen

SESSION_MARK = "temporary_access_given"
SESSION_CODE = "temporary_access_code"


def live_permission(request: HttpRequest) -> dict[str, Any]:
    session = getattr(request, "session", None)
    if session is None:
        return {}
    identity = current_identity(request)
    if identity is None:
        return {}
    marked = live_mark(subject_ref=identity.pseudonym)
    if not marked and not (marked is None and session.get(SESSION_MARK)):
        return {}
    permission = permission_live_for_citizen(identity=identity)
    if permission is None:
        if marked:
            live_mark_clear(subject_ref=identity.pseudonym)
        session.pop(SESSION_MARK, None)
        session.pop(SESSION_CODE, None)
        return {}
    return {"live_permission": permission}
