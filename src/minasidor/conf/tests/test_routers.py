"""Requirement: the portal and the back office each own their database; models never cross."""

import pytest
from django.db import connections
from django_tasks_db.models import DBTaskResult

from backoffice.register.models import Person
from minasidor.audit.models import AccessRecord
from minasidor.background.models import PeriodicSlot
from minasidor.conf.routers import SystemsOfRecordRouter, tasks_database


def test_models_route_to_their_owner() -> None:
    router = SystemsOfRecordRouter()
    assert router.db_for_read(Person) == "backoffice"
    assert router.db_for_write(Person) == "backoffice"
    assert router.db_for_write(AccessRecord) == "default"
    assert router.allow_migrate("backoffice", "register") is True
    assert router.allow_migrate("default", "register") is False
    assert router.allow_migrate("default", "audit") is True
    assert router.allow_migrate("backoffice", "sessions") is False


@pytest.mark.django_db(databases=["default", "backoffice"])
def test_tables_exist_only_in_their_owners_database() -> None:
    portal_tables = set(connections["default"].introspection.table_names())
    backoffice_tables = set(connections["backoffice"].introspection.table_names())
    assert "register_person" in backoffice_tables
    assert "register_person" not in portal_tables
    assert "audit_accessrecord" in portal_tables
    assert "audit_accessrecord" not in backoffice_tables


def test_the_task_queue_and_job_slots_live_in_both_databases() -> None:
    router = SystemsOfRecordRouter()
    for db in ("default", "backoffice"):
        assert router.allow_migrate(db, "django_tasks_database") is True
        assert router.allow_migrate(db, "background") is True
    assert router.db_for_write(DBTaskResult) == "default"
    with tasks_database("backoffice"):
        assert router.db_for_read(DBTaskResult) == "backoffice"
        assert router.db_for_write(PeriodicSlot) == "backoffice"
        loaded = PeriodicSlot()
        loaded._state.db = "default"
        assert router.db_for_write(PeriodicSlot, instance=loaded) == "default", "a row goes back where it came from"
    assert router.db_for_read(DBTaskResult) == "default"
