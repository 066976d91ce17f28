"""A cheap mark that a citizen has a live permission, read on every page of every one of their sessions.

The banner "customer service can see your data until HH:MM" belongs in every logged-in session of the
citizen, not only the one that gave the permission (and a permission started from the console, by BankID
or the personal code, was given in no session at all). Asking the database on every page would cost every
citizen a query; instead each permission, when it starts, leaves a mark in the shared cache under the
citizen's pseudonym with its end time, and ending it removes the mark (decision 0172). A page asks the
database only while a mark says a permission may be live. A mark that outlives its permission costs one
query and is then removed; the cache failing falls back to asking in the session that gave it.
"""

from __future__ import annotations

import datetime as dt

import structlog
from django.core.cache import cache

from kernel import clock

logger = structlog.get_logger(__name__)
_PREFIX = "temporary_access:live:"


def _key(subject_ref: str) -> str:
    return _PREFIX + subject_ref


def live_mark_set(*, subject_ref: str, expires_at: dt.datetime) -> None:
    """Mark that the citizen has a permission live until ``expires_at``.

    Set at once, inside the permission's transaction: were it rolled back, the mark would cost one query on
    the citizen's next page and then be removed, whereas a mark set after the commit could be missed.
    """
    seconds = int((expires_at - clock.now()).total_seconds()) + 60
    try:
        cache.set(_key(subject_ref), expires_at.timestamp(), timeout=max(seconds, 60))
    except Exception:
        logger.warning("temporary_access.live_mark_failed")


def live_mark_clear(*, subject_ref: str) -> None:
    """Remove the mark (the citizen's permission ended; one at a time, so none is live)."""
    try:
        cache.delete(_key(subject_ref))
    except Exception:
        logger.warning("temporary_access.live_mark_failed")


def live_mark(*, subject_ref: str) -> bool | None:
    """Whether the citizen may have a live permission: True/False by the mark, None when the cache failed."""
    try:
        until = cache.get(_key(subject_ref))
    except Exception:
        logger.warning("temporary_access.live_mark_failed")
        return None
    return isinstance(until, (int, float)) and until > clock.now().timestamp()


def live_marks_forget_all() -> None:
    """Tests only: forget every mark (the in-memory cache outlives a test's rolled-back database)."""
    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:
        delete_pattern(_PREFIX + "*")
        return
    for key in list(getattr(cache, "_cache", {})):
        if _PREFIX in str(key):
            cache.delete(str(key).split(":", 2)[-1])
