"""Requirement: the back office's service shows its task queue, the statement run's progress and its requests
to the operators (404 to anyone else), and its liveness says nothing about persons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from pytest_django.fixtures import Settings

from backoffice.api.handler import InternalApiHandler
from backoffice.register.models import StatementPartition, StatementRun

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """The handler runs in the test's thread and transaction; as Django's own test client does, the closing of
    old connections at a request's start and end is held off, or PostgreSQL's connection would be closed
    inside the test's transaction (SQLite's in-memory one never closes)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def operator(connections_kept: None) -> Iterator[httpx.Client]:
    """A client on the operators' network (loopback, the default network)."""
    transport = httpx.WSGITransport(app=InternalApiHandler())
    with httpx.Client(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


def _series(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_the_statement_runs_progress_and_the_queue_are_shown(operator: httpx.Client) -> None:
    run = StatementRun.objects.create(year=2025, started_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    for number, (candidates, done) in enumerate([(100, True), (100, True), (50, False)]):
        StatementPartition.objects.create(
            run=run,
            number=number,
            from_personal_number=str(number),
            to_personal_number=str(number + 1),
            candidates=candidates,
            done_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC) if done else None,
        )
    response = operator.get("/internal/metrics")
    assert response.status_code == 200
    text = response.text
    assert _series(text, 'minasidor_statement_run_partitions{year="2025"}') == 3
    assert _series(text, 'minasidor_statement_run_partitions_done{year="2025"}') == 2
    assert _series(text, 'minasidor_statement_run_persons{year="2025"}') == 250
    assert _series(text, 'minasidor_statement_run_persons_done{year="2025"}') == 200
    assert _series(text, 'minasidor_statement_run_finished{year="2025"}') == 0
    assert _series(text, 'minasidor_tasks_ready{database="backoffice"}') == 0


def test_requests_are_counted_by_route(operator: httpx.Client) -> None:
    series = 'minasidor_backoffice_api_requests_total{method="GET",route="live",status="200"}'
    before = _series(operator.get("/internal/metrics").text, series) or 0
    assert operator.get("/internal/live").json() == {"status": "alive"}
    assert _series(operator.get("/internal/metrics").text, series) == before + 1


@pytest.mark.usefixtures("connections_kept")
def test_the_metrics_are_refused_to_others(settings: Settings) -> None:
    app = InternalApiHandler()
    outsider = httpx.WSGITransport(app=app, remote_addr="198.51.100.9")
    with httpx.Client(transport=outsider, base_url="http://127.0.0.1") as client:
        assert client.get("/internal/metrics").status_code == 404
        settings.METRICS_TOKEN = "m" * 40  # test-only
        assert client.get("/internal/metrics", headers={"Authorization": "Bearer " + "m" * 40}).status_code == 200
        assert client.get("/internal/metrics", headers={"Authorization": "Bearer " + "m" * 39}).status_code == 404
