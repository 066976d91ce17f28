"""Running the mail test server on loopback: SMTP and HTTP on one event loop, in a thread or the foreground."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import TracebackType
from typing import Any, Self

import httpx
import uvicorn

from simulators.mail.api import build_app
from simulators.mail.mailbox import Mailbox, ReceivedMessage
from simulators.mail.smtp import smtp_factory
from simulators.serving import LOOPBACK, bind


async def serve(
    mailbox: Mailbox, *, smtp_sock: socket.socket, http_sock: socket.socket, http_server: uvicorn.Server
) -> None:
    """Serve SMTP on ``smtp_sock`` and the HTTP API on ``http_sock`` until ``http_server`` is told to exit."""
    loop = asyncio.get_running_loop()
    smtp_server = await loop.create_server(smtp_factory(mailbox), sock=smtp_sock)
    try:
        await http_server.serve(sockets=[http_sock])
    finally:
        smtp_server.close()
        await smtp_server.wait_closed()


def http_server(mailbox: Mailbox, *, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(
        build_app(mailbox), http="h11", log_level=log_level, lifespan="off", timeout_graceful_shutdown=1
    )
    return uvicorn.Server(config)


class MailSimulatorThread:
    """The mail test server on free loopback ports in a daemon thread; use as a context manager.

    ``smtp_port`` is where to send; ``messages()`` and ``refuse()`` go through its HTTP API, as a browser
    journey or another process would.
    """

    def __init__(self, mailbox: Mailbox | None = None) -> None:
        self.mailbox = mailbox or Mailbox()
        self._smtp_sock = bind(0)
        self._http_sock = bind(0)
        self.smtp_port: int = self._smtp_sock.getsockname()[1]
        self.http_url = f"http://{LOOPBACK}:{self._http_sock.getsockname()[1]}"
        self._server = http_server(self.mailbox)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(
                serve(self.mailbox, smtp_sock=self._smtp_sock, http_sock=self._http_sock, http_server=self._server)
            ),
            name="mail-simulator",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.025)
        raise RuntimeError("The mail test server did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def messages(self, *, to: str = "") -> list[dict[str, Any]]:
        """The received messages as the JSON API lists them (for ``to`` only, if given)."""
        response = httpx.get(f"{self.http_url}/api/messages", params={"to": to} if to else None, timeout=5)
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()["messages"]
        return found

    def refuse(self, count: int, code: int = 451) -> None:
        """Refuse the next ``count`` messages with ``code``."""
        httpx.post(f"{self.http_url}/control/refuse", json={"count": count, "code": code}, timeout=5).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.http_url}/control/reset", timeout=5).raise_for_status()

    def received(self) -> list[ReceivedMessage]:
        """The messages straight from the mailbox (raw bytes included)."""
        return self.mailbox.messages()

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
