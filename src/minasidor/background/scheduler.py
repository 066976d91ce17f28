"""Periodic jobs: a table of named jobs with intervals, and the enqueueing of those that are due.

Django's tasks framework has no scheduler. Ours divides time into slots of each job's interval (counted
from the Unix epoch, so every scheduler agrees on them) and enqueues a job's task once per slot: the slot
is claimed by inserting a unique ``(job, slot)`` row in the same transaction, and on the same database, as
the task itself. A second scheduler finds the row and enqueues nothing; a failed enqueue leaves the slot
free for the next tick. Jobs marked ``at_start`` are also enqueued when the scheduler starts
(docs/decisions/0111).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import Task

from kernel import clock
from minasidor.background.backends import DatabaseBackend
from minasidor.background.models import PeriodicSlot

logger = structlog.get_logger(__name__)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SLOTS_KEPT = dt.timedelta(days=7)


@dataclasses.dataclass(frozen=True, slots=True)
class PeriodicJob:
    """A named job: the task it enqueues (dotted path), on which backend, how often, with which arguments."""

    name: str
    task: str
    every: dt.timedelta
    backend: str = "default"
    kwargs: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    at_start: bool = False

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 64:
            raise ValueError("a periodic job needs a name of at most 64 characters")
        if self.every < dt.timedelta(seconds=1):
            raise ValueError(f"{self.name}: the interval must be at least one second")

    def slot(self, instant: dt.datetime) -> dt.datetime:
        """The start of the interval ``instant`` falls in."""
        return EPOCH + ((instant - EPOCH) // self.every) * self.every

    def bound_task(self) -> Task[Any, Any]:
        """The task, on the job's backend."""
        task = import_string(self.task)
        if not isinstance(task, Task):
            raise TypeError(f"{self.name}: {self.task} is not a task")
        return task.using(backend=self.backend)

    def database(self) -> str:
        """The database of the job's queue (and of its slots)."""
        backend = task_backends[self.backend]
        if not isinstance(backend, DatabaseBackend):
            raise TypeError(f"{self.name}: backend {self.backend!r} keeps no queue in a database")
        return backend.database


def periodic_jobs(table: Iterable[Mapping[str, Any]] | None = None) -> tuple[PeriodicJob, ...]:
    """The jobs of ``settings.PERIODIC_JOBS`` (or of ``table``), checked: names unique, tasks importable."""
    rows = settings.PERIODIC_JOBS if table is None else table
    jobs = tuple(
        PeriodicJob(
            name=row["name"],
            task=row["task"],
            every=dt.timedelta(seconds=row["every_seconds"]),
            backend=row.get("backend", "default"),
            kwargs=dict(row.get("kwargs", {})),
            at_start=bool(row.get("at_start", False)),
        )
        for row in rows
    )
    names = [job.name for job in jobs]
    if len(set(names)) != len(names):
        raise ValueError("periodic job names must be unique")
    for job in jobs:
        job.bound_task()
        job.database()
    return jobs


def _enqueue(job: PeriodicJob) -> str:
    result = job.bound_task().enqueue(**job.kwargs)
    return str(result.id)


def job_enqueue_if_due(job: PeriodicJob, *, now: dt.datetime) -> bool:
    """Enqueue ``job`` for the slot ``now`` falls in unless that slot is taken; True when this call took it."""
    database = job.database()
    slot = job.slot(now)
    with transaction.atomic(using=database):
        try:
            with transaction.atomic(using=database):
                row = PeriodicSlot.objects.using(database).create(job=job.name, slot=slot, enqueued_at=now)
        except IntegrityError:
            return False
        row.task_id = _enqueue(job)
        row.save(using=database, update_fields=["task_id"])
    logger.info("periodic.enqueued", job=job.name, slot=slot.isoformat())
    return True


def due_jobs_enqueue(jobs: Iterable[PeriodicJob], *, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot is free; the names of those enqueued.

    One job failing to enqueue (its database down) is logged and does not keep the others from theirs.
    """
    instant = now or clock.now()
    enqueued = []
    for job in jobs:
        try:
            if job_enqueue_if_due(job, now=instant):
                enqueued.append(job.name)
        except Exception:
            logger.exception("periodic.enqueue_failed", job=job.name)
    return enqueued


def start_jobs_enqueue(jobs: Iterable[PeriodicJob], *, now: dt.datetime | None = None) -> list[str]:
    """Enqueue the ``at_start`` jobs once now: in their current slot if free, otherwise beside it."""
    instant = now or clock.now()
    enqueued = []
    for job in jobs:
        if not job.at_start:
            continue
        try:
            if not job_enqueue_if_due(job, now=instant):
                _enqueue(job)
            enqueued.append(job.name)
        except Exception:
            logger.exception("periodic.enqueue_failed", job=job.name)
    return enqueued


def slots_prune(jobs: Iterable[PeriodicJob], *, now: dt.datetime | None = None) -> int:
    """Delete the slots older than a week from every database the jobs use; how many were deleted."""
    cutoff = (now or clock.now()) - SLOTS_KEPT
    deleted = 0
    for database in sorted({job.database() for job in jobs}):
        count, _ = PeriodicSlot.objects.using(database).filter(slot__lt=cutoff).delete()
        deleted += count
    return deleted
