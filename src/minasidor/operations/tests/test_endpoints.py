"""Requirement: liveness says the process answers; readiness checks both databases, Redis when configured and
reports the outside systems' breakers, and says nothing about persons; the metrics count requests by URL
name and status, BankID orders and breakers, and are refused (404) to clients outside the operators'
networks who lack the token, also behind the reverse proxy.
"""

from __future__ import annotations

import pybreaker
import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from minasidor.core import metrics

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

TOKEN = "t" * 40  # test-only
OUTSIDE = "203.0.113.7"


def test_liveness_is_alive_without_session_or_cookie(client: Client) -> None:
    response = client.get("/-/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_readiness_checks_both_databases_and_says_nothing_else(client: Client) -> None:
    response = client.get("/-/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database:default"] == "ok"
    assert body["checks"]["database:backoffice"] == "ok"
    assert set(body) == {"status", "checks"}
    assert all(key.startswith(("database:", "redis", "breaker:")) for key in body["checks"])
    assert not response.cookies


def test_readiness_fails_when_redis_does_not_answer(client: Client, settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }
    response = client.get("/-/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"
    assert response.json()["checks"]["redis"] == "failed"


def test_an_open_breaker_is_reported_as_degraded_and_counted(client: Client) -> None:
    breaker = metrics.breaker_watch("testsystem", pybreaker.CircuitBreaker(fail_max=1, reset_timeout=60))
    before = _sample(client, 'minasidor_breaker_openings_total{system="testsystem"}')
    with pytest.raises(pybreaker.CircuitBreakerError):
        breaker.call(_fail)
    response = client.get("/-/ready")
    assert response.status_code == 200, "an outside system's outage does not take the instance out"
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["breaker:testsystem"] == "open"
    assert _sample(client, 'minasidor_breaker_open{system="testsystem"}') == 1.0
    assert _sample(client, 'minasidor_breaker_openings_total{system="testsystem"}') == before + 1
    breaker.close()
    assert _sample(client, 'minasidor_breaker_open{system="testsystem"}') == 0.0
    assert client.get("/-/ready").json()["status"] == "ready"


def _fail() -> None:
    raise ConnectionError("down")


def _sample(client: Client, series: str) -> float:
    text = client.get("/-/metrics").content.decode()
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_requests_are_counted_by_url_name_and_status(client: Client) -> None:
    series = 'minasidor_http_requests_total{method="GET",route="operations:live",status="200"}'
    before = _sample(client, series)
    client.get("/-/live")
    client.get("/-/live")
    assert _sample(client, series) == before + 2
    text = client.get("/-/metrics").content.decode()
    assert 'minasidor_http_request_duration_seconds_bucket{le="0.005",method="GET",route="operations:live"}' in text
    assert 'minasidor_tasks_ready{database="default"}' in text
    client.get("/no-such-page-here/")
    assert _sample(client, 'minasidor_http_requests_total{method="GET",route="<unmatched>",status="404"}') >= 1


def test_bankid_orders_are_counted_by_state(client: Client) -> None:
    before = _sample(client, 'minasidor_bankid_orders_total{state="started"}')
    metrics.bankid_order("started")
    assert _sample(client, 'minasidor_bankid_orders_total{state="started"}') == before + 1


def test_metrics_are_refused_outside_the_operator_networks() -> None:
    assert Client(REMOTE_ADDR=OUTSIDE).get("/-/metrics").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/-/metrics").status_code == 200


def test_the_token_opens_the_metrics_from_anywhere(settings: Settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    outside = Client(REMOTE_ADDR=OUTSIDE)
    assert outside.get("/-/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert outside.get("/-/metrics", headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 404
    assert outside.get("/-/metrics", headers={"Authorization": TOKEN}).status_code == 404


def test_a_short_token_opens_nothing(settings: Settings) -> None:
    settings.METRICS_TOKEN = "short"
    outside = Client(REMOTE_ADDR=OUTSIDE)
    assert outside.get("/-/metrics", headers={"Authorization": "Bearer short"}).status_code == 404


def test_behind_the_proxy_the_forwarded_client_decides(settings: Settings) -> None:
    """nginx on this machine connects from 127.0.0.1; the client it forwards for is the one checked."""
    settings.TRUSTED_PROXY_HOPS = 1
    via_proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert via_proxy.get("/-/metrics", headers={"X-Forwarded-For": OUTSIDE}).status_code == 404
    assert via_proxy.get("/-/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


def test_the_metrics_are_served_when_the_queue_cannot_be_read(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import DatabaseError  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    def unreadable(alias: str) -> None:
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(DBTaskResult.objects, "using", unreadable)
    response = client.get("/-/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'minasidor_tasks_readable{database="default"} 0.0' in text
    assert "minasidor_http_requests_total" in text
