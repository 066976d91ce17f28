"""The metrics as Prometheus reads them: every worker's counters added up, and the task queue read now.

Under ``python -m minasidor.serve`` each worker writes its metrics to files in ``PROMETHEUS_MULTIPROC_DIR``;
whichever worker answers the scrape adds them all up (prometheus-client's multiprocess collector), so one
scrape of an instance sees all its workers. The portal's task queue (depth, age of the oldest ready task,
running and failed tasks) is read from the database at each scrape, as is the scheduler's view of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import structlog
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from minasidor.conf.routers import tasks_database

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
logger = structlog.get_logger(__name__)


class TaskQueueCollector(Collector):
    """The task queue of one database, read when scraped."""

    def __init__(self, database: str) -> None:
        self.database = database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        labels = ["database"]
        try:
            with tasks_database(self.database):
                tasks = DBTaskResult.objects.using(self.database)
                ready = tasks.ready()
                depth = ready.count()
                oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
                running = tasks.filter(status=TaskResultStatus.RUNNING).count()
                failed = tasks.filter(status=TaskResultStatus.FAILED).count()
        except DatabaseError as error:
            # The database away: the other metrics are still worth reading; readiness says what is wrong.
            logger.warning("metrics.task_queue_unreadable", database=self.database, error=type(error).__name__)
            yield _gauge("minasidor_tasks_readable", "1 when the task queue could be read.", labels, self.database, 0)
            return
        yield _gauge("minasidor_tasks_readable", "1 when the task queue could be read.", labels, self.database, 1)
        yield _gauge(
            "minasidor_tasks_ready", "Tasks ready to run now (the queue's depth).", labels, self.database, depth
        )
        age = (now - oldest).total_seconds() if oldest is not None else 0.0
        yield _gauge(
            "minasidor_tasks_oldest_ready_age_seconds",
            "Age of the oldest task ready to run (0 when none is waiting).",
            labels,
            self.database,
            max(age, 0.0),
        )
        yield _gauge(
            "minasidor_tasks_running", "Tasks a worker has taken and not finished.", labels, self.database, running
        )
        yield _gauge("minasidor_tasks_failed", "Tasks that failed (kept 30 days).", labels, self.database, failed)


def _gauge(name: str, doc: str, labels: list[str], value_label: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    family.add_metric([value_label], value)
    return family


def latest(*collectors: Collector) -> bytes:
    """The text exposition of the process's (or all workers') metrics and of ``collectors``, read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    now = CollectorRegistry()
    for collector in collectors:
        now.register(collector)
    return counted + generate_latest(now)
