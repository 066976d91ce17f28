"""The portal as an ASGI application (served by uvicorn: ``python -m minasidor.serve``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
django.setup(set_prefix=False)

from minasidor.core.handler import PortalASGIHandler  # noqa: E402 - after Django is set up

application = PortalASGIHandler()
