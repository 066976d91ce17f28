"""The portal as a WSGI application, for servers that speak only WSGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
application = get_wsgi_application()
