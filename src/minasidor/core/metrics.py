"""The portal's Prometheus metrics: what each request, BankID order and circuit breaker adds to them.

The metrics are declared here, in the base, so that any room may count without importing another; the
endpoint that shows them is ``minasidor.operations`` (docs/observability.md). Under ``python -m
minasidor.serve`` every worker process writes its values to files in ``PROMETHEUS_MULTIPROC_DIR`` and the
endpoint adds them up (prometheus-client's multiprocess mode); without it (one process, tests) the values
live in the process's default registry.

Labels are few and bounded: a request is counted by its URL name (``bankid:status``), never by its path,
and nothing about a person is ever a label.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import pybreaker
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from prometheus_client import Counter, Gauge, Histogram

from minasidor.core.middleware import WrappingMiddleware

# Seconds: the status poll lives in the first buckets, the pages in the middle, PDFs at the end.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED_ROUTE = "<unmatched>"

REQUESTS = Counter(
    "minasidor_http_requests",
    "Requests answered, by URL name, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "minasidor_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL name and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
POLLS_SHED = Counter(
    "minasidor_polls_shed",
    "Status polls answered 503 at once because the worker had POLLS_IN_FLIGHT_MAX in progress.",
)
BANKID_ORDERS = Counter(
    "minasidor_bankid_orders",
    "BankID login orders by what happened to them: started, complete, failed (BankID's hint code says no), "
    "collect_error (BankID could not be asked), refused (completed but refused by our checks), logged_in.",
    ["state"],
)
BREAKER_OPEN = Gauge(
    "minasidor_breaker_open",
    "1 while the circuit breaker to an outside system is open (half-open counts as open) in any worker.",
    ["system"],
    multiprocess_mode="max",
)
BREAKER_OPENINGS = Counter(
    "minasidor_breaker_openings",
    "Times the circuit breaker to an outside system opened.",
    ["system"],
)

_breakers: dict[str, weakref.ref[pybreaker.CircuitBreaker]] = {}
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


class _BreakerListener(pybreaker.CircuitBreakerListener):
    def __init__(self, system: str) -> None:
        self.system = system

    def state_change(self, cb: pybreaker.CircuitBreaker, old_state: Any, new_state: Any) -> None:
        name = getattr(new_state, "name", str(new_state))
        BREAKER_OPEN.labels(self.system).set(0 if name == pybreaker.STATE_CLOSED else 1)
        if name == pybreaker.STATE_OPEN:
            BREAKER_OPENINGS.labels(self.system).inc()


def breaker_watch(system: str, breaker: pybreaker.CircuitBreaker) -> pybreaker.CircuitBreaker:
    """Count ``breaker``'s state changes as ``system``'s and let readiness see it; returns it.

    A doorway calls this when it creates its breaker (one per process and system; a newer one replaces
    the older, as after a reset in tests)."""
    breaker.add_listener(_BreakerListener(system))
    _breakers[system] = weakref.ref(breaker)
    BREAKER_OPEN.labels(system).set(0 if breaker.current_state == pybreaker.STATE_CLOSED else 1)
    return breaker


def breaker_states() -> dict[str, str]:
    """``closed``, ``open`` or ``half-open`` for each outside system whose breaker this process has made."""
    states = {}
    for system, ref in sorted(_breakers.items()):
        breaker = ref()
        if breaker is not None:
            states[system] = str(breaker.current_state)
    return states


def bankid_order(state: str) -> None:
    """Count a BankID order reaching ``state`` (one of :data:`BANKID_ORDERS`' states)."""
    BANKID_ORDERS.labels(state).inc()


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its time (what every route's requests add; the lean status poll too)."""
    children = _children.get((route, method, status))
    if children is None:  # labels() takes a lock and builds a tuple each time: kept, a few per route
        children = _children[route, method, status] = (
            REQUESTS.labels(route, method, str(status)),
            LATENCY.labels(route, method),
        )
    children[0].inc()
    children[1].observe(seconds)


def route_of(request: HttpRequest) -> str:
    """The URL name the request was resolved to (the same in both languages), or ``<unmatched>``."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return UNMATCHED_ROUTE
    return str(match.view_name)


class RequestMetricsMiddleware(WrappingMiddleware):
    """Counts every response by URL name, method and status and times it (no I/O: a few microseconds)."""

    def enter(self, request: HttpRequest) -> Any:
        return time.perf_counter()

    def leave(self, request: HttpRequest, response: HttpResponseBase, state: Any) -> None:
        request_observe(
            route=route_of(request),
            method=request.method or "-",
            status=response.status_code,
            seconds=time.perf_counter() - state,
        )
