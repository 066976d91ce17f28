"""A TCP proxy that can cut, refuse or slow what passes through it: the fault suite's way of restarting
PostgreSQL, stopping Redis or slowing the back office's API for the stack alone (test-only).

The machine's PostgreSQL and Redis are shared with other work, so the suite never stops the servers
themselves: the stack reaches them through one of these proxies, and the suite makes the proxy behave as the
server would seen from the stack: every open connection cut at once and new ones refused for a while (a
restart, or the server stopped), or every request held back (slow). Runs its own event loop in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class FaultProxy:
    """127.0.0.1:``listen`` → 127.0.0.1:``target``: ``cut()``, ``slow()``, ``slow_answers()``, ``restore()``."""

    def __init__(self, name: str, listen: int, target: int) -> None:
        self.name, self.listen, self.target = name, listen, target
        self.down = False
        self.delay = 0.0
        self.answer_delay = 0.0
        self.connections = 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"fault-proxy-{name}", daemon=True)

    def start(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", self.listen))
        self._ready.set()
        with contextlib.suppress(RuntimeError):
            self._loop.run_forever()
        server.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:  # as a stopped server: the connection ends at once
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.transport.abort()
            return
        self.connections += 1
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer, hold=True), self._pipe(upstream_reader, writer, hold=False)
        )
        self._writers.difference_update((writer, upstream_writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, hold: bool) -> None:
        try:
            while data := await reader.read(65536):
                if hold and self.delay:
                    await asyncio.sleep(self.delay)  # each request from the stack waits before it goes on
                if not hold and self.answer_delay:
                    await asyncio.sleep(self.answer_delay)  # each answer to the stack waits (the work is done)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()

    def _call(self, function: object) -> None:
        done = threading.Event()

        def run() -> None:
            function()  # type: ignore[operator]
            done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(5)

    def cut(self) -> None:
        """Every open connection cut, new ones refused (the server restarting or stopped)."""

        def cut_all() -> None:
            self.down = True
            for writer in list(self._writers):
                writer.transport.abort()
            self._writers.clear()

        self._call(cut_all)

    def slow(self, seconds: float) -> None:
        self.delay = seconds

    def slow_answers(self, seconds: float) -> None:
        """Every answer held back (the server has done the work; the caller waits for the answer)."""
        self.answer_delay = seconds

    def restore(self) -> None:
        self.down, self.delay, self.answer_delay = False, 0.0, 0.0

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
