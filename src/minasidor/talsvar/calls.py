"""A call's state between the platform's fetches: kept in the cache under a random id, never in a document.

The documents carry only the call id; the personal number of an identified caller stays here, on our side.
"""

from __future__ import annotations

import dataclasses
import re
import secrets

from django.core.cache import cache

CALL_SECONDS = 15 * 60  # a call longer than this starts over
MAX_IDENTIFY_ATTEMPTS = 3  # per call; the back office also locks the code after wrong ones in a row
LANGUAGES = ("sv", "en")
_CALL_ID = re.compile(r"[A-Za-z0-9_\-]{16,64}")  # what call_start makes (token_urlsafe)


@dataclasses.dataclass(slots=True)
class Call:
    """One call: its language, the identified caller's number (empty until identified), attempts so far."""

    call_id: str
    language: str = "sv"
    personal_number: str = ""
    attempts: int = 0

    @property
    def identified(self) -> bool:
        """Whether the caller has keyed a personal number and the right personal code."""
        return bool(self.personal_number)


def _key(call_id: str) -> str:
    return f"talsvar:call:{call_id}"


def call_start(language: str) -> Call:
    """A new call in ``language`` (Swedish unless English is asked for)."""
    call = Call(call_id=secrets.token_urlsafe(18), language=language if language in LANGUAGES else "sv")
    call_save(call)
    return call


def call_get(call_id: str) -> Call | None:
    """The call, or None when the id is unknown or the call has timed out."""
    if not _CALL_ID.fullmatch(call_id):
        return None
    data = cache.get(_key(call_id))
    return Call(**data) if isinstance(data, dict) else None


def call_save(call: Call) -> None:
    """Keep the call's state for the rest of its time."""
    cache.set(_key(call.call_id), dataclasses.asdict(call), CALL_SECONDS)


def call_end(call: Call) -> None:
    """Forget the call."""
    cache.delete(_key(call.call_id))
