"""The slots of the periodic jobs: one row per job and interval, in the database of the job's queue."""

from __future__ import annotations

from django.db import models


class PeriodicSlot(models.Model):
    """That job ``job`` was enqueued for the interval starting at ``slot``; unique, so at most once.

    The row is written in the same transaction as the task it enqueues (the queue is in the same database),
    so a slot is taken exactly when its task is queued, however many schedulers run (decision 0111).
    """

    job = models.CharField(max_length=64)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("job", "slot"), name="background_job_once_per_slot"),)
        indexes = (models.Index(fields=("slot",), name="background_slot_idx"),)

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot.isoformat()}"
