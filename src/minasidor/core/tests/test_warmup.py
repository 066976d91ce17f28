"""Requirement: a worker does its first request's work (the URLconf, the reverse tables, both languages)
before it takes requests, and a failure of that warm-up never stops the worker (decision 0210)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from minasidor.core import warmup

FRESH_PROCESS = """
import sys
import django
django.setup()
from django.urls import get_resolver
from minasidor.core.warmup import warm_up
before = "minasidor.urls" in sys.modules or get_resolver()._populated
assert warm_up()
resolver = get_resolver()
print(
    before,
    "minasidor.urls" in sys.modules,
    "minasidor.pensions.views" in sys.modules,
    resolver._populated,
    resolver.namespace_dict["pensions"][1]._populated,
)
"""


def test_a_fresh_process_has_its_urls_and_views_loaded_after_the_warm_up() -> None:
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", FRESH_PROCESS], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split() == ["False", "True", "True", "True", "True"]


def test_a_failing_warm_up_is_logged_and_leaves_the_worker_running(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ImportError("a view module that cannot be imported")

    monkeypatch.setattr(warmup, "get_resolver", broken)
    assert warmup.warm_up() is False
