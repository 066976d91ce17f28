"""Deleting what sessions leave behind: expired sessions, sessions past their time limits, kept forms.

Django's ``clearsessions`` deletes the sessions whose store expiry has passed (database sessions; Redis
expires its keys itself). In the database a session's expiry is its last write plus the absolute limit
(8 hours), so a session abandoned without logout would keep the citizen's identity that long after the
idle limit ended it, and a form kept across a timeout (decision 0042) would sit in an anonymous session as
long. The periodic job therefore also deletes, from database sessions (decision 0111):

- a logged-in session whose idle or absolute limit (decision 0040) ended more than
  ``SESSION_LEFTOVER_SECONDS`` ago (the grace lets a form sent just after the end still be kept), recorded
  in the citizen's access log as the time limit's logout, as the middleware records it;
- an anonymous session holding a kept form last written more than ``SESSION_LEFTOVER_SECONDS`` ago.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import structlog
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Purpose
from minasidor.identity.expiry import remaining
from minasidor.identity.session import KEPT_FORM_KEY, SESSION_KEY, TIMED_OUT
from minasidor.identity.types import Identity

logger = structlog.get_logger(__name__)

DATABASE_ENGINE = "django.contrib.sessions.backends.db"
BATCH = 1000


@dataclasses.dataclass(frozen=True, slots=True)
class Cleared:
    """How many sessions of each kind were deleted (``None``: the store is not the database)."""

    expired: int | None
    past_limit: int | None
    kept_forms: int | None


def _past_limit(data: dict[str, object], *, leftover: int) -> bool:
    store = SessionBase()
    store.update(data)
    return remaining(store).seconds <= -leftover


def sessions_clear() -> Cleared:
    """Delete expired sessions (any store), and from database sessions those past their limits (see above)."""
    if settings.SESSION_ENGINE != DATABASE_ENGINE:
        call_command("clearsessions")
        return Cleared(expired=None, past_limit=None, kept_forms=None)
    now = timezone.now()
    expired, _ = Session.objects.filter(expire_date__lte=now).delete()
    leftover = settings.SESSION_LEFTOVER_SECONDS
    # A session's row is rewritten at each change with expiry = now + SESSION_COOKIE_AGE.
    written_before = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - leftover)
    decoder = SessionStore()
    past_limit: list[tuple[str, Identity]] = []
    kept_forms: list[str] = []
    rows = Session.objects.filter(expire_date__gt=now).values_list("session_key", "session_data", "expire_date")
    for key, encoded, expire_date in rows.iterator(chunk_size=BATCH):
        data = decoder.decode(encoded)
        if SESSION_KEY in data:
            if _past_limit(data, leftover=leftover):
                past_limit.append((key, Identity.from_session(data[SESSION_KEY])))
        elif KEPT_FORM_KEY in data and expire_date <= written_before:
            kept_forms.append(key)
    for key, identity in past_limit:
        with transaction.atomic(using="default"):
            if Session.objects.filter(session_key=key).delete()[0]:
                access_record_create(
                    principal=identity.principal,
                    subject_key=identity.subject_key,
                    action=TIMED_OUT,
                    purpose=Purpose.SELF_SERVICE,
                )
    for start in range(0, len(kept_forms), BATCH):
        Session.objects.filter(session_key__in=kept_forms[start : start + BATCH]).delete()
    cleared = Cleared(expired=expired, past_limit=len(past_limit), kept_forms=len(kept_forms))
    logger.info("sessions.cleared", **dataclasses.asdict(cleared))
    return cleared
