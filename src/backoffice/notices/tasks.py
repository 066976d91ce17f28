"""The notices' tasks, on the back office's queue: send one notice; sweep the outbox for notices whose task was
lost (decisions 0110, 0112)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from backoffice.notices.dispatch import due, notice_send
from backoffice.notices.models import Notice
from backoffice.register.selectors import ALIAS
from kernel import clock

SWEEP_BATCH = 1000


@task(backend="backoffice")
def notice_deliver(notice_id: int) -> str:
    """Send the notice if it is due and not sent (idempotent: a second run sends nothing)."""
    return notice_send(notice_id, deliver=notice_deliver).value


@task(backend="backoffice")
def notices_sweep() -> int:
    """Enqueue a send for each due notice that has no task waiting or running; how many were enqueued.

    Due: pending with its next attempt come, or being sent under a claim whose lease has run out (its
    worker died). A notice whose task is queued or running is left to it.
    """
    candidates = list(
        Notice.objects.filter(due(clock.now())).order_by("next_attempt_at").values_list("id", "task_id")[:SWEEP_BATCH]
    )
    task_ids = [task_id for _, task_id in candidates if task_id]
    live = {
        str(result_id)
        for result_id in DBTaskResult.objects.using(ALIAS)
        .filter(id__in=task_ids, status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING))
        .values_list("id", flat=True)
    }
    enqueued = 0
    for notice_id, task_id in candidates:
        if task_id in live:
            continue
        with transaction.atomic(using=ALIAS):
            result = notice_deliver.enqueue(notice_id)
            Notice.objects.filter(id=notice_id).update(task_id=str(result.id))
        enqueued += 1
    return enqueued
