"""Tasks for the background machinery's tests only: importable by path, as a worker process needs them."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

BLOCK_SECONDS_AT_MOST = 60


@task()
def noop() -> None:
    """Do nothing (the scheduler's tests count how often it is enqueued)."""


@task()
def answer(value: int) -> int:
    """Return ``value`` doubled."""
    return value * 2


@task()
def run_recorded_then_effect_once(directory: str) -> str:
    """Note the run, wait while ``block`` exists (a test kills the worker then), then take effect once.

    The effect is idempotent: the file ``effect`` is created exclusively, so a run after a run that got
    that far changes nothing.
    """
    folder = Path(directory)
    with (folder / "runs").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + BLOCK_SECONDS_AT_MOST
    while (folder / "block").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        descriptor = os.open(folder / "effect", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return "already done"
    os.write(descriptor, b"done once\n")
    os.close(descriptor)
    return "done"
