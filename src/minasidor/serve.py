"""Serve the portal the production way: uvicorn, ``MINASIDOR_WORKERS`` worker processes behind one port.

    python -m minasidor.serve [--host 127.0.0.1] [--port 8000] [--workers N]

Every worker is a whole portal (its own event loop, BankID client and database connections); they share
the listening socket, and uvicorn's supervisor restarts a worker that dies. They share nothing else, so
several workers need Redis (``MINASIDOR_REDIS_URL``) for sessions and the counters of the rate limits and
abuse checks: this command refuses to start them without it. uvicorn's own reading of ``X-Forwarded-For``
is switched off: the portal reads it itself, believing only ``MINASIDOR_TRUSTED_PROXY_HOPS`` proxies.
See docs/operations.md and docs/decisions/0072.
"""

from __future__ import annotations

import argparse
import os
import sys


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
    uvicorn.run(
        "minasidor.asgi:application",
        host=args.host,
        port=args.port,
        uds=args.uds,
        workers=args.workers,
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
