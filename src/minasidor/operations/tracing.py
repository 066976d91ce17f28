"""The portal's traces: kernel.tracing with Django's instrumentation (a span per request), when switched on.

``MINASIDOR_TRACING_EXPORTER`` chooses the exporter; empty (the default) leaves tracing off. Django's
instrumentation adds its middleware at the head of the chain, so it must be applied before the first
request handler is made (here, when the app is ready).
"""

from __future__ import annotations

from django.conf import settings

from kernel import tracing


def configure(*, service_name: str) -> bool:
    """Switch tracing on for this process if configured; whether it was."""
    if not tracing.configure(service_name=service_name, exporter=settings.TRACING_EXPORTER):
        return False
    from opentelemetry.instrumentation.django import DjangoInstrumentor  # noqa: PLC0415 - only when on

    DjangoInstrumentor().instrument(is_sql_commentor_enabled=False)
    return True
