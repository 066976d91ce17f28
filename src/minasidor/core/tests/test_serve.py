"""Requirement: the production command starts N uvicorn workers behind one port, refuses several workers
without Redis, and leaves X-Forwarded-For to the portal (trusted hops only)."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from pytest_django.fixtures import Settings

from minasidor import serve


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append({"app": app, **options}))
    return calls


def test_several_workers_without_redis_are_refused(settings: Settings, runs: list[dict[str, Any]]) -> None:
    settings.REDIS_URL = ""
    assert serve.main(["--workers", "2"]) == 2
    assert runs == []


def test_several_workers_with_redis_share_one_port(settings: Settings, runs: list[dict[str, Any]]) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert serve.main(["--workers", "4", "--port", "8123"]) == 0
    (options,) = runs
    assert options["app"] == "minasidor.asgi:application"
    assert options["workers"] == 4
    assert options["port"] == 8123
    assert options["proxy_headers"] is False
    assert options["server_header"] is False
    # uvloop by name: asyncio's loop would leave Nagle on for the shared socket (40 ms per kept-alive answer).
    assert (options["loop"], options["http"]) == ("uvloop", "httptools")


def test_the_worker_count_defaults_to_the_setting(settings: Settings, runs: list[dict[str, Any]]) -> None:
    settings.REDIS_URL = ""
    settings.SERVER_WORKERS = 1
    assert serve.main([]) == 0
    assert runs[0]["workers"] == 1


def test_several_workers_share_their_metrics_through_a_fresh_directory(
    settings: Settings, runs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_123.db").write_bytes(b"left by an earlier run")
    monkeypatch.setenv(serve.METRICS_DIR_VARIABLE, str(directory))
    assert serve.main(["--workers", "2"]) == 0
    assert list(directory.iterdir()) == [], "an earlier run's values are not added to this one's"
    monkeypatch.delenv(serve.METRICS_DIR_VARIABLE)
    settings.VAR_DIR = tmp_path
    assert serve.main(["--workers", "2", "--port", "8124"]) == 0
    import os  # noqa: PLC0415

    assert os.environ[serve.METRICS_DIR_VARIABLE] == str(tmp_path / "run" / "metrics-8124")
    assert (tmp_path / "run" / "metrics-8124").is_dir()
