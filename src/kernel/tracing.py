"""OpenTelemetry tracing for our services: off unless an exporter is chosen, and the same way in each service.

``configure(service_name=..., exporter=...)`` sets the process's tracer provider with one exporter:
``otlp`` (OTLP over HTTP; the endpoint and headers from the standard ``OTEL_EXPORTER_OTLP_*`` variables)
or ``console``; an empty exporter leaves tracing off (OpenTelemetry's API then does nothing, at next to no
cost). It also instruments what every service of ours uses: psycopg (the database) and httpx (calls to
other services, carrying the W3C ``traceparent`` header). Django's and WSGI's instrumentation is applied
by the service itself (the portal's middleware, the back office API's WSGI wrapper).

What a span records must never name a person: URLs carry no personal numbers (they travel in headers or
bodies), SQL is recorded with its placeholders, not its parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

EXPORTERS = ("", "otlp", "console")
_configured: list[str] = []


def _exporter(name: str) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: PLC0415

    return OTLPSpanExporter()


def configure(*, service_name: str, exporter: str) -> bool:
    """Trace this process as ``service_name`` to ``exporter``; False (and nothing done) when it is empty.

    Once per process: a second call is ignored (the provider cannot be replaced)."""
    if exporter not in EXPORTERS:
        raise ValueError(f"unknown trace exporter {exporter!r}; expected one of {EXPORTERS}")
    if not exporter or _configured:
        return False
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(_exporter(exporter)))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor  # noqa: PLC0415 - only when on
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor  # noqa: PLC0415

    PsycopgInstrumentor().instrument(enable_commenter=False)
    HTTPXClientInstrumentor().instrument()
    _configured.append(service_name)
    return True


def enabled() -> bool:
    """Whether :func:`configure` switched tracing on in this process."""
    return bool(_configured)


def inject(headers: MutableMapping[str, str]) -> None:
    """Add the current trace's ``traceparent`` (and ``tracestate``) to outgoing ``headers``; none when off."""
    propagate.inject(headers)


def extract(headers: Mapping[str, str]) -> object:
    """The trace context an incoming request's ``headers`` carry (for a span of our own under it)."""
    return propagate.extract(headers)
