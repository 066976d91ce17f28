"""The security store's periodic job: entries past their time are deleted (the database store only)."""

from __future__ import annotations

from django_tasks import task

from minasidor.security.store import DatabaseStore, security_cache


@task()
def security_expired_delete() -> int:
    """Delete the security store's expired entries; how many (Redis expires its own: nothing to do)."""
    store = security_cache()
    return store.expired_delete() if isinstance(store, DatabaseStore) else 0
