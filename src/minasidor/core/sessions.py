"""Sessions in Redis that fail loudly when Redis cannot be reached.

Django's cache session store reads an entry it cannot get as no session at all: while Redis was away, a
logged-in citizen was sent to the login page, and the new empty session's cookie then replaced theirs, so
they stayed logged out when Redis came back (seen by the fault suite, scripts/fault_suite.py). Here a
failure to reach Redis is raised instead; the portal answers it with its "not available right now" page
(:func:`minasidor.operations.unavailable.server_error`) and the citizen's cookie and session are left as they
were. A key Redis answers without (expired, never there) is still no session, as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cache
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class SessionStore(cache.SessionStore):
    """Django's cache session store, except that an unreachable cache is an error, not an empty session."""

    unreachable = False

    def load(self) -> dict[str, Any]:
        try:
            data = caches[settings.SESSION_CACHE_ALIAS].get(self.cache_key)
        except UNREACHABLE:
            self.unreachable = True
            raise
        return self._loaded(data)

    async def aload(self) -> dict[str, Any]:
        try:
            data = await caches[settings.SESSION_CACHE_ALIAS].aget(await self.acache_key())
        except UNREACHABLE:
            self.unreachable = True
            raise
        return self._loaded(data)

    def _loaded(self, data: Any) -> dict[str, Any]:
        if data is not None:
            return dict(data)
        self._session_key = None
        return {}

    def is_empty(self) -> bool:
        """Not empty when it could not be read: the session middleware must not delete the citizen's cookie."""
        return False if self.unreachable else bool(super().is_empty())
