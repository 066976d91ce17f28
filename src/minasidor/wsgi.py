"""The portal as a WSGI application, for servers that speak only WSGI."""

import os

import django
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
django.setup(set_prefix=False)

from minasidor.operations import tracing  # noqa: E402 - after Django is set up

tracing.configure(service_name="minasidor-portal")  # before the handler loads the middleware; off by default
application = WSGIHandler()
