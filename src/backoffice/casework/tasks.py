"""Casework's periodic task, on the back office's queue: the reminders (decisions 0111, 0112)."""

from __future__ import annotations

from django_tasks import task

from backoffice.casework.services import cases_reminders_send


@task(backend="backoffice")
def cases_reminders() -> int:
    """Notices for late decisions and completions soon due (each once); how many were enqueued."""
    return cases_reminders_send()
