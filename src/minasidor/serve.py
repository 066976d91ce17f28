"""Serve the portal the production way: uvicorn, ``MINASIDOR_WORKERS`` worker processes behind one port.

    python -m minasidor.serve [--host 127.0.0.1] [--port 8000] [--workers N]

Every worker is a whole portal (its own event loop, BankID client and database connections); they share
the listening socket, and uvicorn's supervisor restarts a worker that dies. They share nothing else, so
several workers need Redis (``MINASIDOR_REDIS_URL``) for sessions and the counters of the rate limits and
abuse checks: this command refuses to start them without it. The workers add up their Prometheus metrics
through files in ``PROMETHEUS_MULTIPROC_DIR`` (one directory per instance, emptied at start). uvicorn's own
reading of ``X-Forwarded-For`` is switched off: the portal reads it itself, believing only
``MINASIDOR_TRUSTED_PROXY_HOPS`` proxies.
See docs/operations.md and docs/decisions/0072.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def metrics_dir_prepare(listener: object, var_dir: Path) -> Path:
    """Where the workers write their metrics for one another (prometheus-client's multiprocess mode): the
    directory in ``PROMETHEUS_MULTIPROC_DIR`` if set (the systemd unit sets one), else one per listener under
    ``var/run/``; emptied of an earlier run's files, and set in the environment the workers inherit."""
    directory = Path(os.environ.get(METRICS_DIR_VARIABLE) or var_dir / "run" / f"metrics-{listener}")
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.db"):
        leftover.unlink()
    os.environ[METRICS_DIR_VARIABLE] = str(directory)
    return directory


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
    import uvicorn  # noqa: PLC0415 - only for this command
    from django.conf import settings  # noqa: PLC0415 - after the settings module is chosen

    parser = argparse.ArgumentParser(prog="python -m minasidor.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--uds", help="listen on this Unix socket instead (for a reverse proxy on this machine)")
    parser.add_argument("--workers", type=int, default=settings.SERVER_WORKERS, help="default MINASIDOR_WORKERS")
    parser.add_argument("--access-log", action="store_true", help="also write uvicorn's access log")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.workers > 1 and not settings.REDIS_URL:
        sys.stderr.write(
            "Refusing to start several workers without MINASIDOR_REDIS_URL: each would keep its own cache "
            "(the counters of the rate limits and abuse checks).\n"
        )
        return 2
    if args.workers > 1:
        metrics_dir_prepare(args.port if args.uds is None else Path(args.uds).name, settings.VAR_DIR)
    uvicorn.run(
        "minasidor.asgi:application",
        host=args.host,
        port=args.port,
        uds=args.uds,
        workers=args.workers,
        # Named, not "auto": on asyncio's own loop a socket shared by several workers keeps Nagle's algorithm on
        # and every kept-alive answer waits ~40 ms for the client's delayed ACK (uvicorn #3149, decision 0240);
        # uvloop turns it off. A missing uvloop fails the start instead of slowing every answer.
        loop="uvloop",
        http="httptools",
        proxy_headers=False,
        server_header=False,
        lifespan="off",  # Django's ASGI handler has no start-up or shut-down events
        access_log=args.access_log,
        log_level=settings.LOG_LEVEL.lower(),
        timeout_graceful_shutdown=30,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
