"""``python -m backoffice.api [--host H] [--port P] [--threads N]``: serve the internal API with gunicorn.

One gunicorn worker process with a pool of threads (``gthread``): HTTP/1.1 with keep-alive, so the portal's
pooled client reuses its connections; several calls at once (the portal's instances call in parallel, and a
call waiting on the database does not hold up the others); the worker restarted by gunicorn's arbiter when it
dies, and a call that hangs longer than ``--timeout`` ends the worker rather than the service. One process, so
the API's Prometheus metrics at ``/internal/metrics`` are that process's own; run more of them behind the
portal's address for more cores, each scraped on its own (docs/decisions/0260). Python's reference WSGI server
served it before: one call at a time, HTTP/1.0, a new connection per call, and not meant for production.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import django
from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]  # no type hints


class InternalApiServer(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn serving the internal API's WSGI application, configured from the command line only."""

    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.conf import settings  # noqa: PLC0415 - after django.setup()

        from backoffice.api.handler import application  # noqa: PLC0415
        from kernel import tracing  # noqa: PLC0415

        # In the worker, after the fork: the span exporter's thread does not survive a fork.
        tracing.configure(service_name="minasidor-backoffice-api", exporter=settings.TRACING_EXPORTER)
        return application()


def options_from(argv: list[str] | None = None) -> dict[str, Any]:
    """gunicorn's settings from the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("MINASIDOR_BACKOFFICE_THREADS", "8")))
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a hung call ends its worker")
    arguments = parser.parse_args(argv)
    return {
        "bind": f"{arguments.host}:{arguments.port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": arguments.threads,
        "timeout": arguments.timeout,
        "graceful_timeout": 10,
        "keepalive": 30,
        "accesslog": None,  # every call is logged by the handler, with the caller's request id
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "minasidor-backoffice-api",
    }


def main(argv: list[str] | None = None) -> None:
    """Serve the internal API until stopped (SIGTERM: finish the calls in flight, then exit)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
    django.setup()
    InternalApiServer(options_from(argv)).run()


if __name__ == "__main__":
    main()
