"""Database routing: the portal and the back office each own their database.

The back office's apps (every app whose module lives under ``backoffice``) are read, written and migrated
on the ``backoffice`` alias; everything else on ``default``. No relation crosses the two, just as no
foreign key could cross from the portal into the authority's systems of record in a real deployment.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model

BACKOFFICE_ALIAS = "backoffice"
PORTAL_ALIAS = "default"


def alias_for_app(app_label: str) -> str:
    """The database alias that owns the app with ``app_label``."""
    module = apps.get_app_config(app_label).name
    return BACKOFFICE_ALIAS if module.split(".")[0] == "backoffice" else PORTAL_ALIAS


class SystemsOfRecordRouter:
    """Sends each model to the database of the system that owns it."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return alias_for_app(model._meta.app_label)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return alias_for_app(model._meta.app_label)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return alias_for_app(obj1._meta.app_label) == alias_for_app(obj2._meta.app_label)

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return alias_for_app(app_label) == db
