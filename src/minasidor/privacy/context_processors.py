"""Tells every citizen page that a temporary permission is live (decision 0126).

The database is asked only in sessions where the citizen gave a permission (a mark in the session), so a
page of a citizen who never gave one costs no query.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from minasidor.identity.session import current_identity
from minasidor.temporary_access.selectors import permission_live_for_citizen

SESSION_MARK = "temporary_access_given"
SESSION_CODE = "temporary_access_code"


def live_permission(request: HttpRequest) -> dict[str, Any]:
    session = getattr(request, "session", None)
    if session is None or not session.get(SESSION_MARK):
        return {}
    identity = current_identity(request)
    permission = permission_live_for_citizen(identity=identity) if identity is not None else None
    if permission is None:
        session.pop(SESSION_MARK, None)
        session.pop(SESSION_CODE, None)
        return {}
    return {"live_permission": permission}
