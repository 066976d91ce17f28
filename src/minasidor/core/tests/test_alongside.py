"""Requirement: an outside call made alongside the request's work runs on another thread with the request's
context, hands back its answer or its error, and never queues: with the pool busy it is made at once
(decision 0246)."""

from __future__ import annotations

import os
import signal
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


def test_a_forked_child_makes_its_own_pool() -> None:
    """A server forks its workers: a pool taken over from the parent has no threads and would never answer."""
    assert alongside.start(lambda: 1).result() == 1  # the parent's pool exists
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit status
        signal.alarm(5)  # a pool without threads would wait for ever
        try:
            started = alongside.start(lambda: threading.current_thread().name)
            os._exit(0 if started.result() != threading.current_thread().name else 2)
        except BaseException:  # any failure is the child's exit status
            os._exit(3)
    _, status = os.waitpid(child, 0)
    assert os.WIFEXITED(status), "the child was killed: its call never ran"
    assert os.WEXITSTATUS(status) == 0
