"""The task backend: django-tasks-db's, with its queue in the database of the system that enqueues.

``TASKS["default"]`` keeps the portal's queue in the portal's database and ``TASKS["backoffice"]`` the back
office's in the back office's (``OPTIONS["DATABASE"]``), so an outbox row and the task that delivers it are
written in one transaction (docs/decisions/0110).
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.models import DBTaskResult

from minasidor.conf.routers import tasks_database


class DatabaseBackend(LibraryDatabaseBackend):
    """django-tasks-db's backend on the database named by ``OPTIONS["DATABASE"]`` (``default`` if unset)."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.database: str = self.options.get("DATABASE", "default")

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult[Any, Any]:
        with tasks_database(self.database):
            return super()._task_to_db_task(task, args, kwargs)

    async def _atask_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult[Any, Any]:
        with tasks_database(self.database):
            return await super()._atask_to_db_task(task, args, kwargs)

    def get_result(self, result_id: str) -> TaskResult[Any, Any]:
        with tasks_database(self.database):
            return super().get_result(result_id)

    async def aget_result(self, result_id: str) -> TaskResult[Any, Any]:
        with tasks_database(self.database):
            return await super().aget_result(result_id)
