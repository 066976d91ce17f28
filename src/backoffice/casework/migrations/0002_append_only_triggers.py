"""Database triggers that refuse UPDATE and DELETE on a case's history, its signed documents, their
evidence and its messages, whatever code tries.

The models already refuse; the triggers make the rule hold for raw SQL and bugs too. SQLite and
PostgreSQL each get their own form. TRUNCATE is not refused (unlike the portal's access log): it is a
table-level statement the application never issues, which the production role is not granted, and the
test framework empties the back office's tables with it on PostgreSQL (docs/decisions/0039).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("casework_caseevent", "casework_signeddocument", "casework_signatureevidence", "casework_message")
MESSAGE = "the case history is append-only"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]


POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION casework_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;"
)


def _postgres_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION casework_refuse_change();"
    ]


def _postgres_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};"]


def trigger_statements(vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create and that drop the triggers on a database of ``vendor``."""
    if vendor == "sqlite":
        return [s for t in TABLES for s in _sqlite_create(t)], [s for t in TABLES for s in _sqlite_drop(t)]
    if vendor == "postgresql":
        create = [POSTGRES_FUNCTION, *(s for t in TABLES for s in _postgres_create(t))]
        drop = [*(s for t in TABLES for s in _postgres_drop(t)), "DROP FUNCTION IF EXISTS casework_refuse_change();"]
        return create, drop
    return [], []


def create_triggers(apps: StateApps | None, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in trigger_statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps: StateApps | None, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in trigger_statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
