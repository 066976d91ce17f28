"""An outside call made alongside the request's own work, on a small bounded pool of threads per process.

A page that must wait for an outside system (Min Pension answers after tens of milliseconds) starts the call
here, does its own work meanwhile (the register's other reads, the engine), and then takes the call's answer
(decision 0246). The call keeps its own timeouts and circuit breaker; a failure comes back to the caller as
it would have inline.

- **Bounded.** At most :data:`THREADS` calls per process run on the pool; when every thread is busy the call
  is made at once on the caller's thread, as it was before, so a peak never queues a call behind others.
- **The caller's context.** The call runs in a copy of the caller's context variables: the request id, the
  log context and the trace go with it.
- **No database.** Django's connections are per thread: what runs here must not use the database (the caller
  writes the access records the call makes due).
- **Per process.** A forked child (a server's worker) makes its own pool at its first call.
"""

from __future__ import annotations

import contextvars
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")

THREADS = 16

_free = threading.BoundedSemaphore(THREADS)


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="alongside")


def _forget_after_fork() -> None:
    """A forked child has none of its parent's threads: it makes its own pool (a pool taken over would never
    run what it is given) and counts its own free threads."""
    global _free  # noqa: PLW0603 - the process's one count, made anew in a forked child
    _pool.cache_clear()
    _free = threading.BoundedSemaphore(THREADS)


os.register_at_fork(after_in_child=_forget_after_fork)


class Started(Generic[T]):
    """A call started by :func:`start`; :meth:`result` waits for it and returns its value or raises its error."""

    def __init__(self, future: Future[T]) -> None:
        self._future = future

    def result(self) -> T:
        return self._future.result()


def start(call: Callable[[], T]) -> Started[T]:
    """Start ``call`` on the pool (in a copy of the caller's context), or make it now if the pool is busy."""
    future: Future[T] = Future()
    if not _free.acquire(blocking=False):
        _settle(future, call)
        return Started(future)
    context = contextvars.copy_context()

    def run() -> None:
        answer: Future[T] = Future()
        try:
            context.run(_settle, answer, call)
        finally:
            _free.release()  # before the caller is given the answer: its thread is free by then
        _pass_on(answer, future)

    try:
        _pool().submit(run)
    except RuntimeError:  # the pool is shut down (the interpreter is exiting): make the call here
        _free.release()
        _settle(future, call)
    return Started(future)


def _settle(future: Future[T], call: Callable[[], T]) -> None:
    try:
        future.set_result(call())
    except BaseException as error:  # handed to the caller, who raises it in its own thread
        future.set_exception(error)


def _pass_on(answer: Future[T], future: Future[T]) -> None:
    error = answer.exception()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(answer.result())
