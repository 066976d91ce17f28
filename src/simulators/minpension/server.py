"""Running the Min Pension test server on loopback: in a background thread (tests) or the foreground (CLI)."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
from collections.abc import Callable

import httpx
import uvicorn

from simulators.minpension.api import API_PREFIX, build_app
from simulators.minpension.state import SimulatorState
from simulators.minpension.tls import TlsFiles
from simulators.serving import LOOPBACK, ServersThread, bind


def build_server(
    state: SimulatorState,
    *,
    log_level: str = "warning",
    today: Callable[[], dt.date] = dt.date.today,
    tls: TlsFiles | None = None,
) -> uvicorn.Server:
    """Plain HTTP, or with ``tls`` HTTPS that requires a client certificate issued by the test root."""
    tls_options: dict[str, object] = {}
    if tls is not None:
        tls_options = {
            "ssl_certfile": str(tls.server),
            "ssl_keyfile": str(tls.server_key),
            "ssl_ca_certs": str(tls.root),
            "ssl_cert_reqs": ssl.CERT_REQUIRED,
        }
    config = uvicorn.Config(
        build_app(state, today=today),
        http="h11",
        log_level=log_level,
        lifespan="off",
        timeout_graceful_shutdown=1,
        **tls_options,  # type: ignore[arg-type]
    )
    return uvicorn.Server(config)


def base_url(sock: socket.socket, *, tls: bool = False) -> str:
    host = "localhost" if tls else LOOPBACK
    return f"{'https' if tls else 'http'}://{host}:{sock.getsockname()[1]}"


def serve_forever(state: SimulatorState, *, sock: socket.socket, tls: TlsFiles | None = None) -> None:
    """Serve until interrupted (Ctrl-C)."""
    asyncio.run(build_server(state, log_level="info", tls=tls).serve(sockets=[sock]))


class SimulatorThread(ServersThread):
    """The server on a free loopback port in a background thread; use as a context manager.

    ``control(action, **body)`` drives the control API: ``reset``, ``latency`` (``seconds``), ``faults``
    (``kind``, ``status``, ``count``, ``endpoint``, ``delaySeconds``), ``deregister`` (``personalNumber``).
    """

    def __init__(
        self,
        state: SimulatorState | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        tls: TlsFiles | None = None,
    ) -> None:
        """``today`` fixes the date ages are counted from (tests pass a fixed one); ``tls`` turns on mTLS."""
        self.state = state or SimulatorState()
        self.tls = tls
        self.socket = bind(0)
        super().__init__(
            [build_server(self.state, today=today, tls=tls)], [self.socket], name="Min Pension test server"
        )

    @property
    def base_url(self) -> str:
        """The root: the API is under ``/api/v1/`` and the control API under ``/control/``."""
        return base_url(self.socket, tls=self.tls is not None)

    @property
    def api_base_url(self) -> str:
        return f"{self.base_url}{API_PREFIX}/"

    def control(self, action: str, **body: object) -> None:
        verify: ssl.SSLContext | bool = False
        if self.tls is not None:
            verify = ssl.create_default_context(cafile=str(self.tls.root))
            verify.load_cert_chain(str(self.tls.client), str(self.tls.client_key))
        response = httpx.post(f"{self.base_url}/control/{action}", json=body, timeout=5, verify=verify)
        response.raise_for_status()
