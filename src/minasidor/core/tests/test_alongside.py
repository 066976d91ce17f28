"""Requirement: an outside call made alongside the request's work runs on another thread with the request's
context, hands back its answer or its error, and never queues: with the pool busy it is made at once
(decision 0246)."""

from __future__ import annotations

import threading

import pytest

from minasidor.core import alongside, request_id


def test_the_call_runs_on_another_thread_with_the_requests_id() -> None:
    token = request_id.bind("request-alongside-1")
    try:
        started = alongside.start(lambda: (threading.current_thread().name, request_id.current()))
        thread, seen_id = started.result()
    finally:
        request_id.reset(token)
    assert thread != threading.current_thread().name
    assert seen_id == "request-alongside-1"


def test_the_calls_error_is_raised_to_the_caller() -> None:
    def fails() -> None:
        raise ValueError("Min Pension's answer could not be read")

    started = alongside.start(fails)
    with pytest.raises(ValueError, match="could not be read"):
        started.result()


def test_with_every_thread_busy_the_call_is_made_at_once_on_the_callers_thread() -> None:
    release = threading.Event()
    busy = [alongside.start(lambda: release.wait(5)) for _ in range(alongside.THREADS)]
    try:
        started = alongside.start(lambda: threading.current_thread().name)
        assert started.result() == threading.current_thread().name
    finally:
        release.set()
        assert all(call.result() for call in busy)
    again = alongside.start(lambda: threading.current_thread().name)
    assert again.result() != threading.current_thread().name, "the threads are free again"
