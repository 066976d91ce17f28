"""``python -m backoffice.api [--host H] [--port P]``: serve the internal API (development; WSGI reference server).

In production run ``backoffice.api.handler.InternalApiHandler`` under a real WSGI server behind TLS.
"""

from __future__ import annotations

import argparse
import os
from wsgiref.simple_server import make_server

import django


def main() -> None:
    """Serve the internal API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
    django.setup()
    from django.conf import settings  # noqa: PLC0415 - after django.setup()

    from backoffice.api.handler import application  # noqa: PLC0415
    from kernel import tracing  # noqa: PLC0415

    tracing.configure(service_name="minasidor-backoffice-api", exporter=settings.TRACING_EXPORTER)

    with make_server(options.host, options.port, application()) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
