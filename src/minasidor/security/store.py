"""The security store: where limits and one-time protocol state live, never culled before they expire.

Security state must not share a cache that evicts: a flood of anything must not reset a limit or lose
another citizen's outstanding login. The store is the cache alias ``SECURITY_CACHE`` ("security"): Redis in
production (the production profile requires it; Redis must be configured not to evict keys with a time
to live, ``maxmemory-policy noeviction``), and on the embedded default this backend, a table in the portal's
database (:class:`~minasidor.security.models.SecurityEntry`) behind Django's cache interface.

Besides Django's cache methods both backends offer ``count(key, timeout)`` (and ``acount``): add one to a
counter that starts at one and expires ``timeout`` seconds after its first count, atomically, so parallel
requests cannot both slip under a limit. Values must be JSON (strings, numbers, lists, dicts, booleans).
See docs/decisions/0046-limits-keyed-by-address-in-a-store-that-does-not-cull.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Protocol, cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q

from kernel import clock

KEY_MAX = 200


class CountingCache(Protocol):
    """A Django cache that also counts atomically (both security store backends)."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any: ...
    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None: ...
    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool: ...
    def delete(self, key: str, version: int | None = None) -> bool: ...
    def clear(self) -> None: ...
    def count(self, key: str, timeout: int, version: int | None = None) -> int: ...
    async def acount(self, key: str, timeout: int, version: int | None = None) -> int: ...


def security_cache() -> CountingCache:
    """The security store of this process (the cache alias ``SECURITY_CACHE``)."""
    return cast(CountingCache, caches[settings.SECURITY_CACHE])


def _entries() -> Any:
    from minasidor.security.models import SecurityEntry  # noqa: PLC0415 - the app registry is ready by now

    return SecurityEntry.objects


class DatabaseStore(BaseCache):
    """Django's cache interface over :class:`~minasidor.security.models.SecurityEntry`: no culling, atomic counts.

    ``LOCATION`` is ignored (the table is the model's, in the database the router gives the security app).
    """

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def make_and_validate_key(self, key: str, version: int | None = None) -> str:
        """The stored key: a long one (an identity provider's request id, say) by its hash, to fit the column."""
        full = self.make_key(key, version=version)
        return full if len(full) <= KEY_MAX else f"sha256:{hashlib.sha256(full.encode()).hexdigest()}"

    def _expiry(self, timeout: Any) -> dt.datetime | None:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return None
        return clock.now() + dt.timedelta(seconds=max(float(timeout), 0.0))

    def _live(self, now: dt.datetime) -> Q:
        return Q(expires_at__isnull=True) | Q(expires_at__gt=now)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        full = self.make_and_validate_key(key, version=version)
        row = _entries().filter(self._live(clock.now()), key=full).values_list("value", "count").first()
        if row is None:
            return default
        value, count = row
        return count if value is None else value

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        full = self.make_and_validate_key(key, version=version)
        if timeout is not DEFAULT_TIMEOUT and timeout is not None and timeout <= 0:
            self.delete(key, version=version)
            return
        _entries().update_or_create(
            key=full, defaults={"value": value, "count": 0, "expires_at": self._expiry(timeout)}
        )

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        now = clock.now()
        with transaction.atomic(using=_entries().db):
            _entries().filter(key=full, expires_at__lte=now).delete()
            try:
                with transaction.atomic(using=_entries().db):
                    _entries().create(key=full, value=value, count=0, expires_at=self._expiry(timeout))
            except IntegrityError:
                return False
        return True

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        updated = _entries().filter(self._live(clock.now()), key=full).update(expires_at=self._expiry(timeout))
        return bool(updated)

    def delete(self, key: str, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        deleted, _ = _entries().filter(self._live(clock.now()), key=full).delete()
        _entries().filter(key=full).delete()
        return bool(deleted)

    def has_key(self, key: str, version: int | None = None) -> bool:
        full = self.make_and_validate_key(key, version=version)
        return bool(_entries().filter(self._live(clock.now()), key=full).exists())

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        full = self.make_and_validate_key(key, version=version)
        live = _entries().filter(self._live(clock.now()), key=full, value__isnull=True)
        with transaction.atomic(using=_entries().db):
            if not live.update(count=F("count") + delta):
                raise ValueError(f"Key '{key}' not found.")
            return int(live.values_list("count", flat=True).get())

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to a counter that starts at one and expires ``timeout`` seconds after its first count.

        One statement (an upsert that returns the count; SQLite 3.35+ and PostgreSQL), so a limit costs one
        query per request and parallel requests cannot both slip under it: a live counter is raised, an
        expired one (or a value left under the key) starts again at one with a new expiry.
        """
        from minasidor.security.models import SecurityEntry  # noqa: PLC0415 - the app registry is ready by now

        full = self.make_and_validate_key(key, version=version)
        alias = _entries().db
        connection = connections[alias]
        ops = connection.ops
        now = clock.now()
        fields = {field.name: field.column for field in SecurityEntry._meta.fields}
        table = ops.quote_name(SecurityEntry._meta.db_table)
        key_c, value_c, count_c, expires_c = (
            ops.quote_name(fields[name]) for name in ("key", "value", "count", "expires_at")
        )
        stale = f"({table}.{expires_c} IS NOT NULL AND {table}.{expires_c} <= %s) OR {table}.{value_c} IS NOT NULL"
        sql = (
            # only quoted table and column names are formatted in; every value is a parameter
            f"INSERT INTO {table} ({key_c}, {value_c}, {count_c}, {expires_c}) VALUES (%s, NULL, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key_c}) DO UPDATE SET "
            f"{count_c} = CASE WHEN {stale} THEN 1 ELSE {table}.{count_c} + 1 END, "
            f"{expires_c} = CASE WHEN {stale} THEN excluded.{expires_c} ELSE {table}.{expires_c} END, "
            f"{value_c} = NULL "
            f"RETURNING {count_c}"
        )
        at_now = ops.adapt_datetimefield_value(now)
        expires = ops.adapt_datetimefield_value(now + dt.timedelta(seconds=max(int(timeout), 0)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [full, expires, at_now, at_now])
            row = cursor.fetchone()
        return int(row[0]) if row is not None else 1

    async def acount(self, key: str, timeout: int, version: int | None = None) -> int:
        return int(await sync_to_async(self.count, thread_sensitive=True)(key, timeout, version))

    def clear(self) -> None:
        _entries().all().delete()

    def expired_delete(self) -> int:
        """Delete the entries that have expired; how many."""
        deleted, _ = _entries().filter(expires_at__lte=clock.now()).delete()
        return int(deleted)
