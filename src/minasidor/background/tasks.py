"""The background machinery's own tasks: session clearing, stalled tasks run again, old results pruned.

Each is idempotent: running it twice, or after a worker died in the middle of it, has the effect of once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.models import DBTaskResult

from minasidor.background import sessions
from minasidor.background.backends import DatabaseBackend

logger = structlog.get_logger(__name__)

# A task claimed this many times by workers that all died with it is given up (failed), not run again.
MAX_CLAIMS = 5
WORKER_LOST = "minasidor.background.tasks.WorkerLost"


def _database(backend: str) -> str:
    configured = task_backends[backend]
    if not isinstance(configured, DatabaseBackend):
        raise TypeError(f"backend {backend!r} keeps no queue in a database")
    return configured.database


@task()
def sessions_clear() -> dict[str, Any]:
    """Delete expired sessions and the leftovers of ended ones (:mod:`minasidor.background.sessions`)."""
    return dataclasses.asdict(sessions.sessions_clear())


@task()
def tasks_requeue_stalled(backend: str) -> dict[str, int]:
    """Put back in the queue the tasks of ``backend`` whose worker died while running them.

    A task still marked running after ``TASKS_LEASE_SECONDS`` has lost its worker (every task finishes well
    within the lease: decision 0110); it is made ready again, or failed once ``MAX_CLAIMS`` workers have
    died with it. The update is conditional on the task still running, so a worker that finishes at the
    same moment wins.
    """
    database = _database(backend)
    cutoff = timezone.now() - dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    requeued = given_up = 0
    stalled = DBTaskResult.objects.using(database).filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for result_id, worker_ids in stalled.values_list("id", "worker_ids"):
        still_running = DBTaskResult.objects.using(database).filter(id=result_id, status=TaskResultStatus.RUNNING)
        with transaction.atomic(using=database):
            if len(worker_ids) >= MAX_CLAIMS:
                given_up += still_running.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path=WORKER_LOST,
                    traceback=f"Given up: {len(worker_ids)} workers died running this task.",
                )
            else:
                requeued += still_running.update(status=TaskResultStatus.READY)
    if requeued or given_up:
        logger.warning("tasks.requeued_stalled", backend=backend, requeued=requeued, given_up=given_up)
    return {"requeued": requeued, "given_up": given_up}


@task()
def task_results_prune(backend: str, successful_days: int = 7, failed_days: int = 30) -> int:
    """Delete the finished task results of ``backend`` older than the given days (failed ones kept longer)."""
    database = _database(backend)
    now = timezone.now()
    results = DBTaskResult.objects.using(database)
    successful, _ = results.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - dt.timedelta(days=successful_days)
    ).delete()
    failed, _ = results.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - dt.timedelta(days=failed_days)
    ).delete()
    return successful + failed
