"""Requirement: periodic jobs (decision 0111) — a due job is enqueued once per slot, on its own system's queue, even
with several schedulers at once; a failed enqueue leaves the slot free; start-up jobs run at start too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from kernel.clock import FrozenClock
from minasidor.background.models import PeriodicSlot
from minasidor.background.scheduler import (
    PeriodicJob,
    due_jobs_enqueue,
    periodic_jobs,
    slots_prune,
    start_jobs_enqueue,
)
from minasidor.background.tests import sample_tasks
from minasidor.background.tests.scratch import finish, go, python, ready, scratch_environment

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

NOOP = "minasidor.background.tests.sample_tasks.noop"
MINUTE = dt.timedelta(minutes=1)


def _job(name: str = "test.noop", **overrides: Any) -> PeriodicJob:
    values: dict[str, Any] = {"name": name, "task": NOOP, "every": MINUTE}
    values.update(overrides)
    return PeriodicJob(**values)


def _queued(database: str = "default") -> list[str]:
    return list(DBTaskResult.objects.using(database).values_list("task_path", flat=True))


def test_slots_are_the_intervals_counted_from_the_epoch() -> None:
    job = _job(every=dt.timedelta(hours=1))
    instant = dt.datetime(2026, 11, 28, 12, 59, 59, tzinfo=dt.UTC)
    assert job.slot(instant) == dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert job.slot(instant + dt.timedelta(seconds=1)) == dt.datetime(2026, 11, 28, 13, 0, tzinfo=dt.UTC)
    five = _job(every=dt.timedelta(minutes=5))
    assert five.slot(dt.datetime(2026, 11, 28, 12, 7, tzinfo=dt.UTC)).minute == 5


def test_a_due_job_is_enqueued_once_per_slot(frozen_clock: FrozenClock) -> None:
    jobs = [_job()]
    assert due_jobs_enqueue(jobs) == ["test.noop"]
    frozen_clock.advance(dt.timedelta(seconds=59))
    assert due_jobs_enqueue(jobs) == [], "the same slot is not enqueued twice"
    assert _queued() == [NOOP]
    frozen_clock.advance(dt.timedelta(seconds=1))
    assert due_jobs_enqueue(jobs) == ["test.noop"]
    assert _queued() == [NOOP, NOOP]
    slot = PeriodicSlot.objects.get(job="test.noop", slot=frozen_clock())
    assert DBTaskResult.objects.filter(id=slot.task_id).exists(), "the slot names the task it enqueued"


def test_a_back_office_job_is_queued_and_slotted_in_the_back_office_database(frozen_clock: FrozenClock) -> None:
    due_jobs_enqueue([_job(backend="backoffice")])
    assert _queued("backoffice") == [NOOP]
    assert _queued("default") == []
    assert PeriodicSlot.objects.using("backoffice").count() == 1
    assert PeriodicSlot.objects.using("default").count() == 0


def test_a_failed_enqueue_leaves_the_slot_free(frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = [_job(), _job("test.other")]

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the queue's database is away")

    with monkeypatch.context() as patch:
        patch.setattr(type(sample_tasks.noop), "enqueue", refuse)
        assert due_jobs_enqueue(jobs) == []
    assert PeriodicSlot.objects.count() == 0
    assert due_jobs_enqueue(jobs) == ["test.noop", "test.other"], "the next tick enqueues them"


def test_start_up_jobs_run_at_start_even_when_their_slot_has_run(frozen_clock: FrozenClock) -> None:
    jobs = [_job("test.at-start", at_start=True), _job("test.plain")]
    assert start_jobs_enqueue(jobs) == ["test.at-start"]
    assert due_jobs_enqueue(jobs) == ["test.plain"], "the start-up run took the current slot"
    assert start_jobs_enqueue(jobs) == ["test.at-start"], "a scheduler restarted in the same slot runs it again"
    assert _queued() == [NOOP, NOOP, NOOP]


def test_old_slots_are_pruned(frozen_clock: FrozenClock) -> None:
    jobs = [_job()]
    due_jobs_enqueue(jobs)
    frozen_clock.advance(dt.timedelta(days=7, minutes=1))
    due_jobs_enqueue(jobs)
    assert slots_prune(jobs) == 1
    assert PeriodicSlot.objects.count() == 1


def test_the_job_table_is_checked() -> None:
    assert {job.name for job in periodic_jobs()} >= {"sessions.clear", "tasks.requeue_stalled.backoffice"}
    row = {"name": "twice", "task": NOOP, "every_seconds": 60}
    with pytest.raises(ValueError, match="unique"):
        periodic_jobs([row, row])
    with pytest.raises(TypeError, match="not a task"):
        periodic_jobs([{**row, "task": "minasidor.background.tests.sample_tasks.BLOCK_SECONDS_AT_MOST"}])
    with pytest.raises(ValueError, match="at least one second"):
        periodic_jobs([{**row, "every_seconds": 0}])


@pytest.mark.django_db(databases=["default", "backoffice"], transaction=True)  # it closes stale connections
@pytest.mark.usefixtures("flushable_access_log")
def test_the_scheduler_command_enqueues_the_start_and_due_jobs(settings: Settings) -> None:
    settings.PERIODIC_JOBS = [
        {"name": "test.noop", "task": NOOP, "every_seconds": 3600, "at_start": True},
        {"name": "test.back-office", "task": NOOP, "every_seconds": 3600, "backend": "backoffice"},
    ]
    call_command("run_periodic", "--once")
    assert _queued("default") == [NOOP]
    assert _queued("backoffice") == [NOOP]


RACE = """
import datetime as dt, sys
from minasidor.background.scheduler import PeriodicJob, job_enqueue_if_due
job = PeriodicJob(name="test.race", task="minasidor.background.tests.sample_tasks.noop",
                  every=dt.timedelta(minutes=1), backend=sys.argv[2])
base = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
job.bound_task(); job.database()
print("ready", flush=True)
sys.stdin.readline()
taken = sum(job_enqueue_if_due(job, now=base + i * job.every) for i in range(int(sys.argv[1])))
print(taken)
"""


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["default", "backoffice"])
def test_two_schedulers_at_once_enqueue_each_slot_once(tmp_path: Path, backend: str) -> None:
    slots = 30
    with scratch_environment(tmp_path) as environment:
        schedulers = [python(environment, RACE, str(slots), backend) for _ in range(2)]
        for scheduler in schedulers:
            ready(scheduler)
        for scheduler in schedulers:
            go(scheduler)
        taken = [int(finish(process)) for process in schedulers]
        counted = python(
            environment,
            "from django_tasks_db.models import DBTaskResult\n"
            "from minasidor.background.models import PeriodicSlot\n"
            f"print(DBTaskResult.objects.using({backend!r}).count(), PeriodicSlot.objects.using({backend!r}).count(),"
            f" PeriodicSlot.objects.using({backend!r}).values('slot').distinct().count())",
        )
        tasks, rows, distinct = (int(n) for n in finish(counted).split())
    assert sum(taken) == slots, f"the two schedulers took {taken} slots"
    assert (tasks, rows, distinct) == (slots, slots, slots)
