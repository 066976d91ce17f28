"""Requirement: background tasks (decision 0110) — each system's queue is in its own database and enqueued atomically
with that system's writes; a worker runs its backend's queue; a task whose worker is killed mid-run runs again and,
being idempotent, takes effect once; a task that keeps killing its workers is given up."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from minasidor.background.models import PeriodicSlot
from minasidor.background.tasks import MAX_CLAIMS, WORKER_LOST, task_results_prune, tasks_requeue_stalled
from minasidor.background.tests import sample_tasks
from minasidor.background.tests.scratch import finish, python, scratch_environment, worker

DATABASES = ["default", "backoffice"]


def _back_office_write() -> None:
    """Some row written on the back office's database (the portal's code may not import its models)."""
    PeriodicSlot.objects.using("backoffice").create(job="a write", slot=timezone.now(), enqueued_at=timezone.now())


@pytest.mark.django_db(databases=DATABASES)
def test_a_back_office_task_is_enqueued_in_the_back_office_transaction() -> None:
    answer = sample_tasks.answer.using(backend="backoffice")

    @transaction.atomic(using="backoffice")
    def write_enqueue_and_fail() -> None:
        _back_office_write()
        answer.enqueue(21)
        raise RuntimeError("the back office's write fails")

    with pytest.raises(RuntimeError):
        write_enqueue_and_fail()
    assert DBTaskResult.objects.using("backoffice").count() == 0, "the task went with the write"
    assert PeriodicSlot.objects.using("backoffice").count() == 0
    with transaction.atomic(using="backoffice"):
        _back_office_write()
        result = answer.enqueue(21)
    stored = DBTaskResult.objects.using("backoffice").get()
    assert str(stored.id) == result.id
    assert DBTaskResult.objects.using("default").count() == 0
    assert task_backends["backoffice"].get_result(result.id).status == TaskResultStatus.READY


@pytest.mark.django_db(databases=DATABASES, transaction=True)  # a worker closes stale connections
@pytest.mark.usefixtures("flushable_access_log")
def test_each_worker_runs_its_own_systems_queue() -> None:
    portal = sample_tasks.answer.enqueue(1)
    backoffice = sample_tasks.answer.using(backend="backoffice").enqueue(2)
    call_command("run_tasks", "--backend", "backoffice", "--batch", "--no-startup-delay", verbosity=0)
    assert task_backends["backoffice"].get_result(backoffice.id).return_value == 4
    assert task_backends["default"].get_result(portal.id).status == TaskResultStatus.READY, "not the portal's"
    call_command("run_tasks", "--batch", "--no-startup-delay", verbosity=0)
    assert task_backends["default"].get_result(portal.id).return_value == 2


def _running(started_ago: dt.timedelta, workers: int, database: str = "default") -> DBTaskResult[Any, Any]:
    result = sample_tasks.noop.using(backend="backoffice" if database == "backoffice" else "default").enqueue()
    row = DBTaskResult.objects.using(database).get(id=result.id)
    row.status = TaskResultStatus.RUNNING
    row.started_at = timezone.now() - started_ago
    row.worker_ids = [f"worker-{n}" for n in range(workers)]
    row.save(using=database)
    return row


@pytest.mark.django_db(databases=DATABASES)
def test_a_task_running_past_the_lease_is_made_ready_again(settings: Settings) -> None:
    settings.TASKS_LEASE_SECONDS = 600
    stalled = _running(dt.timedelta(seconds=601), workers=1, database="backoffice")
    alive = _running(dt.timedelta(seconds=599), workers=1, database="backoffice")
    portal = _running(dt.timedelta(hours=1), workers=1)
    assert tasks_requeue_stalled.call(backend="backoffice") == {"requeued": 1, "given_up": 0}
    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert stalled.status == TaskResultStatus.READY
    assert alive.status == TaskResultStatus.RUNNING, "a worker within its lease keeps its task"
    portal.refresh_from_db()
    assert portal.status == TaskResultStatus.RUNNING, "the portal's queue is its own job's business"


@pytest.mark.django_db(databases=DATABASES)
def test_a_task_that_killed_its_workers_too_often_is_given_up() -> None:
    doomed = _running(dt.timedelta(hours=1), workers=MAX_CLAIMS)
    assert tasks_requeue_stalled.call(backend="default") == {"requeued": 0, "given_up": 1}
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == WORKER_LOST


@pytest.mark.django_db(databases=DATABASES)
def test_old_finished_results_are_pruned_failed_ones_kept_longer() -> None:
    now = timezone.now()
    for status, age in [
        (TaskResultStatus.SUCCESSFUL, 8),
        (TaskResultStatus.SUCCESSFUL, 6),
        (TaskResultStatus.FAILED, 8),
        (TaskResultStatus.FAILED, 31),
    ]:
        row = DBTaskResult.objects.get(id=sample_tasks.noop.enqueue().id)
        row.status, row.finished_at = status, now - dt.timedelta(days=age)
        row.save()
    sample_tasks.noop.enqueue()
    assert task_results_prune.call(backend="default") == 2
    assert DBTaskResult.objects.count() == 3


ENQUEUE = """
import sys
from minasidor.background.tests.sample_tasks import run_recorded_then_effect_once
print(run_recorded_then_effect_once.enqueue(sys.argv[1]).id)
"""
STATUS = """
import sys
from django_tasks import task_backends
result = task_backends["default"].get_result(sys.argv[1])
print(result.status, result.return_value if result.status == "SUCCESSFUL" else "")
"""
REQUEUE = """
from minasidor.background.models import PeriodicSlot
from minasidor.background.tasks import tasks_requeue_stalled
print(tasks_requeue_stalled.call(backend="default")["requeued"])
"""


@pytest.mark.slow
@pytest.mark.django_db(databases=DATABASES)
def test_a_task_whose_worker_is_killed_mid_run_runs_again_and_takes_effect_once(tmp_path: Path) -> None:
    folder = tmp_path / "task"
    folder.mkdir()
    (folder / "block").touch()
    with scratch_environment(tmp_path) as environment:
        task_id = finish(python(environment, ENQUEUE, str(folder))).strip()
        first = worker(environment, "--interval", "0.1")
        deadline = time.monotonic() + 60
        while not (folder / "runs").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (folder / "runs").exists(), "the worker never started the task"
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=10)
        assert finish(python(environment, STATUS, task_id)).split() == ["RUNNING"], "left running by the dead worker"
        (folder / "block").unlink()
        lease_over = {**environment, "MINASIDOR_TASKS_LEASE_SECONDS": "0"}
        assert finish(python(lease_over, REQUEUE)).strip() == "1"
        finish(worker(environment, "--batch"), timeout=120)
        assert finish(python(environment, STATUS, task_id)).split() == ["SUCCESSFUL", "done"]
    assert len((folder / "runs").read_text().splitlines()) == 2, "run twice: once killed, once to the end"
    assert (folder / "effect").read_text() == "done once\n"
