"""The portal as an ASGI application (served by uvicorn: ``python -m minasidor.serve``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
django.setup(set_prefix=False)

from minasidor.core.handler import PortalASGIHandler  # noqa: E402 - after Django is set up
from minasidor.core.warmup import warm_up  # noqa: E402
from minasidor.operations import tracing  # noqa: E402

tracing.configure(service_name="minasidor-portal")  # before the handler loads the middleware; off by default

application = PortalASGIHandler()

warm_up()  # before the worker takes its first request (decision 0210)
