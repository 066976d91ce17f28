"""Serving a simulator on loopback: the listening socket, and uvicorn servers on a background thread (for tests
and benchmarks)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Self

import uvicorn

LOOPBACK = "127.0.0.1"


def bind(port: int, *, host: str = LOOPBACK) -> socket.socket:
    """A listening socket on loopback (``port=0`` picks a free port).

    Made with the protocol named (``IPPROTO_TCP``, not 0): asyncio switches Nagle's algorithm off
    (``TCP_NODELAY``) only on accepted sockets that say they are TCP. Without it every answer on a kept-alive
    connection whose headers and body are written apart waited for the client's delayed ACK, ~40 ms on Linux:
    the portal's BankID collect took 48 ms against the test server instead of 2 (decision 0240).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


class ServersThread:
    """uvicorn servers, each on its own already-bound loopback socket, run on one daemon thread.

    Use as a context manager: entering starts them and waits until every one listens; leaving stops them.
    """

    def __init__(self, servers: Sequence[uvicorn.Server], sockets: Sequence[socket.socket], *, name: str) -> None:
        self.servers = list(servers)
        self.sockets = list(sockets)
        self.name = name
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name=name, daemon=True)

    async def _serve(self) -> None:
        pairs = zip(self.servers, self.sockets, strict=True)
        await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in pairs))

    def start(self) -> None:
        self._thread.start()
        for _ in range(200):
            if all(server.started for server in self.servers):
                return
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.025)
        raise RuntimeError(f"The {self.name} did not start")

    def stop(self) -> None:
        for server in self.servers:
            server.should_exit = True
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
