"""``manage.py run_periodic [--interval SECONDS] [--once]``: the scheduler of periodic jobs.

At start it enqueues the jobs marked ``at_start``; then, every ``--interval`` seconds, each job of
``settings.PERIODIC_JOBS`` whose current slot is still free (decision 0111). Several schedulers may run at
once: a slot is taken once. It enqueues only; the workers (``run_tasks``) run the tasks. SIGTERM or Ctrl-C
stops it between ticks. A tick that fails (a database away) is logged and the next one tries again.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

import structlog
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from minasidor.background.scheduler import due_jobs_enqueue, periodic_jobs, slots_prune, start_jobs_enqueue

logger = structlog.get_logger(__name__)

PRUNE_EVERY_TICKS = 360


class Command(BaseCommand):
    help = "Enqueue the periodic jobs when they are due (one scheduler or several)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between ticks (default 10)")
        parser.add_argument("--once", action="store_true", help="enqueue the start-up and due jobs once, then exit")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        jobs = periodic_jobs()
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if not once:
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
        logger.info("periodic.started", jobs=[job.name for job in jobs], interval=interval)
        start_jobs_enqueue(jobs)
        ticks = 0
        while True:
            close_old_connections()
            due_jobs_enqueue(jobs)
            if ticks % PRUNE_EVERY_TICKS == 0:
                try:
                    slots_prune(jobs)
                except Exception:
                    logger.exception("periodic.prune_failed")
            ticks += 1
            if once or stop.wait(interval):
                break
        close_old_connections()
        logger.info("periodic.stopped")
