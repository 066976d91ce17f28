"""Liveness, readiness and the metrics: for the load balancer, the service manager and the monitoring.

They say nothing about persons, set no cookie and read no session; the metrics are refused (404, as if
absent) to clients outside the operators' networks without the token.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from minasidor.operations import access, exposition, readiness


@require_safe
@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering (no database, no outside system)."""
    return JsonResponse({"status": "alive"})


@require_safe
@never_cache
def ready(request: HttpRequest) -> HttpResponse:
    """200 while the process can serve citizens (possibly degraded), 503 when it cannot."""
    outcome = readiness.readiness()
    return JsonResponse({"status": outcome.status, "checks": outcome.checks}, status=200 if outcome.ready else 503)


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition, for the operators' network or the token only."""
    if not access.metrics_allowed(request):
        raise Http404
    body = exposition.latest(exposition.TaskQueueCollector("default"))
    return HttpResponse(body, content_type=exposition.CONTENT_TYPE)
