"""Requirement: every read or change of a person's data is logged append-only, in its transaction, without a number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from kernel.clock import FrozenClock
from minasidor.audit.models import AccessRecord, AppendOnlyError
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.audit.selectors import access_records_for_subject
from minasidor.audit.services import access_record_create
from minasidor.audit.types import ACCESS_LOG_VIEWED, Action, Principal, PrincipalKind, Purpose

pytestmark = pytest.mark.django_db

SUBJECT = "se:191212121212"
OTHER_SUBJECT = "se:196201082697"
VIEWED_FOR_TEST = Action("test_overview.viewed", "Viewed the overview (test)")


def _record(subject_key: str = SUBJECT) -> AccessRecord:
    return access_record_create(
        principal=citizen_principal(subject_key),
        subject_key=subject_key,
        action=VIEWED_FOR_TEST,
        purpose=Purpose.SELF_SERVICE,
    )


def test_a_record_says_when_who_whom_what_and_why(frozen_clock: FrozenClock) -> None:
    record = _record()
    stored = AccessRecord.objects.get(pk=record.pk)
    assert stored.occurred_at == dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert stored.principal_kind == PrincipalKind.CITIZEN
    assert stored.subject_ref == pseudonym_for(SUBJECT)
    assert stored.action == "test_overview.viewed"
    assert stored.purpose == Purpose.SELF_SERVICE
    assert stored.request_id == "-"


def test_no_personal_number_is_stored() -> None:
    record = _record()
    row = AccessRecord.objects.filter(pk=record.pk).values().get()
    assert not any("191212121212" in str(value) for value in row.values())


def test_pseudonyms_differ_per_person_and_depend_on_the_key(settings: pytest.FixtureRequest) -> None:
    first = pseudonym_for(SUBJECT)
    assert first != pseudonym_for(OTHER_SUBJECT)
    settings.AUDIT_PSEUDONYM_KEY = "another-test-key"  # type: ignore[attr-defined]
    assert pseudonym_for(SUBJECT) != first


def test_the_application_cannot_change_or_delete_a_record() -> None:
    record = _record()
    record.action = "something.else"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.filter(pk=record.pk).update(action="something.else")
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.all().delete()


def test_the_database_refuses_changes_that_bypass_the_model() -> None:
    record = _record()
    table = AccessRecord._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'x.y' WHERE id = %s",  # noqa: S608 - the table name is the model's own
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608 - the table name is the model's own
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [record.pk])
    assert AccessRecord.objects.get(pk=record.pk).action == "test_overview.viewed"


def test_a_failed_change_leaves_no_record() -> None:
    class ChangeFailedError(Exception):
        pass

    def change_that_fails() -> None:
        with transaction.atomic():
            _record()
            raise ChangeFailedError

    with pytest.raises(ChangeFailedError):
        change_that_fails()
    assert AccessRecord.objects.count() == 0


def test_a_citizen_reads_their_own_log_and_the_reading_is_recorded() -> None:
    _record()
    _record(OTHER_SUBJECT)
    records = access_records_for_subject(principal=citizen_principal(SUBJECT), subject_key=SUBJECT)
    assert [record.action for record in records] == ["test_overview.viewed"]
    newest = AccessRecord.objects.filter(subject_ref=pseudonym_for(SUBJECT)).first()
    assert newest is not None
    assert newest.action == ACCESS_LOG_VIEWED.name


def test_nobody_else_reads_a_citizens_log_here() -> None:
    _record()
    with pytest.raises(PermissionDenied):
        access_records_for_subject(principal=citizen_principal(OTHER_SUBJECT), subject_key=SUBJECT)
    agent = Principal(kind=PrincipalKind.AGENT, ref="agent-1")
    with pytest.raises(PermissionDenied):
        access_records_for_subject(principal=agent, subject_key=SUBJECT)


def test_actions_are_named_and_unique() -> None:
    with pytest.raises(ValueError, match=r"area\.verb"):
        Action("NotAName", "x")
    with pytest.raises(ValueError, match="declared twice"):
        Action(VIEWED_FOR_TEST.name, "again")


def _view_that_reads(request: HttpRequest) -> HttpResponse:
    _record()
    return HttpResponse("ok")


urlpatterns = [path("read/", _view_that_reads)]


@pytest.mark.urls(__name__)
def test_the_request_id_links_the_record_to_the_request(client: Client) -> None:
    response = client.get("/read/", headers={"X-Request-ID": "proxy-id-12345"})
    assert response["X-Request-ID"] == "proxy-id-12345"
    assert AccessRecord.objects.get().request_id == "proxy-id-12345"
    client.get("/read/", headers={"X-Request-ID": "bad id with spaces"})
    generated = AccessRecord.objects.exclude(request_id="proxy-id-12345").get().request_id
    assert len(generated) == 32
