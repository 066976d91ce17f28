"""Database routing: the portal and the back office each own their database.

The back office's apps (every app whose module lives under ``backoffice``) are read, written and migrated
on the ``backoffice`` alias; everything else on ``default``. No relation crosses the two, just as no
foreign key could cross from the portal into the authority's systems of record in a real deployment.

Two apps have their tables in **both** databases: the task queue (``django_tasks_db``) and the periodic
jobs' slots (``minasidor.background``). Each system keeps its own queue beside its own data, so a task is
enqueued in the same transaction as the write it follows (docs/decisions/0110). A row loaded from one
database is saved back to it; a query that names no database goes to the one the current context serves
(:func:`tasks_database`: a task backend while it enqueues, a worker while it runs), else ``default``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db.models import Model

BACKOFFICE_ALIAS = "backoffice"
PORTAL_ALIAS = "default"
# Apps (by module) whose tables exist in every database: each system's own task queue and job slots.
IN_EVERY_DATABASE = frozenset({"django_tasks_db", "minasidor.background"})

_tasks_database: contextvars.ContextVar[str] = contextvars.ContextVar("tasks_database", default=PORTAL_ALIAS)


def alias_for_app(app_label: str) -> str:
    """The database alias that owns the app with ``app_label``."""
    module = apps.get_app_config(app_label).name
    return BACKOFFICE_ALIAS if module.split(".")[0] == "backoffice" else PORTAL_ALIAS


@contextlib.contextmanager
def tasks_database(alias: str) -> Iterator[None]:
    """Within the block, queries of the task queue and job slots that name no database go to ``alias``."""
    token = _tasks_database.set(alias)
    try:
        yield
    finally:
        _tasks_database.reset(token)


def _in_every_database(model: type[Model]) -> bool:
    return apps.get_app_config(model._meta.app_label).name in IN_EVERY_DATABASE


def _alias(model: type[Model], hints: dict[str, Any]) -> str:
    if _in_every_database(model):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return str(instance._state.db)
        return _tasks_database.get()
    return alias_for_app(model._meta.app_label)


class SystemsOfRecordRouter:
    """Sends each model to the database of the system that owns it."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return _alias(model, hints)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return _alias(model, hints)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        if _in_every_database(type(obj1)) or _in_every_database(type(obj2)):
            return obj1._state.db == obj2._state.db
        return alias_for_app(obj1._meta.app_label) == alias_for_app(obj2._meta.app_label)

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        if apps.get_app_config(app_label).name in IN_EVERY_DATABASE:
            return True
        return alias_for_app(app_label) == db
