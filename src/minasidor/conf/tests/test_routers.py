"""Requirement: the portal and the back office each own their database; models never cross."""

import pytest
from django.db import connections

from backoffice.register.models import Person
from minasidor.audit.models import AccessRecord
from minasidor.conf.routers import SystemsOfRecordRouter


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
