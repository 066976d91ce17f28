"""A worker's warm-up: the work of its first request done before it takes any (decision 0210).

A uvicorn worker accepts connections as soon as the ASGI application is imported. Django imports the
URLconf — and with it every view module and what they import — only when the first request is resolved,
and fills the URL reverse tables at the first ``reverse()``. On this machine that is about 2.5 s of CPU,
and under load the first request of a fresh worker took 15 s: a worker restarted after a crash answered
its first citizens late enough for them to give up (the fault suite, "a portal worker killed"). Done here,
while the worker is still starting, its share of the listening socket is served by the other workers
meanwhile.

The warm-up never fails the worker: uvicorn stops a whole instance when a worker fails to start, so an
error here is logged and the work is left to the first request, as before.
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.utils import translation

logger = structlog.get_logger(__name__)


def warm_up() -> bool:
    """Import the URLconf, fill its reverse tables and load both languages' catalogues; True when done."""
    try:
        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 - imports the URLconf and every view module it names
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                _reverse_tables_fill(resolver)
                translation.gettext("Mina sidor")  # loads the language's catalogues
    except Exception:  # a warm-up must never stop the worker; the first request does the work instead
        logger.exception("warm_up_failed")
        return False
    return True


def _reverse_tables_fill(resolver: URLResolver) -> None:
    """The reverse tables of ``resolver`` and of every namespace under it (each fills its own at its first
    ``reverse()``, per language: seen in a worker's first overview)."""
    resolver.reverse_dict  # noqa: B018 - filled on first access
    for _prefix, namespace in resolver.namespace_dict.values():
        _reverse_tables_fill(namespace)
