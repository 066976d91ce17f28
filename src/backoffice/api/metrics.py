"""The back office API's Prometheus metrics: its requests, its task queue and the statement run's progress.

Served at ``internal/metrics`` to the operators' networks (``MINASIDOR_OPERATOR_NETWORKS``) or with the
metrics token (``MINASIDOR_METRICS_TOKEN``), like the portal's; nothing about persons, no personal number
as a label (a request is counted by its URL name).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from backoffice.register.models import StatementRun

DATABASE = "backoffice"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MIN_TOKEN_LENGTH = 32

REQUESTS = Counter(
    "minasidor_backoffice_api_requests",
    "Requests the back office's internal API answered, by URL name, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "minasidor_backoffice_api_request_duration_seconds",
    "Time the internal API took to answer, by URL name and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def request_observe(request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
    """Count and time one answered request."""
    match = getattr(request, "resolver_match", None)
    route = str(match.view_name) if match is not None and match.view_name else "<unmatched>"
    method = request.method or "-"
    REQUESTS.labels(route, method, str(response.status_code)).inc()
    LATENCY.labels(route, method).observe(seconds)


class BackofficeCollector(Collector):
    """Read when scraped: the back office's task queue and each unfinished (or the latest) statement run."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._queue()
        yield from self._statement_runs()

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        # django-tasks-db's tables are in both databases; name this one (the router's default is the portal's).
        tasks = DBTaskResult.objects.using(DATABASE)
        ready = tasks.ready()
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        age = max((timezone.now() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        for name, doc, value in (
            ("minasidor_tasks_ready", "Tasks ready to run now (the queue's depth).", ready.count()),
            ("minasidor_tasks_oldest_ready_age_seconds", "Age of the oldest task ready to run (0: none).", age),
            (
                "minasidor_tasks_running",
                "Tasks a worker has taken and not finished.",
                tasks.filter(status=TaskResultStatus.RUNNING).count(),
            ),
            (
                "minasidor_tasks_failed",
                "Tasks that failed (kept 30 days).",
                tasks.filter(status=TaskResultStatus.FAILED).count(),
            ),
        ):
            family = GaugeMetricFamily(name, doc, labels=["database"])
            family.add_metric([DATABASE], value)
            yield family

    def _statement_runs(self) -> Iterator[GaugeMetricFamily]:
        runs = StatementRun.objects.using(DATABASE).annotate(
            partitions_total=Count("partitions"),
            partitions_done=Count("partitions", filter=Q(partitions__done_at__isnull=False)),
            candidates_total=Sum("partitions__candidates"),
            candidates_done=Sum("partitions__candidates", filter=Q(partitions__done_at__isnull=False)),
        )
        latest = runs.order_by("-year").first()
        shown = {run.year: run for run in runs.filter(finished_at__isnull=True)}
        if latest is not None:
            shown.setdefault(latest.year, latest)
        families = {
            "partitions_total": GaugeMetricFamily(
                "minasidor_statement_run_partitions", "Partitions of the statement run of a year.", labels=["year"]
            ),
            "partitions_done": GaugeMetricFamily(
                "minasidor_statement_run_partitions_done", "Partitions computed and stored.", labels=["year"]
            ),
            "candidates_total": GaugeMetricFamily(
                "minasidor_statement_run_persons", "Persons the run's partitions hold.", labels=["year"]
            ),
            "candidates_done": GaugeMetricFamily(
                "minasidor_statement_run_persons_done", "Persons in partitions already done.", labels=["year"]
            ),
            "finished": GaugeMetricFamily(
                "minasidor_statement_run_finished", "1 once the run of the year has finished.", labels=["year"]
            ),
        }
        for year, run in sorted(shown.items()):
            values = {
                "partitions_total": run.partitions_total,
                "partitions_done": run.partitions_done,
                "candidates_total": run.candidates_total or 0,
                "candidates_done": run.candidates_done or 0,
                "finished": 1 if run.finished_at is not None else 0,
            }
            for key, family in families.items():
                family.add_metric([str(year)], values[key])
        yield from families.values()


def allowed(request: HttpRequest) -> bool:
    """A client of the operators' networks, or one with the metrics token (constant-time comparison)."""
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        address = None
    if address is not None and any(
        address in ipaddress.ip_network(cidr, strict=False) for cidr in settings.OPERATOR_NETWORKS
    ):
        return True
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    return (
        len(token) >= MIN_TOKEN_LENGTH
        and header.startswith("Bearer ")
        and hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    """The text exposition (404 for anyone else, as if there were none)."""
    if request.method not in ("GET", "HEAD") or not allowed(request):
        raise Http404
    now = CollectorRegistry()
    now.register(BackofficeCollector())
    response = HttpResponse(generate_latest(REGISTRY) + generate_latest(now), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


def live_view(request: HttpRequest) -> HttpResponse:
    """The process is alive (for the service manager and the load balancer)."""
    response = HttpResponse(b'{"status": "alive"}', content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
