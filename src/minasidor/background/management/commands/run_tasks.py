"""``manage.py run_tasks [--backend default|backoffice]``: a worker for one system's task queue.

django-tasks-db's ``db_worker`` (all its options), run against the database that holds the backend's queue
(docs/decisions/0110). It never reloads itself: restart it after a change of code. On SIGTERM or Ctrl-C it
finishes the task in hand and exits; a worker killed mid-task leaves the task to be run again after the
lease (``MINASIDOR_TASKS_LEASE_SECONDS``) by the ``tasks.requeue_stalled`` periodic job.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task_backends
from django_tasks_db.management.commands import db_worker

from minasidor.background.backends import DatabaseBackend
from minasidor.conf.routers import tasks_database


class Command(db_worker.Command):
    help = "Run the tasks of one system's queue (the portal's: --backend default; the back office's: backoffice)"

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[options["backend_name"]]
        if not isinstance(backend, DatabaseBackend):  # pragma: no cover - db_worker's own check refuses it first
            raise TypeError("run_tasks runs only our database backends")
        options["reload"] = False
        with tasks_database(backend.database):
            super().handle(*args, **options)
